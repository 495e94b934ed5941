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
import type { InputFile } from '../input-files.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { parquetSplits, type RowGroupSpan } from '../input-split.js';
import { normalizeBatch, normalizeSchema } from './normalize-types.js';

async function openParquet(file: InputFile): Promise<ParquetFile> {
  try {
    return await ParquetFile.fromFile(await openAsBlob(file.path));
  } catch (e) {
    throw new InputError(`Cannot read parquet input "${file.path}": not a valid Parquet file (${errorText(e)}).`, {
      path: file.path,
      format: 'parquet',
    });
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
  let rawSchema: arrow.Schema | undefined;
  let totalRows = 0;
  const rowGroups: RowGroupSpan[] = [];
  for (const file of files) {
    const pf = await openParquet(file);
    try {
      const fileSchema = arrow.tableFromIPC(pf.schema().intoIPCStream()).schema;
      pf.metadata()
        .rowGroups()
        .forEach((g, rowGroup) => {
          const rows = Number(g.numRows());
          rowGroups.push({ path: file.path, version: { bytes: file.bytes, mtimeMs: file.mtimeMs }, rowGroup, firstRow: totalRows, rows });
          totalRows += rows;
        });
      if (!rawSchema) {
        rawSchema = fileSchema;
        schema = normalizeSchema(fileSchema);
      } else if (toDDL(normalizeSchema(fileSchema)) !== toDDL(schema!)) {
        throw new InputError(
          `Cannot read parquet input: "${file.path}" has schema ${toDDL(normalizeSchema(fileSchema))}, ` +
            `but "${files[0]!.path}" has ${toDDL(schema!)}. All part files must share one schema.`,
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
      const pf = await openParquet(file);
      try {
        const stream = (await pf.stream({ batchSize: reader.batchSize })) as unknown as AsyncIterable<{ intoIPCStream(): Uint8Array }>;
        for await (const wasmBatch of stream) {
          const table = arrow.tableFromIPC(wasmBatch.intoIPCStream());
          for (const b of table.batches) if (b.numRows > 0) yield normalizeBatch(b, outSchema);
        }
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`Cannot read parquet input "${file.path}": ${errorText(e)}.`, { path: file.path, format: 'parquet' });
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
