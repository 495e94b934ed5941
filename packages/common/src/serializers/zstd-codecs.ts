/**
 * Zstandard compression for the `zstd` serializer, with no native addon on either side.
 *
 * - Encoder: zstd's C library compiled to WebAssembly (`@bokuweb/zstd-wasm`). Its
 *   Emscripten glue only offers an async `init()`, but a Serializer is synchronous, so the
 *   module is instantiated synchronously through Emscripten's documented
 *   `Module.instantiateWasm` hook (`new WebAssembly.Module` / `new WebAssembly.Instance`
 *   are synchronous in Node). This relies on that package's `dist/common/zstd.js` layout,
 *   which is why its version is pinned exactly.
 * - Decoders: the same WASM module, or `fzstd` — pure JavaScript, so a worker on any OS
 *   and CPU can read what any driver wrote. Both read every standard zstd frame.
 *
 * Everything loads lazily on first use, never at import time: importing
 * `@tsapply/common` costs nothing for jobs that do not use zstd.
 *
 * Bytes are one standard zstd frame with the content size in its header (what
 * `ZSTD_compress` writes), so `zstd -d` reads them too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SerializerError } from '../errors.js';

/** The zstd-wasm Emscripten module object, as far as this file uses it. */
interface ZstdWasmModule {
  calledRun?: boolean;
  instantiateWasm?: (imports: object, receive: (instance: WasmInstance) => unknown) => object;
  init(bytes: Uint8Array): void;
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(ptr: number): void;
  _ZSTD_isError(code: number): number;
  _ZSTD_compressBound(n: number): number;
  _ZSTD_compress(dst: number, dstCapacity: number, src: number, srcSize: number, level: number): number;
  _ZSTD_getFrameContentSize(src: number, srcSize: number): number;
  _ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
}

/** The synchronous WebAssembly API (global in Node; not in this project's ES2023 + node typings). */
interface WasmInstance {
  exports: object;
}
interface SyncWebAssembly {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}

interface Fzstd {
  decompress(data: Uint8Array, out?: Uint8Array): Uint8Array;
}

/** Decoder implementations; both decode every zstd frame. */
export type ZstdDecoder = 'wasm' | 'js';

/** Lowest and highest zstd compression levels this serializer accepts (zstd's regular range). */
export const ZSTD_MIN_LEVEL = 1;
export const ZSTD_MAX_LEVEL = 19;

/**
 * The WASM heap is capped at 2 GiB by the module's build; compressing needs the input and
 * an output of `compressBound(n)` side by side, so inputs are limited to well below that.
 */
export const ZSTD_WASM_MAX_INPUT_BYTES = 900 * 1024 * 1024;

const require = createRequire(import.meta.url);
let wasm: ZstdWasmModule | undefined;
let fzstd: Fzstd | undefined;

function fail(message: string, cause?: unknown): SerializerError {
  return new SerializerError(message, { serializerId: 'zstd' }, cause === undefined ? undefined : { cause });
}

/** zstd-wasm's module, instantiated synchronously on first call. */
export function loadZstdWasm(): ZstdWasmModule {
  if (wasm) return wasm;
  let glue: { Module: ZstdWasmModule };
  let binary: Uint8Array;
  try {
    // The package exports only its async entry; its Emscripten glue and .wasm sit beside
    // that entry file (dist/common/), and are reached by absolute path.
    const dir = dirname(require.resolve('@bokuweb/zstd-wasm'));
    glue = require(join(dir, 'zstd.js')) as { Module: ZstdWasmModule };
    binary = readFileSync(join(dir, 'zstd.wasm'));
  } catch (e) {
    throw fail(`The zstd serializer needs the package @bokuweb/zstd-wasm, which could not be loaded: ${(e as Error).message}`, e);
  }
  const m = glue.Module;
  if (!m.calledRun) {
    // Emscripten calls this hook instead of its async WebAssembly.instantiate(); calling
    // `receive` synchronously lets its runtime finish initialising before init() returns.
    const wa = (globalThis as unknown as { WebAssembly: SyncWebAssembly }).WebAssembly;
    m.instantiateWasm = (imports, receive) => {
      const instance = new wa.Instance(new wa.Module(binary), imports);
      receive(instance);
      return instance.exports;
    };
    m.init(binary);
  }
  if (!m.calledRun || typeof m._ZSTD_compress !== 'function') {
    throw fail('The zstd WebAssembly module did not initialise synchronously (unexpected @bokuweb/zstd-wasm layout).');
  }
  wasm = m;
  return m;
}

