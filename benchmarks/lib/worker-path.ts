/**
 * What the Node worker does with one task's input frames, with the worker's own code:
 * read each batch from the task's input stream (`ShimFrameDecoder`), wrap it
 * (`createBatch`), call the function, turn its result into Arrow in the output schema,
 * and write the result stream (`WorkerMessageWriter`, into a sink that only counts).
 * For the benchmarks that time tsapply's work in this process, without Spark.
 */
import { Writable } from 'node:stream';
import { RecordBatchStreamWriter, Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { createBatch, resultToBatches, type Batch } from '@tsapply/common';
import { FrameType, type RawFrame } from '../../worker-runtime/dist/process/frames.js';
import { ShimFrameDecoder } from '../../worker-runtime/dist/process/shim-to-worker.js';
import { WorkerMessageWriter } from '../../worker-runtime/dist/process/worker-to-shim.js';

/** The frames the shim sends for one task over `batches` (one schema): the schema message once, then each batch's message. */
export function taskFrames(batches: readonly RecordBatch[]): RawFrame[] {
  const empty = tableToIPC(new Table(batches[0]!.schema), 'stream');
  const schema = empty.subarray(0, empty.byteLength - 8); // the stream minus its end-of-stream marker
  const frames: RawFrame[] = [{ type: FrameType.inputSchema, body: schema }];
  for (const b of batches) {
    const stream = RecordBatchStreamWriter.writeAll([b]).toUint8Array(true);
    frames.push({ type: FrameType.inputBatch, body: stream.slice(schema.byteLength, stream.byteLength - 8) });
  }
  return frames;
}

/** Runs one task's frames through `fn` as the worker would; resolves to the result bytes written. */
export async function workerPath(frames: readonly RawFrame[], fn: (batch: Batch) => unknown, schema: Schema): Promise<number> {
  let bytes = 0;
  const sink = new Writable({
    writev(chunks, done) {
      for (const { chunk } of chunks) bytes += (chunk as Uint8Array).byteLength;
      done();
    },
  });
  const decoder = new ShimFrameDecoder();
  const writer = new WorkerMessageWriter(sink);
  for (const frame of frames) {
    const message = decoder.decode(frame);
    if (message.type !== 'batch') continue;
    for await (const out of resultToBatches(fn(createBatch(message.batch)), schema)) await writer.send({ type: 'batch', batch: out });
  }
  return bytes;
}
