/**
 * Parquet reader on parquet-wasm. The file is opened as a lazy `Blob`
 * (`fs.openAsBlob`), so parquet-wasm fetches only the byte ranges it decodes and
 * the file is streamed in record batches of `batchSize` rows, row group by row group,
 * never loaded whole. Each wasm batch crosses into apache-arrow JS memory as an
 * Arrow IPC message.
 */
import { openAsBlob } from 'node:fs';
import * as arrow from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { toDDL } from '@tsapply/common';
import { InputError } from '../../errors.js';
import { fileVersion, type InputFile } from '../input-files.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { parquetSplits, type ParquetSplit, type RowGroupSpan } from '../input-split.js';
import { normalizeBatch, normalizeSchema } from './normalize-types.js';

async function openParquet(path: string): Promise<ParquetFile> {
  try {
    return await ParquetFile.fromFile(await openAsBlob(path));
  } catch (e) {
    throw new InputError(`Cannot read parquet input "${path}": not a valid Parquet file (${errorText(e)}).`, { path, format: 'parquet' });
  }
}

/** The file's Arrow schema, as the rest of tsapply reads it (large strings narrowed). */
function schemaOf(pf: ParquetFile): arrow.Schema {
  return normalizeSchema(arrow.tableFromIPC(pf.schema().intoIPCStream()).schema);
}

/**
 * Record batches of `pf` as parquet-wasm streams them with `options` (batch size, row
 * groups, offset, limit), in `schema`. A failure names the file and `where` in it.
 */
async function* streamBatches(
  pf: ParquetFile,
  path: string,
  options: { batchSize: number; rowGroups?: number[]; offset?: number; limit?: number },
  schema: arrow.Schema,
  where = '',
): AsyncGenerator<arrow.RecordBatch> {
  try {
    const stream = (await pf.stream(options)) as unknown as AsyncIterable<{ intoIPCStream(): Uint8Array }>;
    for await (const wasmBatch of stream) {
      for (const b of arrow.tableFromIPC(wasmBatch.intoIPCStream()).batches) if (b.numRows > 0) yield normalizeBatch(b, schema);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`Cannot read parquet input "${path}"${where}: ${errorText(e)}.`, { path, format: 'parquet' });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function readParquet(files: InputFile[], options: Record<string, unknown> | undefined, reader: ReaderOptions): Promise<InputSource> {
  for (const key of Object.keys(options ?? {})) {
    throw new InputError(`Unknown parquet input option "${key}". Parquet inputs take no options.`, { format: 'parquet' });
  }
  // Read every footer first: the schema must agree across part files, and the row
  // count (from metadata, no data read) sizes partitions and the progress bar.
  let schema: arrow.Schema | undefined;
  let totalRows = 0;
  const rowGroups: RowGroupSpan[] = [];
  for (const file of files) {
    const pf = await openParquet(file.path);
    try {
      const fileSchema = schemaOf(pf);
      pf.metadata()
        .rowGroups()
        .forEach((g, rowGroup) => {
          const rows = Number(g.numRows());
          rowGroups.push({ path: file.path, version: fileVersion(file), rowGroup, firstRow: totalRows, rows });
          totalRows += rows;
        });
      if (!schema) {
        schema = fileSchema;
      } else if (toDDL(fileSchema) !== toDDL(schema)) {
        throw new InputError(
          `Cannot read parquet input: "${file.path}" has schema ${toDDL(fileSchema)}, ` +
            `but "${files[0]!.path}" has ${toDDL(schema)}. All part files must share one schema.`,
          { path: file.path, format: 'parquet' },
        );
      }
    } finally {
      pf.free();
    }
  }
  const outSchema = schema!;

  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (const file of files) {
      const pf = await openParquet(file.path);
      try {
        yield* streamBatches(pf, file.path, { batchSize: reader.batchSize }, outSchema);
      } finally {
        pf.free();
      }
    }
  }
  return {
    schema: outSchema,
    batches: batches(),
    totalRows,
    splits: (start, end, maxRows) => parquetSplits(rowGroups, start, end, maxRows),
    description: `parquet ${files[0]!.path}`,
  };
}

/**
 * This thread's open Parquet files by path (`readParquetSplit`): a job's splits come from
 * few files, and each open reads the footer again. Kept for the thread's life, which is
 * one job's (the pool ends with `runJob`).
 */
const openFiles = new Map<string, Promise<{ pf: ParquetFile; schema: arrow.Schema }>>();

/** The rows of a Parquet split (`read-split.ts`), in batches of `batchSize`. */
export async function* readParquetSplit(split: ParquetSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  let opened = openFiles.get(split.path);
  if (opened === undefined) {
    opened = openParquet(split.path).then((pf) => ({ pf, schema: schemaOf(pf) }));
    openFiles.set(split.path, opened);
    opened.catch(() => openFiles.delete(split.path));
  }
  const { pf, schema } = await opened;
  const options = { batchSize, rowGroups: [split.rowGroup], offset: split.offset, limit: split.rows };
  yield* streamBatches(pf, split.path, options, schema, ` (row group ${split.rowGroup})`);
}
