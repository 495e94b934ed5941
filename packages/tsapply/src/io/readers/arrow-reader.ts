/**
 * Arrow IPC reader: the file format (`.arrow`, Feather v2) and the stream format are
 * both detected from the bytes. Files are read through a `FileHandle`, so the file
 * format's footer gives random access and batches are read one at a time.
 */
import { open } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { toDDL } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputFile } from '../input-files.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { normalizeBatch, normalizeSchema } from './normalize-types.js';

async function openReader(file: InputFile) {
  const handle = await open(file.path);
  try {
    const reader = await arrow.RecordBatchReader.from(handle);
    await reader.open();
    return { handle, reader };
  } catch (e) {
    await handle.close();
    throw new InputError(
      `Cannot read arrow input "${file.path}": not an Arrow IPC file or stream (${e instanceof Error ? e.message : String(e)}).`,
      { path: file.path, format: 'arrow' },
    );
  }
}

export async function readArrow(files: InputFile[], options: Record<string, unknown> | undefined, _reader: ReaderOptions): Promise<InputSource> {
  for (const key of Object.keys(options ?? {})) {
    throw new InputError(`Unknown arrow input option "${key}". Arrow inputs take no options.`, { format: 'arrow' });
  }
  const first = await openReader(files[0]!);
  const schema = normalizeSchema(first.reader.schema);
  await first.handle.close();

  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (const file of files) {
      const { handle, reader } = await openReader(file);
      try {
        const fileSchema = normalizeSchema(reader.schema);
        if (toDDL(fileSchema) !== toDDL(schema)) {
          throw new InputError(
            `Cannot read arrow input: "${file.path}" has schema ${toDDL(fileSchema)}, but "${files[0]!.path}" has ${toDDL(schema)}. ` +
              `All part files must share one schema.`,
            { path: file.path, format: 'arrow' },
          );
        }
        for await (const b of reader) if (b.numRows > 0) yield normalizeBatch(b, schema);
      } finally {
        await handle.close();
      }
    }
  }
  // Row counts of IPC files need every batch header; leave them unknown.
  return { schema, batches: batches(), totalRows: undefined, description: `arrow ${files[0]!.path}` };
}
