/**
 * Cuts the input stream into tasks without `groupBy`. Partitions are contiguous
 * chunks of rows, as Spark splits files: with `totalRows` known, partition p holds
 * rows [p·⌈total/P⌉, (p+1)·⌈total/P⌉), so concatenating the part files in name order
 * gives the input order back. Batches are sliced (zero-copy) at `batchSize` and at
 * partition boundaries. When the row count is unknown, everything is partition 0 —
 * the pool still runs batches in parallel; only the output is one part file.
 */
import type * as arrow from 'apache-arrow';

export interface Task {
  /** Partition index (`ctx.partitionIndex`, part file number). */
  partition: number;
  batch: arrow.RecordBatch;
  /** With groupBy: the group's key values by column name. */
  key?: Record<string, unknown>;
}

export function partitionSize(totalRows: number | undefined, numPartitions: number): number {
  if (totalRows === undefined || totalRows === 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil(totalRows / numPartitions));
}

/** Number of partitions that actually receive rows. */
export function usedPartitions(totalRows: number | undefined, numPartitions: number): number {
  if (totalRows === undefined) return 1;
  if (totalRows === 0) return 0;
  return Math.ceil(totalRows / partitionSize(totalRows, numPartitions));
}

export async function* partitionBatches(
  batches: AsyncIterable<arrow.RecordBatch>,
  opts: { totalRows: number | undefined; numPartitions: number; batchSize: number },
): AsyncGenerator<Task> {
  const size = partitionSize(opts.totalRows, opts.numPartitions);
  let offset = 0; // rows of input seen before the current batch
  for await (const batch of batches) {
    let start = 0;
    while (start < batch.numRows) {
      const row = offset + start;
      const partition = Number.isFinite(size) ? Math.min(Math.floor(row / size), opts.numPartitions - 1) : 0;
      const partitionEnd = Number.isFinite(size) ? (partition + 1) * size - offset : Number.POSITIVE_INFINITY;
      const end = Math.min(batch.numRows, start + opts.batchSize, partition === opts.numPartitions - 1 ? batch.numRows : partitionEnd);
      yield { partition, batch: start === 0 && end === batch.numRows ? batch : batch.slice(start, end) };
      start = end;
    }
    offset += batch.numRows;
  }
}
