/**
 * The `compressed` serializer: the `fast` (msgpackr) encoding, LZ4-compressed. Its bytes
 * are lz4-napi's block format (4-byte LE length + LZ4 block), decodable by lz4-napi where
 * it loads and by the pure-JS lz4js everywhere else (see `lz4.ts`).
 */
import { readOptions } from '../options/read-options.js';
import { msgpackDecode, msgpackEncode } from './fast.js';
import { lz4Compress, lz4Decompress } from './lz4.js';
import type { Serializer } from './serializer.js';

export interface CompressedSerializerOptions {
  /** LZ4 implementation: lz4-napi when it loads else lz4js (`auto`), or forced. @default 'auto' */
  lz4?: 'auto' | 'native' | 'js';
}

/** A `compressed` serializer with a chosen LZ4 implementation (all of them read each other's bytes). */
export function createCompressedSerializer(options: CompressedSerializerOptions = {}): Serializer {
  const impl = readOptions('createCompressedSerializer()', options, ['lz4']).oneOf('lz4', ['auto', 'native', 'js']) ?? 'auto';
  return Object.freeze({
    id: 'compressed',
    serialize: (value: unknown): Uint8Array => lz4Compress(msgpackEncode(value, 'compressed'), impl),
    deserialize: (bytes: Uint8Array): unknown => msgpackDecode(lz4Decompress(bytes, impl), 'compressed'),
  });
}

export const compressedSerializer: Serializer = createCompressedSerializer();
