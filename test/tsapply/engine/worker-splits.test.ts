/**
 * The embedded engine's workers read their own input splits (Parquet row groups, range
 * ids) instead of receiving batches from the driver. Real Parquet files with small row
 * groups, real worker threads: the output must be exactly the input, in order, cut into
 * the partitions the partitioner defines, whichever way the rows reached the workers.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
import { runJob, type RunSummary } from 'tsapply';
import { cutSplit, parquetSplits } from '../../../packages/tsapply/dist/io/input-split.js';
import { partitionStart } from '../../../packages/tsapply/dist/engine/partitioner.js';
import { JOBS, tempDir } from '../cli-helpers.ts';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

const ROW_GROUP = 7;
const FILES = [30, 23]; // rows per file: row groups of 7 (the last of each file shorter)
const TOTAL = FILES.reduce((a, b) => a + b, 0);
const text = (id: number) => (id % 5 === 0 ? null : `row ${id} ${'é'.repeat(id % 3)}`);

/** A folder of Parquet files holding ids 0…TOTAL-1 in order, row groups of ROW_GROUP rows. */
function writeInput(): string {
  const input = join(dir, 'input');
  mkdirSync(input);
  let first = 0;
  FILES.forEach((rows, f) => {
    const ids = Array.from({ length: rows }, (_, i) => BigInt(first + i));
    const table = arrow.tableFromArrays({ id: BigInt64Array.from(ids), s: arrow.vectorFromArray(ids.map((id) => text(Number(id))), new arrow.Utf8()) });
    const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(ROW_GROUP).build();
    writeFileSync(join(input, `part-${f}.parquet`), writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
    first += rows;
  });
  return input;
}
const INPUT = writeInput();

/** Input rows where row groups start, over both files. */
function rowGroupStarts(): number[] {
  const starts: number[] = [];
  let first = 0;
  for (const rows of FILES) {
    for (let at = 0; at < rows; at += ROW_GROUP) starts.push(first + at);
    first += rows;
  }
  return [...starts, TOTAL];
}

interface OutRow {
  id: number;
  s: string | null;
  part: number;
  n: number;
}

async function run(name: string, options: { workers: number; numPartitions: number; taskTimeoutMs?: number; infer?: boolean }) {
  process.env.TSAPPLY_TEST_SPLIT_INPUT = INPUT;
  process.env.TSAPPLY_TEST_SPLIT_INFER = options.infer ? '1' : '0';
  const output = join(dir, name);
  const summary: RunSummary = await runJob(join(JOBS, 'split-parquet.ts'), {
    workers: options.workers,
    numPartitions: options.numPartitions,
    output,
    format: 'arrow',
    typecheck: false,
    quiet: true,
    ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
  });
  const parts = readdirSync(output).filter((n) => n.startsWith('part-')).sort();
  const byPart = parts.map((p) =>
    [...arrow.tableFromIPC(readFileSync(join(output, p)))].map((r) => {
      const row = r.toJSON() as Record<string, unknown>;
      return { id: Number(row.id), s: row.s as string | null, part: Number(row.part), n: Number(row.n) } satisfies OutRow;
    }),
  );
  return { summary, parts, byPart };
}

describe('workers reading their own splits', () => {
  it('cut Parquet row groups at partition boundaries and read every row once, in order', async () => {
    // 5 partitions of 11 rows: boundaries at 11, 22, 33, 44, some inside a row group.
    const P = 5;
    const { summary, parts, byPart } = await run('split', { workers: 2, numPartitions: P });
    assert.deepEqual(parts, ['part-00000.arrow', 'part-00001.arrow', 'part-00002.arrow', 'part-00003.arrow', 'part-00004.arrow']);
    // Each piece of a row group inside a partition is read in batches of 4 from its own
    // first row: a piece [22, 28) comes as 4 + 2 rows (the driver, cutting its batches of
    // the row group [21, 28) at the boundary, would give 3 + 3).
    const starts = rowGroupStarts();
    let calls = 0;
    for (let p = 0; p < P; p++) {
      const [start, end] = [partitionStart(p, TOTAL, P), partitionStart(p + 1, TOTAL, P)];
      const expected: OutRow[] = [];
      for (let g = 0; g + 1 < starts.length; g++) {
        const [from, to] = [Math.max(start, starts[g]!), Math.min(end, starts[g + 1]!)];
        for (let at = from; at < to; at += 4) {
          const n = Math.min(4, to - at);
          calls++;
          for (let id = at; id < at + n; id++) expected.push({ id, s: text(id), part: p, n });
        }
      }
      assert.deepEqual(byPart[p], expected, `partition ${p} holds rows ${start}…${end - 1}`);
    }
    assert.equal(summary.batches, calls);
    assert.deepEqual([summary.rowsIn, summary.rowsOut, summary.partitions], [TOTAL, TOTAL, P]);
  });

  it('give the same rows as the driver reading (with a task timeout, batches are fed one by one)', async () => {
    const strip = (rows: OutRow[][]) => rows.map((part) => part.map(({ id, s, part: p }) => ({ id, s, part: p })));
    const splitRun = await run('split-4', { workers: 2, numPartitions: 4 });
    const fedRun = await run('fed-4', { workers: 2, numPartitions: 4, taskTimeoutMs: 60_000 });
    assert.deepEqual(strip(splitRun.byPart), strip(fedRun.byPart));
    assert.equal(strip(fedRun.byPart).flat().length, TOTAL);
  });

  it('sample the first batch of a split for schema inference and still run the rest of it', async () => {
    const { summary, byPart } = await run('infer', { workers: 1, numPartitions: 2, infer: true });
    assert.equal(summary.schemaInferred, true);
    assert.deepEqual(
      byPart.flat().map((r) => r.id),
      Array.from({ length: TOTAL }, (_, i) => i),
    );
    assert.deepEqual([summary.rowsIn, summary.rowsOut], [TOTAL, TOTAL]);
  });
});

describe('input splits', () => {
  const groups = [
    { path: 'a', rowGroup: 0, firstRow: 0, rows: 10 },
    { path: 'a', rowGroup: 1, firstRow: 10, rows: 5 },
    { path: 'b', rowGroup: 0, firstRow: 15, rows: 10 },
  ];
  it('cover a row range with one piece per row group it touches', () => {
    assert.deepEqual(parquetSplits(groups, 8, 17), [
      { kind: 'parquet', path: 'a', rowGroup: 0, offset: 8, rows: 2 },
      { kind: 'parquet', path: 'a', rowGroup: 1, offset: 0, rows: 5 },
      { kind: 'parquet', path: 'b', rowGroup: 0, offset: 0, rows: 2 },
    ]);
    assert.deepEqual(parquetSplits(groups, 25, 25), []);
  });
  it('cut at a row count into a head and the rest', () => {
    const split = { kind: 'parquet' as const, path: 'a', rowGroup: 0, offset: 3, rows: 7 };
    assert.deepEqual(cutSplit(split, 4), [
      { ...split, rows: 4 },
      { ...split, offset: 7, rows: 3 },
    ]);
    assert.deepEqual(cutSplit(split, 7), [split, undefined]);
    assert.deepEqual(cutSplit({ kind: 'range', start: 100, rows: 10 }, 4), [
      { kind: 'range', start: 100, rows: 4 },
      { kind: 'range', start: 104, rows: 6 },
    ]);
  });
});
