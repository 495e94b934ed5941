import type { Serializer } from '../serializers/serializer.js';
import type { PayloadParts } from './payload-format.js';
export function encodePayload(parts: PayloadParts, serializer: Serializer): Uint8Array { throw new Error('not implemented'); }
export function payloadHash(bytes: Uint8Array): string { throw new Error('not implemented'); }
