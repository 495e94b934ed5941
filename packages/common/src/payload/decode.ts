import type { Serializer } from '../serializers/serializer.js';
import type { DecodedPayload } from './payload-format.js';
export interface DecodePayloadOptions {
  loadSerializer?: (id: string, serializerCode: string | undefined) => Serializer;
}
export function decodePayload(bytes: Uint8Array, options: DecodePayloadOptions = {}): DecodedPayload { throw new Error('not implemented'); }
export function defaultLoadSerializer(id: string, serializerCode: string | undefined): Serializer { throw new Error('not implemented'); }