let autoDecoder: ZstdDecoder | undefined;

/** What `auto` resolves to in this process: `wasm` when its module loads, else `js`. */
export function zstdAutoDecoder(): ZstdDecoder {
  if (autoDecoder === undefined) {
    try {
      loadZstdWasm();
      autoDecoder = 'wasm';
    } catch {
      autoDecoder = 'js';
    }
  }
  return autoDecoder;
}

function loadFzstd(): Fzstd {
  fzstd ??= require('fzstd') as Fzstd;
  return fzstd;
}

/** Compress `data` into one zstd frame at `level` (1–19). */
export function zstdCompress(data: Uint8Array, level: number): Uint8Array {
  if (data.byteLength > ZSTD_WASM_MAX_INPUT_BYTES) {
    throw fail(
      `The zstd serializer can compress at most ${ZSTD_WASM_MAX_INPUT_BYTES} bytes (its WebAssembly heap is limited to 2 GiB), ` +
        `but the encoded context is ${data.byteLength} bytes. Use the "compressed" or "fast" serializer for contexts this large.`,
    );
  }
  const m = loadZstdWasm();
  const bound = m._ZSTD_compressBound(data.byteLength);
  const src = m._malloc(Math.max(1, data.byteLength));
  const dst = m._malloc(bound);
  try {
    if (src === 0 || dst === 0) throw fail(`The zstd WebAssembly heap could not allocate ${data.byteLength + bound} bytes.`);
    // HEAPU8 is re-created when the heap grows, so read it after the allocations.
    m.HEAPU8.set(data, src);
    const written = m._ZSTD_compress(dst, bound, src, data.byteLength, level);
    if (m._ZSTD_isError(written)) throw fail(`zstd compression failed (error code ${written}).`);
    return m.HEAPU8.slice(dst, dst + written);
  } finally {
    m._free(src);
    m._free(dst);
  }
}

/** Read the frame-content-size field of a zstd frame header, or undefined when it is absent. */
export function zstdFrameContentSize(frame: Uint8Array): number | undefined {
  if (frame.byteLength < 5 || frame[0] !== 0x28 || frame[1] !== 0xb5 || frame[2] !== 0x2f || frame[3] !== 0xfd) {
    throw fail(`zstd data is corrupted: it does not start with the zstd magic number (${frame.byteLength} bytes).`);
  }
  const descriptor = frame[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][descriptor & 3]!;
  const fcsBytes = fcsFlag === 0 ? singleSegment : [1, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (frame.byteLength < at + fcsBytes) throw fail(`zstd data is truncated: ${frame.byteLength} bytes end inside the frame header.`);
  let size = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) size = size * 256 + frame[at + i]!;
  return fcsBytes === 2 ? size + 256 : size;
}

/** Decompress one zstd frame with the chosen decoder. */
export function zstdDecompress(frame: Uint8Array, decoder: ZstdDecoder): Uint8Array {
  const size = zstdFrameContentSize(frame);
  if (size === undefined) {
    throw fail('zstd data has no content size in its frame header; the zstd serializer only reads frames it wrote.');
  }
  // A zstd block expands at most 128 KiB per 3 input bytes (an RLE block); anything
  // claiming more is corrupted, and is refused before a huge buffer is allocated.
  if (size > (frame.byteLength / 3 + 1) * 131072) {
    throw fail(`zstd data is corrupted: it claims ${size} decompressed bytes, more than ${frame.byteLength} compressed bytes can hold.`);
  }
  let out: Uint8Array;
  if (decoder === 'js') {
    try {
      out = loadFzstd().decompress(frame, new Uint8Array(size));
    } catch (e) {
      throw fail(`zstd data is corrupted: ${(e as Error).message}.`, e);
    }
  } else {
    const m = loadZstdWasm();
    const src = m._malloc(frame.byteLength);
    const dst = m._malloc(Math.max(1, size));
    try {
      if (src === 0 || dst === 0) throw fail(`The zstd WebAssembly heap could not allocate ${frame.byteLength + size} bytes.`);
      m.HEAPU8.set(frame, src);
      const produced = m._ZSTD_decompress(dst, size, src, frame.byteLength);
      if (m._ZSTD_isError(produced)) throw fail(`zstd data is corrupted (zstd error code ${produced}).`);
      out = m.HEAPU8.slice(dst, dst + produced);
    } finally {
      m._free(src);
      m._free(dst);
    }
  }
  if (out.byteLength !== size) {
    throw fail(`zstd data is corrupted: expected ${size} bytes after decompression, got ${out.byteLength}.`);
  }
  return out;
}
