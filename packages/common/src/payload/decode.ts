/**
 * Verify and unpack a payload frame (see `payload-format.ts`). Every check happens
 * before any section is interpreted: magic, version, declared vs. actual size, then
 * the SHA-256; only then is the serializer looked up and the context decoded. Bad
 * bytes always raise a PayloadError with a message saying what is wrong, never garbage.
 */
import { PayloadError, isTsapplyError } from '../errors.js';
import { readOptions } from '../options/read-options.js';
import { BUILTIN_SERIALIZER_IDS, resolveSerializer } from '../serializers/index.js';
import type { Serializer } from '../serializers/serializer.js';
import { frameChecksum, payloadHash } from './encode.js';
import {
  CHECKSUM_BYTES,
  FIXED_HEADER_BYTES,
  PAYLOAD_FORMAT_VERSION,
  PAYLOAD_MAGIC,
  SECTION_NAMES,
  type DecodedPayload,
  type PayloadMeta,
} from './payload-format.js';

export interface DecodePayloadOptions {
  /**
   * Turn a serializer id (and, for custom serializers, the bundled serializer module code
   * carried in the payload) into a Serializer. @default defaultLoadSerializer (the built-ins)
   */
  loadSerializer?: (id: string, serializerCode: string | undefined) => Serializer;
  /**
   * The sha256 hex of `bytes` (`payloadHash`), when the caller has computed it and found
   * it equal to the content address it expected. That hash covers every byte of the
   * frame, so the frame checksum is not computed again, and it is returned as `hash`:
   * a 500 MB payload is hashed once instead of three times.
   */
  verifiedHash?: string;
}

const OPTION_KEYS = ['loadSerializer', 'verifiedHash'] as const;

/** Knows the built-in serializers only; custom ones need a loader that evaluates their code. */
export function defaultLoadSerializer(id: string, serializerCode: string | undefined): Serializer {
  if (BUILTIN_SERIALIZER_IDS.includes(id)) return resolveSerializer(id);
  throw new PayloadError(
    `Payload uses serializer "${id}", which is not available here. Known serializers: ${BUILTIN_SERIALIZER_IDS.join(', ')}. ` +
      (serializerCode
        ? 'The payload carries the custom serializer\'s code; decode it with a loadSerializer that evaluates that code (the worker runtime does).'
        : 'The payload does not carry the serializer\'s code; rebuild it with the custom serializer module.'),
    { code: 'PAYLOAD_UNKNOWN_SERIALIZER' },
  );
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function truncated(expected: number, got: number): PayloadError {
  return new PayloadError(`Payload truncated: expected ${expected} bytes, got ${got}.`, { code: 'PAYLOAD_TRUNCATED' });
}

/** Verify a payload frame and decode its parts (the context with the payload's serializer). */
export function decodePayload(bytes: Uint8Array, options: DecodePayloadOptions = {}): DecodedPayload {
  const o = readOptions('decodePayload()', options, OPTION_KEYS);
  const verifiedHash = o.get('verifiedHash') as string | undefined;
  if (verifiedHash !== undefined && (typeof verifiedHash !== 'string' || !/^[0-9a-f]{64}$/.test(verifiedHash))) {
    o.reject('verifiedHash', `decodePayload() option verifiedHash must be a sha256 hex string (64 lower-case hex digits), got ${JSON.stringify(verifiedHash)}.`);
  }
  o.function('loadSerializer');
  if (!(bytes instanceof Uint8Array)) {
    throw new PayloadError(`decodePayload() expects a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}.`);
  }
  const loadSerializer = options.loadSerializer ?? defaultLoadSerializer;
  const got = bytes.byteLength;
  for (let i = 0; i < PAYLOAD_MAGIC.length; i++) {
    if (i >= got) throw truncated(FIXED_HEADER_BYTES, got);
    if (bytes[i] !== PAYLOAD_MAGIC[i]) throw new PayloadError('Not a tsapply payload (bad magic bytes).', { code: 'PAYLOAD_BAD_MAGIC' });
  }
  if (got < 12) throw truncated(FIXED_HEADER_BYTES, got);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8, true);
  if (version !== PAYLOAD_FORMAT_VERSION) {
    throw new PayloadError(
      `Payload format version ${version} is not supported here (this tsapply reads version ${PAYLOAD_FORMAT_VERSION}). ` +
        'Use the same tsapply version on the driver and the workers.',
      { code: 'PAYLOAD_VERSION' },
    );
  }
  const idLength = view.getUint16(10, true);
  const headerBytes = FIXED_HEADER_BYTES + idLength;
  if (got < headerBytes + CHECKSUM_BYTES) throw truncated(headerBytes + CHECKSUM_BYTES, got);
  const lengths: number[] = [];
  let total = headerBytes + CHECKSUM_BYTES;
  for (let i = 0; i < SECTION_NAMES.length; i++) {
    const n = view.getUint32(12 + idLength + 4 * i, true);
    lengths.push(n);
    total += n;
  }
  if (got < total) throw truncated(total, got);
  if (got > total) {
    throw new PayloadError(
      `Payload is corrupted: its header describes ${total} bytes but there are ${got} (trailing bytes).`,
      { code: 'PAYLOAD_CORRUPTED' },
    );
  }
  if (verifiedHash === undefined) {
    const expectedSum = bytes.subarray(headerBytes, headerBytes + CHECKSUM_BYTES);
    const actualSum = frameChecksum(bytes, headerBytes);
    if (hex(expectedSum) !== hex(actualSum)) {
      throw new PayloadError(
        `Payload checksum mismatch (corrupted in transit or on disk): expected sha256 ${hex(expectedSum)}, got ${hex(actualSum)}.`,
        { code: 'PAYLOAD_CHECKSUM' },
      );
    }
  }
  let serializerId: string;
  const sections: Uint8Array[] = [];
  try {
    serializerId = decoder.decode(bytes.subarray(12, 12 + idLength));
  } catch {
    throw new PayloadError('Payload is corrupted: its serializer id is not valid UTF-8.', { code: 'PAYLOAD_CORRUPTED' });
  }
  let pos = headerBytes + CHECKSUM_BYTES;
  for (const n of lengths) {
    sections.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  const text = (i: number): string => {
    try {
      return decoder.decode(sections[i]);
    } catch {
      throw new PayloadError(`Payload section ${SECTION_NAMES[i]} is not valid UTF-8.`, { code: 'PAYLOAD_CORRUPTED' });
    }
  };
  let meta: PayloadMeta;
  try {
    meta = JSON.parse(text(0)) as PayloadMeta;
  } catch (e) {
    if (isTsapplyError(e)) throw e;
    throw new PayloadError(`Payload meta is not valid JSON: ${(e as Error).message}.`, { code: 'PAYLOAD_CORRUPTED' });
  }
  const serializerCode = sections[3]!.length > 0 ? text(3) : undefined;
  const serializer = loadSerializer(serializerId, serializerCode);
  let context: unknown;
  try {
    context = serializer.deserialize(sections[4]!);
  } catch (e) {
    throw new PayloadError(
      `Payload context could not be decoded with serializer "${serializerId}": ${(e as Error)?.message ?? String(e)}`,
      { code: 'PAYLOAD_CONTEXT' },
      // Keeps the serializer's own stack: for a custom serializer, the user's file and line.
      { cause: e },
    );
  }
  return {
    hash: verifiedHash ?? payloadHash(bytes),
    formatVersion: version,
    serializerId,
    meta,
    bundle: text(1),
    sourceMap: text(2),
    serializerCode,
    context,
  };
}
