/**
 * Reads an `InputSplit` in a worker thread of the embedded engine. The worker runtime
 * imports this module by the URL the driver puts in the task (`SPLIT_READER_URL`), so
 * it stays free of the readers' dependencies (parquet-wasm), which only the embedded
 * engine needs.
 */
import { openAsBlob } from 'node:fs';
import * as arrow from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { InputError } from '../errors.js';
import { stat } from 'node:fs/promises';
import { describeFsError } from './input-files.js';
import type { InputSplit, ParquetSplit, TextSplit } from './input-split.js';
import { normalizeBatch, normalizeSchema } from './readers/normalize-types.js';
import { idBatch } from './readers/range-reader.js';
import { readCsvSplit } from './readers/csv-reader.js';
import { readJsonlSplit } from './readers/json-reader.js';

/** This module's URL, for the task that asks a thread to read a split. */
export const SPLIT_READER_URL = import.meta.url;

/**
 * Open Parquet files of this thread by path: a job's splits come from few files, and
 * each open reads the footer again. Kept for the thread's life, which is one job's (the
 * pool ends with `runJob`).
 */
const openFiles = new Map<string, Promise<{ file: ParquetFile; schema: arrow.Schema }>>();

function openParquet(path: string): Promise<{ file: ParquetFile; schema: arrow.Schema }> {
  let opened = openFiles.get(path);
  if (opened === undefined) {
    opened = (async () => {
      const file = await ParquetFile.fromFile(await openAsBlob(path));
      return { file, schema: normalizeSchema(arrow.tableFromIPC(file.schema().intoIPCStream()).schema) };
    })();
    openFiles.set(path, opened);
    opened.catch(() => openFiles.delete(path));
  }
  return opened;
}

/** The split's rows as record batches of at most `batchSize` rows, in order. */
export async function* readSplit(split: InputSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  if (split.kind !== 'range') await checkUnchanged(split);
  switch (split.kind) {
    case 'range':
      for (let at = split.start, end = split.start + split.rows; at < end; at += batchSize) yield idBatch(at, Math.min(at + batchSize, end));
      return;
    case 'csv':
      yield* readCsvSplit(split, batchSize);
      return;
    case 'jsonl':
      yield* readJsonlSplit(split, batchSize);
      return;
    default:
      yield* readParquetSplit(split, batchSize);
  }
}

/**
 * Refuses a file that is not the one the driver listed: a split's offsets (a row group,
 * a record's byte) hold only for that version, and a file rewritten mid-job would
 * otherwise be read as rows that never were.
 */
async function checkUnchanged(split: ParquetSplit | TextSplit): Promise<void> {
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

async function* readParquetSplit(split: ParquetSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  try {
    const { file, schema } = await openParquet(split.path);
    const options = { batchSize, rowGroups: [split.rowGroup], offset: split.offset, limit: split.rows };
    const stream = (await file.stream(options)) as unknown as AsyncIterable<{ intoIPCStream(): Uint8Array }>;
    for await (const wasmBatch of stream) {
      for (const b of arrow.tableFromIPC(wasmBatch.intoIPCStream()).batches) if (b.numRows > 0) yield normalizeBatch(b, schema);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    // The driver read this file's footer moments ago: it changed or went away since.
    throw new InputError(`Cannot read parquet input "${split.path}" (row group ${split.rowGroup}): ${e instanceof Error ? e.message : String(e)}.`, {
      path: split.path,
      format: 'parquet',
    });
  }
}
