/**
 * Arrow IPC reader: the file format (`.arrow`, Feather v2) and the stream format are
 * both detected from the bytes. Files are read through a `FileHandle`, so the file
 * format's footer gives random access and batches are read one at a time.
 *
 * Opening the input also walks each file's message headers (`layoutOf`: a few bytes per
 * message, no body is read), which gives the row count and where every record batch
 * lies, so the embedded engine's worker threads can read their own batches
 * (`readArrowSplit`) instead of the driver decoding the input for them.
 */
import { open, type FileHandle } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { registerArrowIpcCodecs, toDDL } from '@tsapply/common';
import { InputError } from '../../errors.js';
import { fileVersion, type InputFile } from '../input-files.js';
import { arrowSplits, SPLIT_BATCHES, type ArrowBatchSpan, type ArrowSplit } from '../input-split.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { normalizeBatch, normalizeSchema } from './normalize-types.js';

const FILE_MAGIC = 'ARROW1';
/** The file format's head: the magic and its padding to 8 bytes; the stream format starts after it. */
const FILE_HEAD_BYTES = 8;
/** The file format's tail: the footer's length (int32) and the magic. */
const FILE_TAIL_BYTES = 4 + FILE_MAGIC.length;
/** An end-of-stream marker: the continuation token and a zero metadata length. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

// Feather files from pandas and pyarrow are LZ4-compressed unless told otherwise.
registerArrowIpcCodecs(arrow.compressionRegistry);

function cannotRead(path: string, why: string): InputError {
  return new InputError(`Cannot read arrow input "${path}": ${why}.`, { path, format: 'arrow' });
}

async function openReader(file: InputFile) {
  const handle = await open(file.path);
  try {
    const reader = await arrow.RecordBatchReader.from(handle);
    await reader.open();
    return { handle, reader };
  } catch (e) {
    const truncated = await looksTruncated(handle, file.bytes).catch(() => false);
    await handle.close();
    if (truncated) throw cannotRead(file.path, `it starts as an Arrow IPC file but does not end as one (no closing "${FILE_MAGIC}"): it is truncated, or still being written`);
    throw cannotRead(file.path, `not an Arrow IPC file or stream (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The file format starts and ends with its magic: a file with only the first was cut short. */
async function looksTruncated(handle: FileHandle, size: number): Promise<boolean> {
  const n = FILE_MAGIC.length;
  if (size < 2 * n) return false;
  const head = Buffer.alloc(n);
  const tail = Buffer.alloc(n);
  await handle.read(head, 0, n, 0);
  await handle.read(tail, 0, n, size - n);
  return head.toString('latin1') === FILE_MAGIC && tail.toString('latin1') !== FILE_MAGIC;
}

/** Where each record batch's message (with its body) lies in a file, and its row count. */
type BatchLayout = { bytes: [number, number]; rows: number }[];

/** Fills `into[at, at + length)` from the file's bytes at `position`, or says the file ends first. */
async function readInto(handle: FileHandle, path: string, into: Uint8Array, at: number, length: number, position: number): Promise<void> {
  for (let filled = 0; filled < length; ) {
    const { bytesRead } = await handle.read(into, at + filled, length - filled, position + filled);
    if (bytesRead === 0) throw cannotRead(path, `the file ends at byte ${position + filled}, inside a message that needs ${length} bytes from byte ${position}; it is truncated`);
    filled += bytesRead;
  }
}

async function readAt(handle: FileHandle, path: string, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  await readInto(handle, path, buffer, 0, length, position);
  return buffer;
}

/**
 * Walks the IPC messages of a file by their headers (no body is read). Undefined when
 * its batches cannot be read one by one: a stream with dictionary batches (a batch's
 * dictionary-encoded columns refer to earlier messages).
 */
async function layoutOf(handle: FileHandle, path: string, size: number): Promise<BatchLayout | undefined> {
  const head = await readAt(handle, path, Math.min(size, FILE_HEAD_BYTES), 0);
  const isFile = head.toString('latin1', 0, FILE_MAGIC.length) === FILE_MAGIC;
  // In the file format the messages end where the footer starts.
  const end = isFile ? size - FILE_TAIL_BYTES - (await readAt(handle, path, 4, size - FILE_TAIL_BYTES)).readInt32LE(0) : size;
  let at = isFile ? FILE_HEAD_BYTES : 0;
  const batches: BatchLayout = [];
  while (at + 4 <= end) {
    // A message: the continuation token (-1, absent before Arrow 0.15), the metadata's
    // length, the metadata (a flatbuffer, padded), then the body.
    const start = await readAt(handle, path, Math.min(8, end - at), at);
    const continued = start.readInt32LE(0) === -1;
    const prefix = continued ? 8 : 4;
    const metadataBytes = !continued ? start.readInt32LE(0) : start.byteLength === 8 ? start.readInt32LE(4) : 0;
    if (metadataBytes === 0) break; // end of stream
    if (metadataBytes < 0 || at + prefix + metadataBytes > end) throw cannotRead(path, `the message at byte ${at} claims ${metadataBytes} bytes of metadata; the file is damaged or truncated`);
    const message = arrow.Message.decode(await readAt(handle, path, metadataBytes, at + prefix));
    const messageEnd = at + prefix + metadataBytes + Number(message.bodyLength);
    if (messageEnd > end) throw cannotRead(path, `the message at byte ${at} ends at byte ${messageEnd}, past the end of its data (${end}); the file is truncated`);
    if (message.isRecordBatch()) batches.push({ bytes: [at, messageEnd], rows: message.header().length });
    else if (!message.isSchema()) return undefined;
    at = messageEnd;
  }
  return batches;
}

