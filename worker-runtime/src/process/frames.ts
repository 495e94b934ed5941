/**
 * Byte framing shared by both directions of the shim ⇄ worker stream.
 *
 * A frame is `u8 type | u32 little-endian body length | body`. Frame types from the
 * shim to the worker are 1..15 and from the worker to the shim 16..31, so a stream
 * read in the wrong direction fails loudly. Bodies are either UTF-8 JSON (control
 * messages) or one Arrow IPC message: each direction of a task is one Arrow IPC stream
 * cut at its messages, a schema frame (the stream's schema message) once, then one
 * record batch frame per batch. The schema crosses once per task, and each side keeps
 * one reader or writer per task instead of decoding and encoding a schema per batch.
 * See `shim-to-worker.ts` and `worker-to-shim.ts` for the messages, and
 * `worker-runtime/python/tsapply_shim.py` for the other end.
 */
import type { Readable } from 'node:stream';
import { TruncatedFrameError } from '../errors.js';

export const FRAME_HEADER_BYTES = 5;

/** Frame type codes. Keep in step with the constants at the top of `tsapply_shim.py`. */
export const FrameType = {
  start: 1,
  inputBatch: 2,
  end: 3,
  cancel: 4,
  inputSchema: 5,
  outputBatch: 17,
  done: 18,
  error: 19,
  outputSchema: 20,
} as const;

export interface RawFrame {
  type: number;
  body: Uint8Array;
}

/** The 5-byte header of a frame. */
export function frameHeader(type: number, bodyLength: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt8(type, 0);
  header.writeUInt32LE(bodyLength, 1);
  return header;
}

// Thrown when the stream ends inside a frame.
export { TruncatedFrameError };

/**
 * Reads frames from a byte stream, pulling chunks only as frames are consumed: while
 * the caller works on a frame nothing more is read, so the OS pipe fills and the
 * writer blocks (backpressure). A body is assembled with one copy once all its bytes
 * are there; at most one frame plus one stream chunk is held.
 */
export async function* readFrames(stream: Readable): AsyncGenerator<RawFrame, void, undefined> {
  let chunks: Buffer[] = [];
  let buffered = 0;

  /** Removes exactly `n` bytes from the front of the chunk list. */
  const take = (n: number): Buffer => {
    if (chunks[0].length === n) {
      buffered -= n;
      return chunks.shift()!;
    }
    if (chunks[0].length > n) {
      const head = chunks[0].subarray(0, n);
      chunks[0] = chunks[0].subarray(n);
      buffered -= n;
      return head;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = chunks[0];
      const want = n - filled;
      if (c.length <= want) {
        c.copy(out, filled);
        filled += c.length;
        chunks.shift();
      } else {
        c.copy(out, filled, 0, want);
        chunks[0] = c.subarray(want);
        filled += want;
      }
    }
    buffered -= n;
    return out;
  };

  let pendingType = -1;
  let pendingLength = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    buffered += (chunk as Buffer).length;
    for (;;) {
      if (pendingType < 0) {
        if (buffered < FRAME_HEADER_BYTES) break;
        const header = take(FRAME_HEADER_BYTES);
        pendingType = header.readUInt8(0);
        pendingLength = header.readUInt32LE(1);
      }
      if (buffered < pendingLength) break;
      const body = pendingLength === 0 ? new Uint8Array(0) : take(pendingLength);
      const type = pendingType;
      pendingType = -1;
      yield { type, body };
    }
  }
  if (pendingType >= 0) throw TruncatedFrameError.fromFields({ expected: pendingLength, got: buffered });
  if (buffered > 0) throw TruncatedFrameError.fromFields({ expected: FRAME_HEADER_BYTES, got: buffered });
  chunks = [];
}
