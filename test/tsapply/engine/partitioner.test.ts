/**
 * The embedded engine's partitioner (packages/tsapply/src/engine/partitioner.ts): which
 * rows each partition gets (the default `blocks` split, ⌈n/P⌉ rows each, and Spark's
 * Range split, ⌊p·n/P⌋), how batches are cut at `batchSize` and at partition
 * boundaries, and the range reader with `numPartitions`, whose batches must reach the
 * partitioner already cut as Spark cuts them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { isTsapplyError } from '@tsapply/common';
// Engine internals are not part of the package's public exports: import the built files.
import { partitionBatches, partitionOfRow, partitionStart, usedPartitions, type Task } from '../../../packages/tsapply/dist/engine/partitioner.js';
import { readRange } from '../../../packages/tsapply/dist/io/readers/range-reader.js';

/** An `id bigint` batch holding ids [from, to). */
function ids(from: number, to: number): arrow.RecordBatch {
  return new arrow.RecordBatch({ id: arrow.makeData({ type: new arrow.Int64(), length: to - from, data: BigInt64Array.from({ length: to - from }, (_, i) => BigInt(from + i)) }) });
}

async function* stream(...batches: arrow.RecordBatch[]): AsyncGenerator<arrow.RecordBatch> {
  yield* batches;
}

/** Each task as [partition, first id, row count]. */
async function layout(tasks: AsyncIterable<Task>): Promise<[number, number, number][]> {
  const out: [number, number, number][] = [];
  for await (const t of tasks) out.push([t.partition, Number(t.batch.getChild('id')!.get(0)), t.batch.numRows]);
  return out;
}

/** The rows of each partition, by brute force from the definition ⌊p·n/P⌋. */
function expectedSplit(n: number, p: number): number[][] {
  return Array.from({ length: p }, (_, i) => {
    const from = Math.floor((i * n) / p);
    const to = Math.floor(((i + 1) * n) / p);
    return Array.from({ length: to - from }, (_, k) => from + k);
  });
}

describe('partitionStart / partitionOfRow / usedPartitions', () => {
  it("spark-range: 10 rows over 3 start at 0, 3, 6, 10; 3 rows over 5 land in partitions 1, 3, 4", () => {
    assert.deepEqual([0, 1, 2, 3].map((p) => partitionStart(p, 10, 3, 'spark-range')), [0, 3, 6, 10]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((p) => partitionStart(p, 3, 5, 'spark-range')), [0, 0, 1, 1, 2, 3]);
    assert.deepEqual([0, 1, 2].map((r) => partitionOfRow(r, 3, 5, 'spark-range')), [1, 3, 4]);
  });

  it('blocks (the default): 10 rows over 3 start at 0, 4, 8, 10; 3 rows over 5 fill partitions 0, 1, 2', () => {
    assert.deepEqual([0, 1, 2, 3].map((p) => partitionStart(p, 10, 3)), [0, 4, 8, 10]);
    assert.deepEqual([0, 1, 2].map((r) => partitionOfRow(r, 3, 5)), [0, 1, 2]);
    // 5 rows over 4: blocks of 2, so partition 3 stays empty.
    assert.deepEqual([0, 1, 2, 3, 4].map((r) => partitionOfRow(r, 5, 4)), [0, 0, 1, 1, 2]);
  });

  for (const split of ['blocks', 'spark-range'] as const) {
    it(`${split}: partitionOfRow agrees with partitionStart for every n ≤ 40 and P ≤ 12`, () => {
      for (let n = 1; n <= 40; n++) {
        for (let p = 1; p <= 12; p++) {
          const starts = Array.from({ length: p + 1 }, (_, i) => partitionStart(i, n, p, split));
          assert.equal(starts[0], 0);
          assert.equal(starts[p], n);
          let used = 0;
          for (let part = 0; part < p; part++) {
            if (starts[part + 1]! > starts[part]!) used++;
            for (let row = starts[part]!; row < starts[part + 1]!; row++) assert.equal(partitionOfRow(row, n, p, split), part, `row ${row} for n=${n} P=${p}`);
          }
          assert.equal(usedPartitions(n, p, split), used, `used partitions for n=${n} P=${p}`);
          if (split === 'spark-range') {
            for (let part = 0; part <= p; part++) assert.equal(starts[part], Math.floor((part * n) / p));
          }
        }
      }
    });
  }

  it('spark-range is exact where p·n passes 2^53 (BigInt path)', () => {
    const n = 2 ** 53 - 1;
    assert.equal(partitionStart(6, n, 7, 'spark-range'), Number((6n * BigInt(n)) / 7n));
    assert.equal(partitionStart(6, n, 7, 'spark-range'), 7720456504063706);
    assert.equal(partitionOfRow(7720456504063706, n, 7, 'spark-range'), 6);
    assert.equal(partitionOfRow(7720456504063705, n, 7, 'spark-range'), 5);
  });

  it('usedPartitions: none for no rows, one for an input of unknown size', () => {
    assert.equal(usedPartitions(3, 5, 'spark-range'), 3);
    assert.equal(usedPartitions(5, 4), 3);
    assert.equal(usedPartitions(0, 4), 0);
    assert.equal(usedPartitions(undefined, 4), 1);
  });
});

