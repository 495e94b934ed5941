/**
 * Cuts the input stream into tasks without `groupBy`. Partitions are contiguous runs of
 * rows, so concatenating the part files in name order gives the input order back. With
 * n rows known, the P partitions are cut one of two ways (`Split`):
 *
 * - `blocks` (the default): partition p holds rows [p·⌈n/P⌉, (p+1)·⌈n/P⌉) — full
 *   blocks first, so the last partitions may be short or empty;
 * - `spark-range`: as Spark's Range (and `parallelize`) cut n rows over P slices —
 *   partition p holds rows [⌊p·n/P⌋, ⌊(p+1)·n/P⌋), so each gets ⌊n/P⌋ or ⌈n/P⌉ rows,
 *   and with n < P only n partitions get a row (range 3 over 5: partitions 1, 3, 4).
 *   Used for inputs that carry Spark's partitioning (`{ range, numPartitions }`).
 *
 * Batches are sliced (zero-copy) at `batchSize` and at partition boundaries; a reader
 * that already starts a new batch at each partition start (the range reader with
 * `numPartitions`) is never cut further, so its batches are Spark's. When the row count
 * is unknown, everything is partition 0 — the pool still runs batches in parallel; only
 * the output is one part file.
 */
import type * as arrow from 'apache-arrow';
import type { InputSplit, SplitsOf } from '../io/input-split.js';

/** One unit of work for the pool: a batch the driver read, or a split a worker reads. */
export type Task = BatchTask | SplitTask;

export interface BatchTask {
  /** Partition index (`ctx.partitionIndex`, part file number). */
  partition: number;
  batch: arrow.RecordBatch;
  /** With groupBy: the group's key values by column name. */
  key?: Record<string, unknown>;
}

export interface SplitTask {
  partition: number;
  split: InputSplit;
  /** Input row of the split's first row. */
  firstRow: number;
  key?: undefined;
}

/** How n known rows are cut into P partitions (see the module doc). */
export type Split = 'blocks' | 'spark-range';

/** ⌊a·b/c⌋ for non-negative safe integers, exact also where a·b passes 2^53. */
function mulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * First row of partition `p` (0 ≤ p ≤ P; `p = P` gives n, the end of the last one).
 * `spark-range`: ⌊p·n/P⌋, Spark's `(i * numElements) / numSlices` in RangeExec.
 */
export function partitionStart(p: number, totalRows: number, numPartitions: number, split: Split = 'blocks'): number {
  if (split === 'spark-range') return mulDiv(p, totalRows, numPartitions);
  return Math.min(p * Math.ceil(totalRows / numPartitions), totalRows);
}

/**
 * The partition that holds `row` (0 ≤ row < n). `spark-range`: the largest p with
 * ⌊p·n/P⌋ ≤ row, i.e. ⌊((row+1)·P − 1)/n⌋. Constant time, so empty partitions cost
 * nothing however many there are.
 */
export function partitionOfRow(row: number, totalRows: number, numPartitions: number, split: Split = 'blocks'): number {
  if (split === 'blocks') return Math.min(Math.floor(row / Math.ceil(totalRows / numPartitions)), numPartitions - 1);
  const product = (row + 1) * numPartitions;
  if (Number.isSafeInteger(product)) return Math.floor((product - 1) / totalRows);
  return Number((BigInt(row + 1) * BigInt(numPartitions) - 1n) / BigInt(totalRows));
}

/** Number of partitions that actually receive rows. */
export function usedPartitions(totalRows: number | undefined, numPartitions: number, split: Split = 'blocks'): number {
  if (totalRows === undefined) return 1;
  if (totalRows === 0) return 0;
  if (split === 'spark-range') return Math.min(totalRows, numPartitions);
  return Math.ceil(totalRows / Math.ceil(totalRows / numPartitions));
}

/**
 * The same partitions as `partitionBatches`, as splits the workers read themselves
 * (`InputSource.splits`): partition p's rows [start, end), cut where the format's
 * readable units (row groups, files) end. Lazy, as the batches are: one partition's
 * splits and the last `workers` tasks are held at a time, however long the input.
 */
