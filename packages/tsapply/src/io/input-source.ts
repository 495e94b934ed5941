/**
 * What every input reader returns: the input's Arrow schema and a stream of record
 * batches. Readers stream: at any time they hold at most one batch (plus the
 * parser's read-ahead), never the whole input. JSON arrays are the one exception
 * (a JSON document must be parsed whole); use JSON Lines for large inputs.
 */
import type * as arrow from 'apache-arrow';
import type { Split } from '../engine/partitioner.js';
import type { SplitsOf } from './input-split.js';

export interface InputSource {
  /** Schema of every batch in `batches`. */
  readonly schema: arrow.Schema;
  /** Record batches of at most `batchSize` rows each, in input order. */
  readonly batches: AsyncIterable<arrow.RecordBatch>;
  /**
   * Number of rows when it is known before the batches are read (range, rows,
   * Parquet footers, Arrow IPC message headers, or a CSV/JSON inference pass). Used to cut
   * contiguous partitions and to size the progress bar.
   */
  readonly totalRows: number | undefined;
  /**
   * The partition count the input itself asks for (`{ range, numPartitions }`), which
   * the engine uses unless the run sets `numPartitions`; undefined: the engine decides
   * (`workers`).
   */
  readonly numPartitions?: number;
  /** How the engine cuts this input's rows into partitions (engine/partitioner.ts). @default 'blocks' */
  readonly split?: Split;
  /**
   * The input rows [start, end) as splits a worker thread reads by itself
   * (`read-split.ts`), in order, none longer than `maxRows` (default: as long as the
   * format reads well); present where the format can be read from the middle (Parquet
   * row groups, Arrow IPC record batches, range ids, CSV and JSON Lines files whose
   * records were counted). The
   * engine then hands out splits instead of batches.
   */
  readonly splits?: SplitsOf;
  /** Short human description for messages, e.g. `csv data/weather.csv`. */
  readonly description: string;
}

export interface ReaderOptions {
  /** Maximum rows per emitted batch. */
  readonly batchSize: number;
}
