/**
 * `{ range: n, numPartitions?: k }`: one column `id` (bigint) counting 0 … n-1, like
 * Spark's `spark.range(0, n, 1, k)`. Batches are built straight into BigInt64Arrays.
 *
 * With `numPartitions`, the ids are cut over the k partitions exactly as Spark's Range
 * cuts them (partition p holds ids ⌊p·n/k⌋ … ⌊(p+1)·n/k⌋ - 1: the `spark-range` split of
 * engine/partitioner.ts), and every partition starts a new batch, so the batches `apply`
 * sees are Spark's: `batchSize` rows at a time from the start of each partition, the last
 * one of a partition shorter. The source reports `numPartitions` (which the engine uses
 * unless the run sets its own) and `split: 'spark-range'`. Without `numPartitions` the
 * engine cuts the ids over its default partition count (`workers`) in blocks, as any
 * other input.
 */
import * as arrow from 'apache-arrow';
import { InputError } from '../../errors.js';
import { partitionStart } from '../../engine/partitioner.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { piecesOf, SPLIT_BATCHES, type RangeSplit } from '../input-split.js';

const SCHEMA = new arrow.Schema([new arrow.Field('id', new arrow.Int64(), false)]);

/** Checks `input.range`: a non-negative integer the embedded engine can count to. */
export function checkRange(range: unknown): number {
  const n = typeof range === 'bigint' ? Number(range) : range;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new InputError(`input.range must be a non-negative integer, got ${String(range)}.`, { format: 'range' });
  }
  return n;
}

/** Checks `input.numPartitions` (undefined when absent): a positive integer, as Spark requires. */
export function checkRangePartitions(numPartitions: unknown): number | undefined {
  if (numPartitions === undefined) return undefined;
  if (typeof numPartitions !== 'number' || !Number.isSafeInteger(numPartitions) || numPartitions < 1 || numPartitions > 2 ** 31 - 1) {
    throw new InputError(`input.numPartitions must be a positive integer, got ${typeof numPartitions === 'string' ? JSON.stringify(numPartitions) : String(numPartitions)}.`, {
      format: 'range',
    });
  }
  return numPartitions;
}

/** Ids [from, to) in batches of `batchSize`, the first starting at `from`. */
function* idBatches(from: number, to: number, batchSize: number): Generator<arrow.RecordBatch> {
  for (let start = from; start < to; start += batchSize) yield idBatch(start, Math.min(start + batchSize, to));
}

/** The ids of a range split (`read-split.ts`), in batches of `batchSize`. */
export function readRangeSplit(split: RangeSplit, batchSize: number): Generator<arrow.RecordBatch> {
  return idBatches(split.start, split.start + split.rows, batchSize);
}

function idBatch(start: number, end: number): arrow.RecordBatch {
  const len = end - start;
  const ids = new BigInt64Array(len);
  for (let i = 0; i < len; i++) ids[i] = BigInt(start + i);
  const child = arrow.makeData({ type: new arrow.Int64(), length: len, nullCount: 0, data: ids });
  return new arrow.RecordBatch(SCHEMA, arrow.makeData({ type: new arrow.Struct(SCHEMA.fields), length: len, nullCount: 0, children: [child] }));
}

export function readRange(range: number | bigint, numPartitions: number | undefined, reader: ReaderOptions): InputSource {
  const n = checkRange(range);
  const k = checkRangePartitions(numPartitions);
  /** The id runs to batch: one from 0 without numPartitions; else one per partition. */
  function* runs(): Generator<[number, number]> {
    if (k === undefined) yield [0, n];
    else for (let p = 0; p < k; p++) yield [partitionStart(p, n, k, 'spark-range'), partitionStart(p + 1, n, k, 'spark-range')];
  }
  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (const [from, to] of runs()) yield* idBatches(from, to, reader.batchSize);
  }
  return {
    schema: SCHEMA,
    batches: batches(),
    totalRows: n,
    splits: (start, end, maxRows = Infinity) =>
      [...piecesOf([{ firstRow: 0, rows: n }], start, end, Math.min(maxRows, SPLIT_BATCHES * reader.batchSize))].map(([, from, to]) => ({
        kind: 'range' as const,
        start: from,
        rows: to - from,
      })),
    ...(k !== undefined ? { numPartitions: k, split: 'spark-range' as const } : {}),
    description: k === undefined ? `range(${n})` : `range(${n}, numPartitions ${k})`,
  };
}
