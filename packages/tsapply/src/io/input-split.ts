/**
 * A piece of the input that a worker thread reads by itself, so the embedded engine's
 * driver thread only hands out descriptions and writes results: it decodes no input and
 * frames no IPC on the cores the workers compute on.
 *
 * A split is plain data (it crosses to the thread by structured clone) and always lies
 * inside one unit the format can read on its own: one Parquet row group (with an
 * offset and a row count inside it, so partitions still start exactly where the
 * partitioner says), or a run of `range` ids. `read-split.ts` reads one in the thread.
 */
export type InputSplit = ParquetSplit | RangeSplit;

export interface ParquetSplit {
  kind: 'parquet';
  /** Absolute file path. */
  path: string;
  rowGroup: number;
  /** First row, counted from the start of the row group. */
  offset: number;
  rows: number;
}

export interface RangeSplit {
  kind: 'range';
  /** First id. */
  start: number;
  rows: number;
}

/** A Parquet row group's place in the input: global first row and row count. */
export interface RowGroupSpan {
  path: string;
  rowGroup: number;
  /** Input row (over all files, in read order) of its first row. */
  firstRow: number;
  rows: number;
}

/** The Parquet splits covering input rows [start, end): one per row group they touch. */
export function parquetSplits(groups: readonly RowGroupSpan[], start: number, end: number): ParquetSplit[] {
  const splits: ParquetSplit[] = [];
  for (const g of groups) {
    const from = Math.max(start, g.firstRow);
    const to = Math.min(end, g.firstRow + g.rows);
    if (from < to) splits.push({ kind: 'parquet', path: g.path, rowGroup: g.rowGroup, offset: from - g.firstRow, rows: to - from });
  }
  return splits;
}

/** The first `n` rows of `split` and the rest (undefined when nothing is left). */
export function cutSplit(split: InputSplit, n: number): [InputSplit, InputSplit | undefined] {
  if (n >= split.rows) return [split, undefined];
  if (split.kind === 'parquet') return [{ ...split, rows: n }, { ...split, offset: split.offset + n, rows: split.rows - n }];
  return [{ ...split, rows: n }, { ...split, start: split.start + n, rows: split.rows - n }];
}