/** `schema` as an IPC schema message with its prefix: what a stream starts with. */
function schemaMessageOf(schema: arrow.Schema): Uint8Array {
  const stream = arrow.tableToIPC(new arrow.Table(schema), 'stream');
  // The stream of a table without batches is the schema message and the end-of-stream marker.
  return stream.slice(0, stream.byteLength - END_OF_STREAM.byteLength);
}

export async function readArrow(files: InputFile[], options: Record<string, unknown> | undefined, reader: ReaderOptions): Promise<InputSource> {
  for (const key of Object.keys(options ?? {})) {
    throw new InputError(`Unknown arrow input option "${key}". Arrow inputs take no options.`, { format: 'arrow' });
  }
  // Every file's schema must agree, and its layout gives the row count; both are known
  // before any row is read.
  let schema: arrow.Schema | undefined;
  const spans: ArrowBatchSpan[] = [];
  let splittable = true;
  let totalRows = 0;
  for (const file of files) {
    const { handle, reader: opened } = await openReader(file);
    try {
      const fileSchema = normalizeSchema(opened.schema);
      if (schema === undefined) schema = fileSchema;
      else if (toDDL(fileSchema) !== toDDL(schema)) {
        throw new InputError(
          `Cannot read arrow input: "${file.path}" has schema ${toDDL(fileSchema)}, but "${files[0]!.path}" has ${toDDL(schema)}. ` +
            `All part files must share one schema.`,
          { path: file.path, format: 'arrow' },
        );
      }
      const layout = splittable ? await layoutOf(handle, file.path, file.bytes) : undefined;
      if (layout === undefined) splittable = false;
      else {
        // The file's own schema (before normalizing): the one its batches were written in.
        const schemaMessage = schemaMessageOf(opened.schema);
        // Consecutive batches lie back to back, so a run of them is one read: writers
        // often make small batches (parquet-wasm's are 1,024 rows), and a task per batch
        // cost more than the batch.
        let run: ArrowBatchSpan | undefined;
        for (const b of layout) {
          if (run !== undefined && run.rows < SPLIT_BATCHES * reader.batchSize) {
            run.batchBytes = [run.batchBytes[0], b.bytes[1]];
            run.rows += b.rows;
          } else {
            run = { path: file.path, version: fileVersion(file), schemaMessage, batchBytes: b.bytes, firstRow: totalRows, rows: b.rows };
            spans.push(run);
          }
          totalRows += b.rows;
        }
      }
    } finally {
      await handle.close();
    }
  }
  const outSchema = schema!;

  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (const file of files) {
      const { handle, reader } = await openReader(file);
      try {
        for await (const b of reader) if (b.numRows > 0) yield normalizeBatch(b, outSchema);
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw cannotRead(file.path, e instanceof Error ? e.message : String(e));
      } finally {
        await handle.close();
      }
    }
  }
  return {
    schema: outSchema,
    batches: batches(),
    // Without a layout (dictionary batches) the count would need every batch: left unknown.
    totalRows: splittable ? totalRows : undefined,
    ...(splittable ? { splits: (start: number, end: number, maxRows?: number) => arrowSplits(spans, start, end, maxRows) } : {}),
    description: `arrow ${files[0]!.path}`,
  };
}

/**
 * The rows of an Arrow split (`read-split.ts`), in batches of `batchSize`: its run of
 * record batches is read as a stream of its own (the file's schema message, the
 * batches' messages, an end-of-stream marker), without the rest of the file.
 */
export async function* readArrowSplit(split: ArrowSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const [b0, b1] = split.batchBytes;
  // The run is read straight into its place between the schema and the end marker: one
  // buffer, every byte copied once.
  const head = split.schemaMessage.byteLength;
  const stream = new Uint8Array(head + (b1 - b0) + END_OF_STREAM.byteLength);
  stream.set(split.schemaMessage, 0);
  stream.set(END_OF_STREAM, head + (b1 - b0));
  const handle = await open(split.path);
  try {
    await readInto(handle, split.path, stream, head, b1 - b0, b0);
  } finally {
    await handle.close();
  }
  let read: arrow.RecordBatch[];
  try {
    read = arrow.RecordBatchReader.from(stream).readAll();
  } catch (e) {
    throw cannotRead(split.path, `the record batches at bytes ${b0}…${b1}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Rows [offset, offset + rows) of the run, each batch cut to at most batchSize. The
  // batches share the stream's schema: normalized once.
  const schema = read[0] !== undefined ? normalizeSchema(read[0].schema) : undefined;
  let skip = split.offset;
  let left = split.rows;
  for (const batch of read) {
    if (left === 0) break;
    if (skip >= batch.numRows) {
      skip -= batch.numRows;
      continue;
    }
    const rows = normalizeBatch(batch, schema!);
    const end = Math.min(batch.numRows, skip + left);
    for (let at = skip; at < end; at += batchSize) yield rows.slice(at, Math.min(end, at + batchSize));
    left -= end - skip;
    skip = 0;
  }
  if (left > 0) throw cannotRead(split.path, `bytes ${b0}…${b1} hold ${split.rows - left} of the ${split.rows} rows the job expected there; the file changed`);
}
