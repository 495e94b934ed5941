/** Build a payload frame (see `payload-format.ts`) and compute its content address. */
import { createHash } from 'node:crypto';
import { PayloadError } from '../errors.js';
import type { Serializer } from '../serializers/serializer.js';
import {
  CHECKSUM_BYTES,
  FIXED_HEADER_BYTES,
  PAYLOAD_FORMAT_VERSION,
  PAYLOAD_MAGIC,
  SECTION_NAMES,
  type PayloadParts,
} from './payload-format.js';

const encoder = new TextEncoder();
const MAX_SECTION = 0xffff_ffff;

/**
 * Frame the parts into one payload. The context is encoded with `serializer` (whose id
 * is recorded in the header). The bytes are a pure function of the parts, so the same
 * job and context always give the same `payloadHash`.
 */
export function encodePayload(parts: PayloadParts, serializer: Serializer): Uint8Array {
  if (typeof serializer?.id !== 'string' || serializer.id === '' || typeof serializer.serialize !== 'function') {
    throw new PayloadError('encodePayload() needs a serializer { id, serialize, deserialize }.');
  }
  const id = encoder.encode(serializer.id);
  if (id.length > 0xffff) throw new PayloadError('Serializer id is longer than 65535 bytes.');
  const context = serializer.serialize(parts.context);
  if (!(context instanceof Uint8Array)) {
    throw new PayloadError(`Serializer "${serializer.id}" returned ${typeof context} from serialize(); expected a Uint8Array.`);
  }
  const sections = [
    encoder.encode(JSON.stringify(parts.meta)),
    encoder.encode(parts.bundle),
    encoder.encode(parts.sourceMap),
    encoder.encode(parts.serializerCode ?? ''),
    context,
  ];
  const headerBytes = FIXED_HEADER_BYTES + id.length;
  let bodyBytes = 0;
  sections.forEach((s, i) => {
    if (s.length > MAX_SECTION) throw new PayloadError(`Payload section ${SECTION_NAMES[i]} is larger than 4 GiB (${s.length} bytes).`);
    bodyBytes += s.length;
  });
  const out = new Uint8Array(headerBytes + CHECKSUM_BYTES + bodyBytes);
  const view = new DataView(out.buffer);
  out.set(PAYLOAD_MAGIC, 0);
  view.setUint16(8, PAYLOAD_FORMAT_VERSION, true);
  view.setUint16(10, id.length, true);
  out.set(id, 12);
  let pos = 12 + id.length;
  for (const s of sections) {
    view.setUint32(pos, s.length, true);
    pos += 4;
  }
  pos += CHECKSUM_BYTES;
  for (const s of sections) {
    out.set(s, pos);
    pos += s.length;
  }
  out.set(frameChecksum(out, headerBytes), headerBytes);
  return out;
}

/** SHA-256 over the header (before the checksum field) and the body. */
export function frameChecksum(frame: Uint8Array, headerBytes: number): Uint8Array {
  return createHash('sha256')
    .update(frame.subarray(0, headerBytes))
    .update(frame.subarray(headerBytes + CHECKSUM_BYTES))
    .digest();
}

/** sha256 hex of the whole framed payload: its content address. */
export function payloadHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
