/**
 * The `fast` serializer: msgpackr with its record extension (repeated object shapes are
 * written once) and `moreTypes`, so bigint (any size, via the bigint extension), Date, Map,
 * Set, RegExp, Error, ArrayBuffer and every typed array round-trip with their exact types.
 *
 * Records are defined inline in each message (no shared structures), so any Packr can
 * decode what another wrote and the bytes are a pure function of the value — which keeps
 * payload hashes stable across runs and machines.
 */
import { Packr } from 'msgpackr';
import { SerializerError } from '../errors.js';
import type { Serializer } from './serializer.js';

/** msgpackr options shared by `fast` and `compressed`. */
export const PACKR_OPTIONS = {
  moreTypes: true,
  useBigIntExtension: true,
  int64AsType: 'bigint',
} as const;

const packr = new Packr(PACKR_OPTIONS);

/** msgpackr-encode `value`, as a SerializerError naming `id` on failure. */
export function msgpackEncode(value: unknown, id: string): Uint8Array {
  try {
    // msgpackr returns a view into its reusable output buffer (with extra properties);
    // copy it so callers own plain, stable bytes.
    return new Uint8Array(packr.pack(value));
  } catch (e) {
    throw new SerializerError(
      `The ${id} serializer could not serialize the value: ${(e as Error).message}. ` +
        'Context values must be plain data (objects, arrays, numbers, strings, bigint, Date, Map, Set, typed arrays).',
      { serializerId: id },
      { cause: e },
    );
  }
}

/** msgpackr-decode `bytes`, as a SerializerError naming `id` on failure. */
export function msgpackDecode(bytes: Uint8Array, id: string): unknown {
  try {
    // msgpackr caches a DataView as a property on its input; give it a throwaway view
    // (zero-copy) so the caller's array is left untouched.
    return packr.unpack(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new SerializerError(
      `The ${id} serializer could not deserialize ${bytes.byteLength} bytes: ${(e as Error).message}. ` +
        'The bytes were not written by this serializer or are corrupted.',
      { serializerId: id },
      { cause: e },
    );
  }
}

export const fastSerializer: Serializer = Object.freeze({
  id: 'fast',
  serialize: (value: unknown): Uint8Array => msgpackEncode(value, 'fast'),
  deserialize: (bytes: Uint8Array): unknown => msgpackDecode(bytes, 'fast'),
});
