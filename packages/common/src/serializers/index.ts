/**
 * Built-in serializers, lookup by id, and validation of custom serializer modules.
 * A custom serializer is a module whose default export is `{ id, serialize, deserialize }`.
 */
import { SerializerError } from '../errors.js';
import { compressedSerializer } from './compressed.js';
import { fastSerializer } from './fast.js';
import type { Serializer } from './serializer.js';
import { zstdSerializer } from './zstd.js';

/**
 * `fast` (msgpackr; the default), `compressed` (msgpackr + LZ4: cheap compression) and
 * `zstd` (msgpackr + Zstandard: the smallest payloads for text- and record-heavy
 * contexts). Every one decodes in pure JS/WASM, so workers on any platform read them.
 */
export const serializers: { readonly fast: Serializer; readonly compressed: Serializer; readonly zstd: Serializer } = Object.freeze({
  fast: fastSerializer,
  compressed: compressedSerializer,
  zstd: zstdSerializer,
});

/** Ids of the built-in serializers. */
export const BUILTIN_SERIALIZER_IDS: readonly string[] = Object.freeze(Object.keys(serializers));

/** The built-in serializer with this id; throws a SerializerError listing the known ids otherwise. */
export function resolveSerializer(id: string): Serializer {
  if (Object.hasOwn(serializers, id)) return serializers[id as keyof typeof serializers];
  throw new SerializerError(
    `Unknown serializer "${id}". Known serializers: ${BUILTIN_SERIALIZER_IDS.join(', ')}. ` +
      'For a custom serializer pass the path of a module whose default export is { id, serialize, deserialize } (e.g. --serializer ./my-serializer.ts).',
    { serializerId: id },
  );
}

/**
 * Check that a custom serializer module's default export (`value`; a module namespace with
 * a `default` is unwrapped) has the Serializer shape, and return it wrapped so that its
 * failures and wrong return types surface as SerializerErrors naming `source`.
 */
export function validateSerializer(value: unknown, source: string): Serializer {
  let candidate = value;
  if (
    typeof candidate === 'object' && candidate !== null && 'default' in candidate &&
    !('serialize' in candidate) && typeof (candidate as { default: unknown }).default === 'object'
  ) {
    candidate = (candidate as { default: unknown }).default;
  }
  const shape = '{ id: string; serialize(value): Uint8Array; deserialize(bytes: Uint8Array): unknown }';
  if (typeof candidate !== 'object' || candidate === null) {
    throw new SerializerError(
      `Custom serializer ${source} must default-export an object ${shape}, but its default export is ${candidate === null ? 'null' : typeof candidate}.`,
    );
  }
  const s = candidate as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof s.id !== 'string' || s.id.trim() === '') problems.push('"id" (a non-empty string)');
  if (typeof s.serialize !== 'function') problems.push('"serialize" (a function)');
  if (typeof s.deserialize !== 'function') problems.push('"deserialize" (a function)');
  if (problems.length > 0) {
    throw new SerializerError(
      `Custom serializer ${source} must default-export an object ${shape}; it is missing ${problems.join(', ')}.`,
    );
  }
  const id = s.id as string;
  if (BUILTIN_SERIALIZER_IDS.includes(id)) {
    throw new SerializerError(
      `Custom serializer ${source} uses the id "${id}", which is reserved for the built-in serializer. Choose another id.`,
      { serializerId: id },
    );
  }
  const serialize = s.serialize as (v: unknown) => unknown;
  const deserialize = s.deserialize as (b: Uint8Array) => unknown;
  return Object.freeze({
    id,
    serialize(v: unknown): Uint8Array {
      let out: unknown;
      try {
        out = serialize.call(s, v);
      } catch (e) {
        throw new SerializerError(`Custom serializer "${id}" (${source}) failed to serialize: ${(e as Error)?.message ?? String(e)}`, { serializerId: id }, { cause: e });
      }
      if (!(out instanceof Uint8Array)) {
        throw new SerializerError(
          `Custom serializer "${id}" (${source}) returned ${out === null ? 'null' : typeof out === 'object' ? (out.constructor?.name ?? 'an object') : typeof out} from serialize(); it must return a Uint8Array (a Buffer is fine).`,
          { serializerId: id },
        );
      }
      return out;
    },
    deserialize(b: Uint8Array): unknown {
      try {
        return deserialize.call(s, b);
      } catch (e) {
        throw new SerializerError(`Custom serializer "${id}" (${source}) failed to deserialize: ${(e as Error)?.message ?? String(e)}`, { serializerId: id }, { cause: e });
      }
    },
  });
}
