/**
 * A custom serializer, written the way a user writes one for `--serializer
 * ./custom-json-gzip.ts`: a module whose default export is `{ id, serialize,
 * deserialize }`. JSON text, gzip-compressed (level 6) with Node's zlib.
 *
 * Like any JSON-based serializer it keeps only what JSON represents: typed arrays come
 * back as index-keyed objects, Map and Set as `{}`, Date as an ISO string, and a bigint
 * makes serialize() throw.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export default {
  id: 'json-gzip',
  serialize(value: unknown): Uint8Array {
    return gzipSync(JSON.stringify(value), { level: 6 });
  },
  deserialize(bytes: Uint8Array): unknown {
    return JSON.parse(gunzipSync(bytes).toString('utf8'));
  },
};
