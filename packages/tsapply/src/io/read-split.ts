/**
 * Reads an `InputSplit` in a worker thread of the embedded engine: checks the file is
 * the one the driver listed, then hands the split to its format's reader. The worker runtime
 * imports this module by the URL the driver puts in the task (`SPLIT_READER_URL`), so
 * it stays free of the readers' dependencies (parquet-wasm), which only the embedded
 * engine needs.
 */
import { stat } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { InputError } from '../errors.js';
import { describeFsError } from './input-files.js';
import type { ArrowSplit, InputSplit, ParquetSplit, TextSplit } from './input-split.js';
import { readArrowSplit } from './readers/arrow-reader.js';
import { readCsvSplit } from './readers/csv-reader.js';
import { readJsonlSplit } from './readers/json-reader.js';
import { readParquetSplit } from './readers/parquet-reader.js';
import { readRangeSplit } from './readers/range-reader.js';

/** This module's URL, for the task that asks a thread to read a split. */
export const SPLIT_READER_URL = import.meta.url;

/** The split's rows as record batches of at most `batchSize` rows, in order. */
export async function* readSplit(split: InputSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  if (split.kind !== 'range') await checkUnchanged(split);
  switch (split.kind) {
    case 'range':
      yield* readRangeSplit(split, batchSize);
      return;
    case 'csv':
      yield* readCsvSplit(split, batchSize);
      return;
    case 'jsonl':
      yield* readJsonlSplit(split, batchSize);
      return;
    case 'arrow':
      yield* readArrowSplit(split, batchSize);
      return;
    default:
      yield* readParquetSplit(split, batchSize);
  }
}

/**
 * Refuses a file that is not the one the driver listed: a split's offsets (a row group,
 * a record batch's or a record's byte) hold only for that version, and a file rewritten mid-job would
 * otherwise be read as rows that never were.
 */
async function checkUnchanged(split: ParquetSplit | TextSplit | ArrowSplit): Promise<void> {
  let now: { size: number; mtimeMs: number } | undefined;
  try {
    now = await stat(split.path);
  } catch (e) {
    throw new InputError(`Cannot read ${split.kind} input "${split.path}": it went away while the job ran (${describeFsError(e)}). Re-run the job once the input is in place.`, {
      path: split.path,
      format: split.kind,
    });
  }
  if (now.size === split.version.bytes && now.mtimeMs === split.version.mtimeMs) return;
  throw new InputError(
    `Cannot read ${split.kind} input "${split.path}": the file changed while the job ran ` +
      `(${split.version.bytes} bytes, modified ${new Date(split.version.mtimeMs).toISOString()} when the job started; ` +
      `now ${now.size} bytes, modified ${new Date(now.mtimeMs).toISOString()}). Re-run the job once the file is complete.`,
    { path: split.path, format: split.kind },
  );
}
