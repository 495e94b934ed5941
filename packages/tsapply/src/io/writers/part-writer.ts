/**
 * One output part file (`part-00000.parquet`, …). The dataset writer opens one per
 * partition that produces rows, writes that partition's result batches in order,
 * then closes it. Implementations stream to disk; none holds a whole part in memory.
 */
import type * as arrow from 'apache-arrow';

export interface PartWriter {
  write(batch: arrow.RecordBatch): Promise<void>;
  /** Flushes and closes the file; the part is complete once this resolves. */
  close(): Promise<void>;
  /** Stops writing after a failure; the file is discarded with its directory. */
  destroy(): Promise<void>;
}

export type PartWriterFactory = (path: string, schema: arrow.Schema) => Promise<PartWriter>;