export function* partitionSplits(
  splits: SplitsOf,
  opts: { totalRows: number; numPartitions: number; split?: Split | undefined; workers: number; batchSize: number },
): Generator<SplitTask> {
  const { totalRows, numPartitions, workers } = opts;
  // The last `workers` tasks are cut finer (cutLastTasks), so each task waits here until
  // `workers` more have come after it.
  const held: SplitTask[] = [];
  for (let p = 0; p < numPartitions; p++) {
    const start = partitionStart(p, totalRows, numPartitions, opts.split);
    for (const task of splitTasks(splits, p, start, partitionStart(p + 1, totalRows, numPartitions, opts.split))) {
      held.push(task);
      if (held.length > workers) yield held.shift()!;
    }
  }
  yield* workers > 1 ? cutLastTasks(splits, held, opts.batchSize) : held;
}

/** Tasks reading rows [start, end) of partition `partition`, in pieces of at most `maxRows`. */
function splitTasks(splits: SplitsOf, partition: number, start: number, end: number, maxRows?: number): SplitTask[] {
  let firstRow = start;
  return splits(start, end, maxRows).map((split) => {
    const task = { partition, split, firstRow };
    firstRow += split.rows;
    return task;
  });
}

/**
 * The task for the first `n` rows of `task`, and the one for the rest (undefined when
 * nothing is left). A task lies inside one readable unit and within the input's longest
 * split, so each part is one split.
 */
export function cutTask(splits: SplitsOf, task: SplitTask, n: number): [SplitTask, SplitTask | undefined] {
  if (n >= task.split.rows) return [task, undefined];
  const end = task.firstRow + task.split.rows;
  return [splitTasks(splits, task.partition, task.firstRow, task.firstRow + n)[0]!, splitTasks(splits, task.partition, task.firstRow + n, end)[0]];
}

/** Pieces each of the last tasks is cut into (see `cutLastTasks`). */
const TAIL_PIECES = 4;

/**
 * Cuts each of the last tasks (one per worker) into `TAIL_PIECES`, so the threads run out
 * of work at nearly the same time: with whole row groups (a quarter-million rows is
 * common), one thread could compute alone for the length of a row group at the end.
 * Only the tail is cut because each extra piece costs a partial decode of its row group
 * (or a short skip in a text file). Pieces are whole batches from the task's first row,
 * so `apply` sees the same batches.
 */
function* cutLastTasks(splits: SplitsOf, last: SplitTask[], batchSize: number): Generator<SplitTask> {
  for (const task of last) {
    const piece = Math.ceil(task.split.rows / TAIL_PIECES / batchSize) * batchSize;
    yield* splitTasks(splits, task.partition, task.firstRow, task.firstRow + task.split.rows, piece);
  }
}

export async function* partitionBatches(
  batches: AsyncIterable<arrow.RecordBatch>,
  opts: { totalRows: number | undefined; numPartitions: number; batchSize: number; split?: Split | undefined },
): AsyncGenerator<BatchTask> {
  const { totalRows, numPartitions, batchSize } = opts;
  const split = opts.split ?? 'blocks';
  // The input row where partition p+1 starts; the last partition (and an input of
  // unknown size, all partition 0) is open-ended, so rows beyond totalRows stay in it.
  const endOf = (p: number) =>
    totalRows === undefined || p >= numPartitions - 1 ? Number.POSITIVE_INFINITY : partitionStart(p + 1, totalRows, numPartitions, split);
  let partition = 0;
  let end = endOf(0);
  let offset = 0; // rows of input seen before the current batch
  for await (const batch of batches) {
    let start = 0;
    while (start < batch.numRows) {
      const row = offset + start;
      if (row >= end) {
        // The next partition that has rows (empty ones are skipped).
        partition = Math.min(partitionOfRow(row, totalRows!, numPartitions, split), numPartitions - 1);
        end = endOf(partition);
      }
      const stop = Math.min(batch.numRows, start + batchSize, end - offset);
      yield { partition, batch: start === 0 && stop === batch.numRows ? batch : batch.slice(start, stop) };
      start = stop;
    }
    offset += batch.numRows;
  }
}
