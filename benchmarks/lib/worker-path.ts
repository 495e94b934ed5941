/**
 * What the Node worker does with each input frame, with the library calls it makes: read
 * the Arrow IPC stream, wrap the batch (`createBatch`), call the function, turn its
 * result into Arrow in the output schema, and write the result IPC stream. For the
 * benchmarks that time tsapply's work in this process, without Spark.
 */
import { RecordBatchReader, RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import { createBatch, resultToBatches, type Batch } from '@tsapply/common';

/** Runs every IPC body through `fn` as the worker would; resolves to the result bytes. */
export async function workerPath(ipc: readonly Uint8Array[], fn: (batch: Batch) => unknown, schema: Schema): Promise<number> {
  let bytes = 0;
  for (const body of ipc) {
    const [batch] = RecordBatchReader.from(body).readAll();
    for await (const out of resultToBatches(fn(createBatch(batch!)), schema)) {
      bytes += RecordBatchStreamWriter.writeAll([out]).toUint8Array(true).byteLength;
    }
  }
  return bytes;
}
