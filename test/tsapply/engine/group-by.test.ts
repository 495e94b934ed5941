/**
 * The embedded engine's grouping (packages/tsapply/src/engine/group-by.ts): every row of
 * a group in one task (never split across input batches), groups in order of first
 * appearance, keys that keep their types apart, and a group's partition that depends on
 * its key only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { parseDDL, recordBatchToRows, rowsToRecordBatch } from '@tsapply/common';
// Engine internals are not part of the package's public exports: import the built file.
import { groupBatches, hashKey } from '../../../packages/tsapply/dist/engine/group-by.js';

async function* stream(...batches: arrow.RecordBatch[]): AsyncGenerator<arrow.RecordBatch> {
  yield* batches;
}

const SCHEMA = parseDDL('k string, n bigint, v double');
const batch = (rows: Record<string, unknown>[], schema = SCHEMA) => rowsToRecordBatch(rows, schema);

describe('groupBatches', () => {
  it('gathers each group from every batch into one task, in order of first appearance', async () => {
    const { tasks, rowsIn } = await groupBatches(
      stream(
        batch([
          { k: 'b', n: 1n, v: 0.5 },
          { k: 'a', n: 2n, v: 1.5 },
        ]),
        batch([
          { k: 'b', n: 3n, v: null },
          { k: 'c', n: 4n, v: 2 },
        ]),
        batch([{ k: 'a', n: 5n, v: -1 }]),
      ),
      SCHEMA,
      ['k'],
      4,
    );
    assert.equal(rowsIn, 5);
    assert.deepEqual(
      tasks.map((t) => ({ key: t.key, rows: recordBatchToRows(t.batch) })),
      [
        { key: { k: 'b' }, rows: [{ k: 'b', n: 1n, v: 0.5 }, { k: 'b', n: 3n, v: null }] },
        { key: { k: 'a' }, rows: [{ k: 'a', n: 2n, v: 1.5 }, { k: 'a', n: 5n, v: -1 }] },
        { key: { k: 'c' }, rows: [{ k: 'c', n: 4n, v: 2 }] },
      ],
    );
    // Every group keeps the input schema.
    for (const t of tasks) assert.equal(t.batch.schema.fields.map((f) => `${f.name}:${f.type}`).join(','), 'k:Utf8,n:Int64,v:Float64');
  });

  it("puts a group in partition hashKey(key) % numPartitions, whatever the input order", async () => {
    const rows = [
      { k: 'x', n: 1n, v: 1 },
      { k: 'y', n: 2n, v: 2 },
      { k: 'z', n: 3n, v: 3 },
    ];
    const forward = await groupBatches(stream(batch(rows)), SCHEMA, ['k'], 3);
    const backward = await groupBatches(stream(batch([...rows].reverse())), SCHEMA, ['k'], 3);
    const partitionOf = (g: typeof forward) => Object.fromEntries(g.tasks.map((t) => [t.key!.k as string, t.partition]));
    assert.deepEqual(partitionOf(forward), partitionOf(backward));
    // The key's text form is type-tagged: 's<length>:<text>' then a separator per key column.
    assert.deepEqual(partitionOf(forward), {
      x: hashKey('s1:x\u0001') % 3,
      y: hashKey('s1:y\u0001') % 3,
      z: hashKey('s1:z\u0001') % 3,
    });
  });

  it('groups by several key columns, a null key value being one value like any other', async () => {
    const schema = parseDDL('a bigint, b string, c boolean');
    const { tasks } = await groupBatches(
      stream(
        batch(
          [
            { a: 1n, b: '1', c: true },
            { a: 1n, b: '1', c: true },
            { a: 1n, b: null, c: true },
            { a: null, b: '1', c: true },
            { a: null, b: '1', c: true },
            { a: 1n, b: '1', c: false },
          ],
          schema,
        ),
      ),
      schema,
      ['a', 'b', 'c'],
      2,
    );
    assert.deepEqual(
      tasks.map((t) => [t.key, t.batch.numRows]),
      [
        [{ a: 1n, b: '1', c: true }, 2],
        [{ a: 1n, b: null, c: true }, 1],
        [{ a: null, b: '1', c: true }, 2],
        [{ a: 1n, b: '1', c: false }, 1],
      ],
    );
  });

  it('does not confuse string keys that concatenate alike ("ab","c" vs "a","bc")', async () => {
    const schema = parseDDL('x string, y string');
    const { tasks } = await groupBatches(
      stream(
        batch(
          [
            { x: 'ab', y: 'c' },
            { x: 'a', y: 'bc' },
          ],
          schema,
        ),
      ),
      schema,
      ['x', 'y'],
      1,
    );
    assert.equal(tasks.length, 2);
    assert.deepEqual(tasks.map((t) => t.partition), [0, 0]);
  });

  it('groups a 10 000-row key split over many small batches into one task', async () => {
    const batches = Array.from({ length: 100 }, (_, b) => batch(Array.from({ length: 100 }, (_, i) => ({ k: (b * 100 + i) % 2 === 0 ? 'even' : 'odd', n: BigInt(b * 100 + i), v: 0 }))));
    const { tasks, rowsIn } = await groupBatches(stream(...batches), SCHEMA, ['k'], 2);
    assert.equal(rowsIn, 10_000);
    assert.deepEqual(tasks.map((t) => [t.key!.k, t.batch.numRows]), [
      ['even', 5000],
      ['odd', 5000],
    ]);
    // The rows of a group keep their input order.
    const odd = tasks[1]!.batch.getChild('n')!.toArray() as BigInt64Array;
    assert.deepEqual([odd[0], odd[1], odd[4999]], [1n, 3n, 9999n]);
  });

  it('gives no task for an empty input', async () => {
    const { tasks, rowsIn } = await groupBatches(stream(), SCHEMA, ['k'], 2);
    assert.deepEqual(tasks, []);
    assert.equal(rowsIn, 0);
  });

  it('refuses a groupBy column that is not in the input, naming the columns', async () => {
    await assert.rejects(groupBatches(stream(), SCHEMA, ['K'], 2), {
      name: 'InputError',
      message: 'groupBy column "K" is not in the input. Input columns: k, n, v.',
    });
  });
});

describe('hashKey', () => {
  it('is 32-bit FNV-1a (reference vectors)', () => {
    assert.equal(hashKey(''), 0x811c9dc5);
    assert.equal(hashKey('a'), 0xe40c292c);
    assert.equal(hashKey('foobar'), 0xbf9cf968);
  });
});
