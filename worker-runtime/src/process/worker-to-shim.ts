/**
 * Messages from the Node worker to the Python shim (the worker's stdout).
 *
 * Per task, after `start`: any number of `batch` frames (each one complete Arrow IPC
 * stream with one result record batch, in the output schema), then exactly one
 * terminal message — `done { rowsIn, rowsOut, batchesIn, batchesOut, cancelled }` or
 * `error { error }` with a `serializeError` object (a `UserCodeError` carries the
 * user's message, the original .ts file:line:column and the partition). Nothing is
 * sent between a terminal message and the next `start`.
 *
 * Writes respect backpressure: when the pipe is full `write()` returns false and the
 * writer waits for 'drain' before producing more, so at most about one encoded batch
 * is buffered in this process however large the partition.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { RecordBatchStreamWriter } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
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

/** Encodes messages as frames onto a writable byte stream, waiting for 'drain' when full. */
/** Frames up to this size are copied to go out in one write with their header. */
const SMALL_FRAME_BYTES = 256 * 1024;

export class WorkerMessageWriter {
  private closedError: Error | undefined;

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
      const body = RecordBatchStreamWriter.writeAll([message.batch]).toUint8Array(true);
      await this.sendFrame(FrameType.outputBatch, body);
    } else {
      const type = message.type === 'done' ? FrameType.done : FrameType.error;
      await this.sendFrame(type, Buffer.from(JSON.stringify(message), 'utf8'));
    }
  }

  /** The bytes of a terminal message's frame, for a sender that cannot use this writer (the call watchdog). */
  static frameOf(message: DoneMessage | ErrorMessage): Uint8Array {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    return Buffer.concat([frameHeader(message.type === 'done' ? FrameType.done : FrameType.error, body.byteLength), body]);
  }

  private async sendFrame(type: number, body: Uint8Array): Promise<void> {
    if (this.closedError) throw this.closedError;
    const header = frameHeader(type, body.byteLength);
    if (body.byteLength > SMALL_FRAME_BYTES) {
      // A large body is written from where it is.
      this.write(header);
      await this.writeChunk(body);
    } else {
      // Header and body in one write: one system call, one wake-up of the reader.
      await this.writeChunk(Buffer.concat([header, body]));
    }
  }

  private async writeChunk(chunk: Uint8Array): Promise<void> {
    if (this.closedError) throw this.closedError;
    if (!this.write(chunk)) await once(this.out, 'drain');
  }
}
