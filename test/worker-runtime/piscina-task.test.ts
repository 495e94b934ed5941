import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { RecordBatchReader, tableToIPC, Table } from 'apache-arrow';
import { recordBatchToRows, SchemaMismatchError, UserCodeError } from '@tsapply/common';
import { piscinaTaskFilename, reviveTaskError } from '@tsapply/worker-runtime';
import type { BatchTaskOutput, SampleTaskOutput, TaskInput } from '@tsapply/worker-runtime';
import { fixturePayload, rejection, xBatch } from './payload-helpers.js';

const COUNTER_SCHEMA = 'x double, init_calls int, thread int, partition int, key string, ctx_ok boolean';
const THROWS = 'test/fixtures/worker-runtime/throws.ts';

function ipcOf(xs: number[]): Uint8Array {
  return tableToIPC(new Table([xBatch(xs)]), 'stream');
}

function rowsOfIPC(bytes: Uint8Array): Record<string, unknown>[] {
  return [...RecordBatchReader.from(bytes)].flatMap((b) => recordBatchToRows(b));
}

describe('piscina task entry (real pool, 2 threads)', () => {
  let dir: string;
  let pool: Piscina;
  const payloads: Record<string, { path: string; hash: string }> = {};

  async function save(name: string, fixture: string, spec: Parameters<typeof fixturePayload>[1]) {
    const p = await fixturePayload(fixture, spec);
    const path = join(dir, `${name}.payload`);
    writeFileSync(path, p.bytes);
    payloads[name] = { path, hash: p.hash };
  }

  function task(name: string, extra: Partial<TaskInput> & { ipc: Uint8Array; partitionIndex: number }): TaskInput {
    return { type: 'batch', payloadPath: payloads[name]!.path, payloadHash: payloads[name]!.hash, ...extra } as TaskInput;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-wr-'));
    const context = {
      factor: 2,
      tags: new Map([['big', 9007199254740993n]]),
      when: new Date('2024-02-29T12:00:00Z'),
      weights: new Float64Array([0.5, 0.25]),
    };
    await save('counter', 'counter.ts', { context, schema: COUNTER_SCHEMA });
    await save('throws', 'throws.ts', { context: { mode: 'apply' } });
    await save('mismatch', 'result-forms.ts', { context: { form: 'mismatch' }, schema: 'x double, label string' });
    await save('infer', 'result-forms.ts', { context: { form: 'rows' }, schema: null });
    pool = new Piscina({ filename: piscinaTaskFilename, minThreads: 2, maxThreads: 2 });
  });

  after(async () => {
    await pool.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the file behind the package subpath export', () => {
    assert.equal(fileURLToPath(import.meta.resolve('@tsapply/worker-runtime/piscina-task')), piscinaTaskFilename);
  });

  it('runs many batches on 2 threads: correct rows, init once per thread', async () => {
    const n = 12;
    const outputs = (await Promise.all(
      Array.from({ length: n }, (_, i) => pool.run(task('counter', { ipc: ipcOf([i, i + 0.5]), partitionIndex: i }))),
    )) as BatchTaskOutput[];
    const threads = new Set<number>();
    for (const [i, out] of outputs.entries()) {
      assert.equal(out.type, 'batch');
      assert.equal(out.rowsIn, 2);
      assert.equal(out.rowsOut, 2);
      assert.ok(out.ipc instanceof Uint8Array);
      const rows = rowsOfIPC(out.ipc);
      assert.deepEqual(
        rows.map((r) => ({ ...r, thread: 0 })),
        [
          { x: i * 2, init_calls: 1, thread: 0, partition: i, key: null, ctx_ok: true },
          { x: i * 2 + 1, init_calls: 1, thread: 0, partition: i, key: null, ctx_ok: true },
        ],
      );
      threads.add(rows[0]!.thread as number);
    }
    assert.equal(threads.size, 2, `threads used: ${[...threads].join(', ')}`);
    assert.ok(!threads.has(0), 'ran on worker threads, not the main thread');
  });

  it('passes the group key through', async () => {
    const out = (await pool.run(task('counter', { ipc: ipcOf([1]), partitionIndex: 3, key: { station: 'SEA' } }))) as BatchTaskOutput;
    assert.equal(rowsOfIPC(out.ipc)[0]!.key, '{"station":"SEA"}');
  });

  it('a user error reaches the driver with its fields (location, partition)', async () => {
    const raw = await rejection(pool.run(task('throws', { ipc: ipcOf([1]), partitionIndex: 5 })));
    const err = reviveTaskError(raw);
    assert.ok(err instanceof UserCodeError);
    assert.equal(err.message, `Error in apply() at ${THROWS}:19:13 (partition 5): temperature out of range`);
    assert.deepEqual(err.location, { file: THROWS, line: 19, column: 13 });
    assert.equal(err.partition, 5);
    assert.equal(err.userMessage, 'temperature out of range');
    assert.equal(err.userStack!.split('\n')[1], `    at Object.apply (${THROWS}:19:13)`);
  });

  it('a schema mismatch reaches the driver with column and partition', async () => {
    const err = reviveTaskError(await rejection(pool.run(task('mismatch', { ipc: ipcOf([1]), partitionIndex: 8 }))));
    assert.ok(err instanceof SchemaMismatchError);
    assert.equal(err.column, 'x');
    assert.equal((err as SchemaMismatchError & { partition?: number }).partition, 8);
  });

  it('a payload hash mismatch fails the task with a PayloadError', async () => {
    const bad = { ...task('counter', { ipc: ipcOf([1]), partitionIndex: 0 }), payloadHash: 'f'.repeat(64) };
    const err = reviveTaskError(await rejection(pool.run(bad)));
    assert.equal(err.name, 'PayloadError');
    assert.equal((err as Error & { code: string }).code, 'PAYLOAD_HASH_MISMATCH');
  });

  it('sample tasks return rows; batch tasks then take the inferred schema as DDL', async () => {
    const sample = (await pool.run({ ...task('infer', { ipc: ipcOf([1, 2]), partitionIndex: 0 }), type: 'sample' })) as SampleTaskOutput;
    assert.deepEqual(sample, { type: 'sample', rows: [{ x: 2, label: 'r1' }, { x: 4, label: 'r2' }], rowsIn: 2, rowsOut: 2 });
    const out = (await pool.run(task('infer', { ipc: ipcOf([3]), partitionIndex: 1, schema: 'x double, label string' } as never))) as BatchTaskOutput;
    assert.deepEqual(rowsOfIPC(out.ipc), [{ x: 6, label: 'r3' }]);
  });

  it('an unknown task type is refused', async () => {
    const err = reviveTaskError(await rejection(pool.run({ type: 'bogus' })));
    assert.equal(err.message, `Unknown task type "bogus"; valid types: 'batch', 'sample'.`);
  });
});
