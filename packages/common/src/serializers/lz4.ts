/**
 * LZ4 block compression with a 4-byte little-endian uncompressed-length prefix — exactly
 * the format of lz4-napi's `compressSync` / `uncompressSync`.
 *
 * lz4-napi is a native addon, and executors may run on another platform than the driver,
 * so it is loaded lazily (never at import time) and every operation falls back to the
 * pure-JS lz4js, which reads and writes the same block format. `TSAPPLY_LZ4=js` forces
 * the JS path.
 */
import { createRequire } from 'node:module';
import { SerializerError } from '../errors.js';

interface NativeLz4 {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Uint8Array): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
}
interface JsLz4 {
  compressBound(n: number): number;
  compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
  /** One LZ4 frame, whole. */
  decompress(src: Uint8Array): Uint8Array;
}

export type Lz4Implementation = 'native' | 'js';

const require = createRequire(import.meta.url);
let native: NativeLz4 | null | undefined;
let js: JsLz4 | undefined;

/** lz4-napi, or null when its native binary cannot be loaded here. */
export function loadNativeLz4(): NativeLz4 | null {
  if (native === undefined) {
    try {
      native = process.env.TSAPPLY_LZ4 === 'js' ? null : (require('lz4-napi') as NativeLz4);
    } catch {
      native = null;
    }
  }
  return native;
}

function loadJsLz4(): JsLz4 {
  js ??= require('lz4js') as JsLz4;
  return js;
}

/** Largest uncompressed size LZ4 can encode in `n` compressed bytes (max ratio ≈ 255:1). */
function maxDecompressed(compressedBlockBytes: number): number {
  return compressedBlockBytes * 255 + 16;
}

export function lz4Compress(data: Uint8Array, impl: Lz4Implementation | 'auto' = 'auto'): Uint8Array {
  const n = impl === 'js' ? null : loadNativeLz4();
  if (impl === 'native' && !n) {
    throw new SerializerError('lz4-napi is not available on this platform; use the "js" LZ4 implementation.', { serializerId: 'compressed' });
  }
  if (n) return n.compressSync(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const lz4 = loadJsLz4();
  const out = new Uint8Array(4 + lz4.compressBound(data.length) + 16);
  new DataView(out.buffer).setUint32(0, data.length, true);
  const written = data.length === 0 ? 0 : lz4.compressBlock(data, out.subarray(4), 0, data.length, new Uint32Array(1 << 16));
  if (written > 0) return out.subarray(0, 4 + written);
  // lz4js returns 0 when it found no match: write one literal-only sequence instead.
  let pos = 4;
  const len = data.length;
  if (len >= 15) {
    out[pos++] = 0xf0;
    let rest = len - 15;
    while (rest >= 255) {
      out[pos++] = 255;
      rest -= 255;
    }
    out[pos++] = rest;
  } else out[pos++] = len << 4;
  out.set(data, pos);
  return out.subarray(0, pos + len);
}

export function lz4Decompress(data: Uint8Array, impl: Lz4Implementation | 'auto' = 'auto'): Uint8Array {
  if (data.byteLength < 4) {
    throw new SerializerError(`Compressed data is truncated: ${data.byteLength} bytes, less than its 4-byte length prefix.`, {
      serializerId: 'compressed',
    });
  }
  const size = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
  const n = impl === 'js' ? null : loadNativeLz4();
  if (impl === 'native' && !n) {
    throw new SerializerError('lz4-napi is not available on this platform; use the "js" LZ4 implementation.', { serializerId: 'compressed' });
  }
  let out: Uint8Array;
  let produced: number;
  if (n) {
    try {
      out = n.uncompressSync(data);
    } catch (e) {
      throw new SerializerError(`Compressed data is corrupted: ${(e as Error).message}.`, { serializerId: 'compressed' }, { cause: e });
    }
    produced = out.byteLength;
  } else {
    if (size > maxDecompressed(data.byteLength - 4)) {
      throw new SerializerError(
        `Compressed data is corrupted: it claims ${size} uncompressed bytes, more than ${data.byteLength - 4} LZ4 bytes can hold.`,
        { serializerId: 'compressed' },
      );
    }
    out = new Uint8Array(size);
    produced = size === 0 ? 0 : loadJsLz4().decompressBlock(data, out, 4, data.byteLength - 4, 0);
  }
  if (produced !== size) {
    throw new SerializerError(
      `Compressed data is corrupted: expected ${size} bytes after decompression, got ${produced}.`,
      { serializerId: 'compressed' },
    );
  }
  return out;
}

/**
 * Decompresses one LZ4 *frame* (the framed format with its own header and checksums, as
 * in Arrow IPC's LZ4_FRAME buffers), not the length-prefixed blocks above.
 */
export function lz4FrameDecompress(frame: Uint8Array): Uint8Array {
  const n = loadNativeLz4();
  if (n) return n.decompressFrameSync(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
  return loadJsLz4().decompress(frame);
}
