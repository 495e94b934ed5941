/**
 * `input: { format: 'binaryFile', path, options }` — Spark's binaryFile data source on the
 * embedded engine: one row per file with `path` (Hadoop's `file:/…` form, not
 * URL-encoded), `modificationTime` (timestamp, whole milliseconds as Hadoop reports it),
 * `length` (bigint bytes) and `content` (the whole file). Files are listed as Spark lists
 * them (see spark-file-listing.ts); empty (0-byte) files give no row, and an empty folder
 * gives no rows.
 */
import { readFile } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { BINARY_FILE_SCHEMA_DDL, parseDDL, rowsToRecordBatch } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { listSparkFiles, parseSourceOptions, toFilePathString } from './spark-file-listing.js';

export interface BinaryFileReadOptions {
  /** Read files in nested folders too (and infer no partition columns). @default false */
  recursiveFileLookup?: boolean;
  /** Hadoop glob the file NAME must match, e.g. `*.pdf`. */
  pathGlobFilter?: string;
}


/** Spark's `spark.sql.sources.binaryFile.maxLength` default (Int.MaxValue): larger files fail the read. */
const MAX_LENGTH = 2_147_483_647;

/** Flush a batch early once it holds this many content bytes. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** `input.options` of a binaryFile input, checked as the embedded reader reads them (also on the Spark path). */
export function binaryFileReadOptions(options: Record<string, unknown> | undefined): BinaryFileReadOptions {
  return parseSourceOptions('binaryFile', options, { recursiveFileLookup: 'boolean', pathGlobFilter: 'string' }) as BinaryFileReadOptions;
}

/** Opens a binaryFile input. `absPath`: a file, a folder, or a Hadoop glob. */
export async function readBinaryFile(
  absPath: string,
  options: Record<string, unknown> | undefined,
  reader: ReaderOptions,
): Promise<InputSource> {
  const o = binaryFileReadOptions(options);
  // Spark never opens 0-byte files: they produce no row (checked with Spark 4.1).
  const files = (await listSparkFiles(absPath, 'binaryFile', o)).filter((f) => f.bytes > 0);
  for (const f of files) {
    if (f.bytes > MAX_LENGTH) {
      throw new InputError(
        `Cannot read binaryFile input "${f.path}": its length ${f.bytes} exceeds the maximum ${MAX_LENGTH} bytes a binary column can hold (Spark fails the same way). Exclude it with options.pathGlobFilter.`,
        { path: f.path, format: 'binaryFile' },
      );
    }
  }
  const schema: arrow.Schema = parseDDL(BINARY_FILE_SCHEMA_DDL);

  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    let rows: Record<string, unknown>[] = [];
    let bytes = 0;
    for (const file of files) {
      let content: Buffer;
      try {
        content = await readFile(file.path);
      } catch (e) {
        throw new InputError(`Cannot read binaryFile input "${file.path}": ${(e as Error).message}`, { path: file.path, format: 'binaryFile' }, { cause: e });
      }
      rows.push({
        path: toFilePathString(file.path),
        modificationTime: new Date(file.modifiedMs),
        length: BigInt(content.length),
        content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
      });
      bytes += content.length;
      if (rows.length >= reader.batchSize || bytes >= MAX_BATCH_BYTES) {
        yield rowsToRecordBatch(rows, schema);
        rows = [];
        bytes = 0;
      }
    }
    if (rows.length > 0) yield rowsToRecordBatch(rows, schema);
  }

  return {
    schema,
    batches: batches(),
    totalRows: files.length,
    description: `binaryFile ${absPath} (${files.length} file${files.length === 1 ? '' : 's'})`,
  };
}
