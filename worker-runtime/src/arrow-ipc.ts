/**
 * Arrow IPC stream bytes ⇄ record batches, for tasks that cross a thread or process
 * boundary as bytes (piscina tasks, the stdio process).
 */
import { RecordBatchReader, Table, tableToIPC } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import { InvalidOptionError, rowsToRecordBatch } from '@tsapply/common';

/**
 * Reads an Arrow IPC stream that holds exactly one record batch (or none: then a
 * zero-row batch of the stream's schema). A group or batch is one unit of work for
 * `apply`, so senders must not split it; more than one batch is refused rather than
 * silently calling `apply` on only part of it.
 */
export function recordBatchFromIPC(bytes: Uint8Array): RecordBatch {
  const reader = RecordBatchReader.from(bytes);
  const batches = [...reader];
  if (batches.length === 1) return batches[0]!;
  if (batches.length === 0) {
    const schema = reader.schema;
    if (schema === undefined || schema === null) {
      throw new InvalidOptionError('Task input is not an Arrow IPC stream: no schema message found.', { option: 'ipc' });
    }
    return rowsToRecordBatch([], schema);
  }
  throw new InvalidOptionError(
    `Task input holds ${batches.length} record batches; a task carries exactly one (one batch or one whole group). Combine them before sending.`,
    { option: 'ipc' },
  );
}

/** Writes record batches (possibly none) as one Arrow IPC stream in a buffer the caller owns outright. */
export function recordBatchesToIPC(batches: readonly RecordBatch[], schema: Schema): Uint8Array {
  const bytes = tableToIPC(new Table(schema, [...batches]), 'stream');
  return ownedBytes(bytes);
}

/**
 * Returns `bytes` if it spans its whole ArrayBuffer, else a copy. Transferring a view
 * into a shared or pooled buffer would detach memory other code still uses.
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes;
  }
  return bytes.slice();
}
