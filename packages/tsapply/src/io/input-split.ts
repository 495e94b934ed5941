/**
 * A piece of the input that a worker thread reads by itself, so the embedded engine's
 * driver thread only hands out descriptions and writes results: it decodes no input and
 * frames no IPC on the cores the workers compute on.
 *
 * A split is plain data (it crosses to the thread by structured clone) and lies inside
 * one unit the format can start reading in the middle of: one Parquet row group or Arrow
 * IPC record batch (with an offset into it), one CSV or JSON Lines file (from a byte where a record starts,
 * recorded while the driver's inference pass read the file), or a run of `range` ids.
 * `read-split.ts` reads one in the thread. An input offers its splits through
 * `InputSource.splits(start, end, maxRows)`: the pieces covering input rows
 * [start, end), none longer than `maxRows`.
 */
export type InputSplit = ParquetSplit | RangeSplit | TextSplit | ArrowSplit;

/** An input's splits: rows [start, end) in order, in pieces of at most `maxRows` (`InputSource.splits`). */
export type SplitsOf = (start: number, end: number, maxRows?: number) => InputSplit[];

/** A file as the driver saw it when it listed the input: a worker refuses to read it if it has changed since. */
export interface FileVersion {
  bytes: number;
  mtimeMs: number;
}

export interface ParquetSplit {
  kind: 'parquet';
  /** Absolute file path. */
  path: string;
  version: FileVersion;
  rowGroup: number;
  /** First row, counted from the start of the row group. */
  offset: number;
  rows: number;
}

export interface ArrowSplit {
  kind: 'arrow';
  path: string;
  version: FileVersion;
  /**
   * The file's schema as an IPC schema message: a record batch is read as a stream of its
   * own (this, the batch, an end-of-stream marker). The file format need not hold one
   * outside its footer.
   */
  schemaMessage: Uint8Array;
  /** Bytes [start, end) of the file holding a run of consecutive record batches (messages and bodies). */
  batchBytes: [number, number];
  /** First row, counted from the start of the run. */
  offset: number;
  rows: number;
}

export interface RangeSplit {
  kind: 'range';
  /** First id. */
  start: number;
  rows: number;
}

export interface TextSplit {
  kind: 'csv' | 'jsonl';
  path: string;
  version: FileVersion;
  /** Byte where reading starts: the start of a record (a checkpoint). */
  byte: number;
  /** Lines of the file before `byte`, so messages give the file's own line numbers. */
  line: number;
  /** Records to pass over from `byte` before the first one to read. */
  skip: number;
  rows: number;
  /** The input schema, as Spark DDL. */
  schema: string;
  /** CSV field delimiter. */
  delimiter?: string;
}

/** Where a readable unit (a row group, a file) sits in the input: its first input row and row count. */
export interface Span {
  firstRow: number;
  rows: number;
}

/**
 * For each unit overlapping input rows [start, end): the rows of it to read, as
 * [from, to) counted from the unit's first row, cut into pieces of at most `maxRows`.
 */
export function* piecesOf<U extends Span>(units: readonly U[], start: number, end: number, maxRows: number): Generator<[U, number, number]> {
  for (const unit of units) {
    const from = Math.max(start, unit.firstRow) - unit.firstRow;
    const to = Math.min(end, unit.firstRow + unit.rows) - unit.firstRow;
    for (let at = from; at < to; at += maxRows) yield [unit, at, Math.min(to, at + maxRows)];
  }
}

export interface RowGroupSpan extends Span {
  path: string;
  version: FileVersion;
  rowGroup: number;
}

/**
 * Splits of a format read unit by unit (a row group, a run of record batches): each piece
 * is its unit's description with the piece's first row in it (`offset`) and row count.
 */
function unitSplits<K extends string, U extends Span>(kind: K, units: readonly U[], start: number, end: number, maxRows: number) {
  return [...piecesOf(units, start, end, maxRows)].map(([{ firstRow: _firstRow, rows: _rows, ...unit }, from, to]) => ({ kind, ...unit, offset: from, rows: to - from }));
}

/** The Parquet splits covering input rows [start, end): pieces of the row groups they touch. */
export function parquetSplits(groups: readonly RowGroupSpan[], start: number, end: number, maxRows = Infinity): ParquetSplit[] {
  return unitSplits('parquet', groups, start, end, maxRows);
}

/** Where a run of consecutive Arrow IPC record batches sits in the input and in its file (`arrow-reader.ts` finds them). */
export interface ArrowBatchSpan extends Span {
  path: string;
  version: FileVersion;
  schemaMessage: Uint8Array;
  batchBytes: [number, number];
}

/** The Arrow IPC splits covering input rows [start, end): pieces of the runs of record batches they touch. */
export function arrowSplits(runs: readonly ArrowBatchSpan[], start: number, end: number, maxRows = Infinity): ArrowSplit[] {
  return unitSplits('arrow', runs, start, end, maxRows);
}

/** Where a record of a text file starts: its byte, and the lines before it. */
export interface RecordStart {
  byte: number;
  line: number;
}

/** Where records start in a text file, every `CHECKPOINT_EVERY` records: `points[k]` is record k·CHECKPOINT_EVERY. */
export interface TextFileSpan extends Span {
  path: string;
  version: FileVersion;
  points: RecordStart[];
}

/**
 * Counts one record of `span` (read in order by an inference pass) that starts at
 * `byte` after `line` lines, keeping every `CHECKPOINT_EVERY`-th start.
 */
export function countRecord(span: TextFileSpan, byte: number, line: number): void {
  if (span.rows++ % CHECKPOINT_EVERY === 0) span.points.push({ byte, line });
}

/** The records of a text split, from those read (in arrays) from its checkpoint on: `skip` passed over, then `rows`. */
export async function* splitRecords<R>(records: AsyncIterable<R[]>, split: Pick<TextSplit, 'skip' | 'rows'>): AsyncGenerator<R[]> {
  const end = split.skip + split.rows;
  let index = 0; // of the array's first record
  for await (const batch of records) {
    const from = Math.max(split.skip - index, 0);
    const to = Math.min(end - index, batch.length);
    index += batch.length;
    if (from < to) yield from === 0 && to === batch.length ? batch : batch.slice(from, to);
    if (index >= end) return;
  }
}

/**
 * Most batches in a split of a format that can start anywhere (range ids, text files),
 * so one task's results stay small; a Parquet split is at most one row group, and a run
 * of Arrow record batches takes batches until it holds this many batches' rows.
 */
export const SPLIT_BATCHES = 16;

/** Records between checkpoints of a text input: the most a split passes over to reach its first row. */
export const CHECKPOINT_EVERY = 1024;

/** The CSV or JSON Lines splits covering input rows [start, end), each from the checkpoint before its first row. */
export function textSplits(
  files: readonly TextFileSpan[],
  start: number,
  end: number,
  maxRows: number,
  format: Pick<TextSplit, 'kind' | 'schema' | 'delimiter'>,
): TextSplit[] {
  return [...piecesOf(files, start, end, maxRows)].map(([file, from, to]) => {
    const k = Math.floor(from / CHECKPOINT_EVERY);
    const point = file.points[k]!;
    return { ...format, path: file.path, version: file.version, byte: point.byte, line: point.line, skip: from - k * CHECKPOINT_EVERY, rows: to - from };
  });
}
