/**
 * Messages from the Node worker to the Python shim (the worker's stdout).
 *
 * Per task, after `start`: the results as one Arrow IPC stream cut at its messages (a
 * `schema` frame before the first result batch, and again only if a batch's schema
 * differs from the last; then one `batch` frame per result record batch, all written by
 * one writer per task), then exactly one terminal message: `done { rowsIn, rowsOut,
 * batchesIn, batchesOut, cancelled }` or `error { error }` with a `serializeError`
 * object (a `UserCodeError` carries the user's message, the original .ts
 * file:line:column and the partition). Nothing is sent between a terminal message and
 * the next `start`.
 *
 * Writes respect backpressure: when the pipe is full `write()` returns false and the
 * writer waits for 'drain' before producing more, so at most about one encoded batch
 * is buffered in this process however large the partition.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AsyncByteQueue, RecordBatchStreamWriter, util } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { SerializedError } from '@tsapply/common';
import { FrameType, frameHeader } from './frames.js';

export interface DoneMessage {
  type: 'done';
  rowsIn: number;
  rowsOut: number;
  batchesIn: number;
  batchesOut: number;
  /** True when the task ended on `cancel` instead of `end`. */
  cancelled: boolean;
}

export interface ErrorMessage {
  type: 'error';
  error: SerializedError;
  /** The worker is ending after this error (a timeout, a crash in user code): start a new one. */
  workerExiting?: boolean;
}

export type WorkerToShimMessage = { type: 'batch'; batch: RecordBatch } | DoneMessage | ErrorMessage;

/**
 * Keeps the pieces an Arrow IPC writer emits (message prefixes, metadata, each column
 * buffer, padding) as they are, so a batch goes out without first being joined into one
 * buffer: joining copied every result byte once more and left a body-sized buffer per
 * batch for the garbage collector.
 */
class IpcChunks extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }

  /** The pieces written since the last call. */
  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}

/** A task's result stream: one writer, its schema written once. */
interface OutputStream {
  schema: Schema;
  writer: RecordBatchStreamWriter;
  sink: IpcChunks;
}

/** Encodes messages as frames onto a writable byte stream, waiting for 'drain' when full. */
export class WorkerMessageWriter {
  private closedError: Error | undefined;
  /** The current task's result stream; a terminal message ends it. */
  private stream: OutputStream | undefined;

  /**
   * @param out the protocol stream (the process's real stdout)
   * @param write the stream's original `write`, so user code's `console.log` (rerouted
   *   to stderr by `main.ts`) can never interleave with frames
   */
  constructor(
    private readonly out: Writable,
    private readonly write: (chunk: Uint8Array) => boolean = (chunk) => out.write(chunk),
  ) {
    out.on('error', (e: Error) => {
      this.closedError = e;
    });
  }

  async send(message: WorkerToShimMessage): Promise<void> {
    if (message.type === 'batch') {
      const { batch } = message;
      let stream = this.stream;
      // A writer given a batch of another schema closes itself: start a new stream instead.
      // (Results come in the task's schema object, so this is an identity check per batch.)
      if (stream === undefined || !util.compareSchemas(stream.schema, batch.schema)) {
        const sink = new IpcChunks();
        const writer = new RecordBatchStreamWriter();
        writer.reset(sink, batch.schema);
        this.stream = stream = { schema: batch.schema, writer, sink };
        await this.sendFrame(FrameType.outputSchema, sink.take());
      }
      stream.writer.write(batch);
      await this.sendFrame(FrameType.outputBatch, stream.sink.take());
    } else {
      this.stream = undefined;
      const type = message.type === 'done' ? FrameType.done : FrameType.error;
      await this.sendFrame(type, [Buffer.from(JSON.stringify(message), 'utf8')]);
    }
  }

  /** The bytes of a terminal message's frame, for a sender that cannot use this writer (the call watchdog). */
  static frameOf(message: DoneMessage | ErrorMessage): Uint8Array {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    return Buffer.concat([frameHeader(message.type === 'done' ? FrameType.done : FrameType.error, body.byteLength), body]);
  }

  /** Writes the header and the body's pieces corked: they leave in one `writev`, one wake-up of the reader. */
  private async sendFrame(type: number, body: readonly Uint8Array[]): Promise<void> {
    if (this.closedError) throw this.closedError;
    let bytes = 0;
    for (const chunk of body) bytes += chunk.byteLength;
    this.out.cork();
    let room = this.write(frameHeader(type, bytes));
    for (const chunk of body) room = this.write(chunk);
    this.out.uncork();
    if (this.closedError) throw this.closedError;
    if (!room) await once(this.out, 'drain');
  }
}
