/**
 * The `zstd` serializer: the `fast` (msgpackr) encoding, Zstandard-compressed — the ratio
 * end of the built-ins (as sparklyr's qs offers "fast" and "high"). Pick it when the
 * context is large and travels far (uploaded to a cluster once per job, fetched by every
 * executor): it writes markedly fewer bytes than `compressed` (LZ4) at a slower encode.
 *
 * Encoding and decoding use WebAssembly or pure JavaScript only (see `zstd-codecs.ts`), so
 * a context written on a macOS driver decodes on a Linux/ARM executor with nothing
 * installed there. The bytes are one standard zstd frame wrapping the msgpackr encoding.
 */
import { readOptions } from '../options/read-options.js';
import { msgpackDecode, msgpackEncode } from './fast.js';
import type { Serializer } from './serializer.js';
import { ZSTD_MAX_LEVEL, ZSTD_MIN_LEVEL, zstdAutoDecoder, zstdCompress, zstdDecompress, type ZstdDecoder } from './zstd-codecs.js';

export interface ZstdSerializerOptions {
  /**
   * zstd compression level, 1 (fastest) to 19 (smallest). Decoding speed hardly depends on
   * it. On this project's benchmark contexts level 9 wrote only 6–11% fewer bytes than 3
   * but encoded 2–4× slower, and 15 hardly fewer than 9: 3 is the knee.
   * @default 3
   */
  level?: number;
  /**
   * Decoder: the zstd WebAssembly module (`wasm`), the pure-JS fzstd (`js`), or `auto`:
   * WebAssembly when its module file can be loaded here (it cannot inside a single-file
   * bundle), else fzstd. All read any zstd frame, so this only changes speed.
   * @default 'auto'
   */
  decoder?: 'auto' | ZstdDecoder;
}

/** The level `serializers.zstd` uses. */
export const ZSTD_DEFAULT_LEVEL = 3;

const VALID_OPTIONS = ['level', 'decoder'] as const;

/** A `zstd` serializer with a chosen level and decoder (every variant reads the others' bytes). */
export function createZstdSerializer(options: ZstdSerializerOptions = {}): Serializer {
  const o = readOptions('createZstdSerializer()', options, VALID_OPTIONS);
  const level = (o.get('level') ?? ZSTD_DEFAULT_LEVEL) as number;
  if (!Number.isInteger(level) || level < ZSTD_MIN_LEVEL || level > ZSTD_MAX_LEVEL) {
    o.fail('level', `an integer from ${ZSTD_MIN_LEVEL} to ${ZSTD_MAX_LEVEL}`);
  }
  const decoder = o.oneOf('decoder', ['auto', 'wasm', 'js']) ?? 'auto';
  return Object.freeze({
    id: 'zstd',
    serialize: (value: unknown): Uint8Array => zstdCompress(msgpackEncode(value, 'zstd'), level),
    deserialize: (bytes: Uint8Array): unknown => msgpackDecode(zstdDecompress(bytes, decoder === 'auto' ? zstdAutoDecoder() : decoder), 'zstd'),
  });
}

export const zstdSerializer: Serializer = createZstdSerializer();