describe('partitionBatches', () => {
  it('blocks (the default): 10 rows over 3 partitions are 0-3, 4-7, 8-9', async () => {
    const tasks = partitionBatches(stream(ids(0, 10)), { totalRows: 10, numPartitions: 3, batchSize: 100 });
    assert.deepEqual(await layout(tasks), [
      [0, 0, 4],
      [1, 4, 4],
      [2, 8, 2],
    ]);
  });

  it('cuts batches at batchSize and at partition boundaries, keeping input order', async () => {
    // spark-range: 10 rows over 3 partitions (0-2, 3-5, 6-9), read as batches of 4, cut at 3 rows.
    const tasks = partitionBatches(stream(ids(0, 4), ids(4, 8), ids(8, 10)), { totalRows: 10, numPartitions: 3, batchSize: 3, split: 'spark-range' });
    assert.deepEqual(await layout(tasks), [
      [0, 0, 3],
      [1, 3, 1],
      [1, 4, 2],
      [2, 6, 2],
      [2, 8, 2],
    ]);
  });

  it('spark-range skips empty partitions (3 rows over 5)', async () => {
    const tasks = partitionBatches(stream(ids(0, 3)), { totalRows: 3, numPartitions: 5, batchSize: 100, split: 'spark-range' });
    assert.deepEqual(await layout(tasks), [
      [1, 0, 1],
      [3, 1, 1],
      [4, 2, 1],
    ]);
  });

  it('passes a batch that fits its partition through unsliced', async () => {
    const whole = ids(0, 5);
    const tasks: Task[] = [];
    for await (const t of partitionBatches(stream(whole), { totalRows: 5, numPartitions: 1, batchSize: 10 })) tasks.push(t);
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0]!.batch, whole);
  });

  it('puts an input of unknown size in partition 0, cut only at batchSize', async () => {
    const tasks = partitionBatches(stream(ids(0, 5), ids(5, 7)), { totalRows: undefined, numPartitions: 4, batchSize: 2 });
    assert.deepEqual(await layout(tasks), [
      [0, 0, 2],
      [0, 2, 2],
      [0, 4, 1],
      [0, 5, 2],
    ]);
  });

  it('keeps rows beyond totalRows in the last partition', async () => {
    const tasks = partitionBatches(stream(ids(0, 6)), { totalRows: 4, numPartitions: 2, batchSize: 10, split: 'spark-range' });
    assert.deepEqual(await layout(tasks), [
      [0, 0, 2],
      [1, 2, 4],
    ]);
  });
});

describe('range reader with numPartitions, through the partitioner', () => {
  async function rangeLayout(n: number, numPartitions: number | undefined, partitions: number, batchSize: number) {
    const src = readRange(n, numPartitions, { batchSize });
    const tasks = partitionBatches(src.batches, { totalRows: src.totalRows, numPartitions: partitions, batchSize, split: src.split });
    return { src, layout: await layout(tasks) };
  }

  it("gives Spark's batches: each partition batched from its own start (range 10 over 3, batchSize 2)", async () => {
    const { src, layout: got } = await rangeLayout(10, 3, 3, 2);
    assert.equal(src.numPartitions, 3);
    assert.equal(src.split, 'spark-range');
    assert.equal(src.totalRows, 10);
    assert.equal(src.description, 'range(10, numPartitions 3)');
    // What Spark 4.1.1 gives for spark.range(0, 10, 1, 3).mapInArrow with maxRecordsPerBatch 2.
    assert.deepEqual(got, [
      [0, 0, 2],
      [0, 2, 1],
      [1, 3, 2],
      [1, 5, 1],
      [2, 6, 2],
      [2, 8, 2],
    ]);
  });

  it('range 3 over 5: partitions 1, 3, 4', async () => {
    const { layout: got } = await rangeLayout(3, 5, 5, 10);
    assert.deepEqual(got, [
      [1, 0, 1],
      [3, 1, 1],
      [4, 2, 1],
    ]);
  });

  it('without numPartitions reports none, batches from 0 and is cut in blocks (batches are cut, never merged)', async () => {
    const { src, layout: got } = await rangeLayout(5, undefined, 2, 2);
    assert.equal(src.numPartitions, undefined);
    assert.equal(src.split, undefined);
    assert.equal(src.description, 'range(5)');
    assert.deepEqual(got, [
      [0, 0, 2],
      [0, 2, 1],
      [1, 3, 1],
      [1, 4, 1],
    ]);
  });

  it('range 0 gives no batch', async () => {
    const { layout: got } = await rangeLayout(0, 4, 4, 10);
    assert.deepEqual(got, []);
  });

  for (const [numPartitions, message] of [
    [0, 'input.numPartitions must be a positive integer, got 0.'],
    [1.5, 'input.numPartitions must be a positive integer, got 1.5.'],
    ['2', 'input.numPartitions must be a positive integer, got "2".'],
  ] as const) {
    it(`refuses numPartitions ${JSON.stringify(numPartitions)}`, () => {
      assert.throws(
        () => readRange(10, numPartitions as never, { batchSize: 10 }),
        (e: unknown) => isTsapplyError(e) && (e as Error).name === 'InputError' && (e as Error).message === message,
      );
    });
  }

  it('refuses a negative range', () => {
    assert.throws(() => readRange(-1, undefined, { batchSize: 10 }), { message: 'input.range must be a non-negative integer, got -1.' });
  });
});
