import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  encodePayload, decodePayload, payloadHash, serializers, validateSerializer, PayloadError, type PayloadParts,
} from '@tsapply/common';

const parts: PayloadParts = {
  meta: { kind: 'job', exportName: 'default', schema: 'a string', groupBy: null, batchSize: 100, sourceFile: 'examples/x.ts', tsapplyVersion: '0.1.0' },
  bundle: 'export default { apply() { return []; } }; // é',
  sourceMap: '{"version":3,"mappings":""}',
  context: { threshold: 3n, when: new Date(0), lookup: new Map([['k', [1, 2]]]) },
};

function expectPayloadError(bytes: Uint8Array, message: string, code?: string): void {
  assert.throws(() => decodePayload(bytes), (e: unknown) => {
    assert.ok(e instanceof PayloadError, String(e));
    assert.equal(e.message, message);
    if (code) assert.equal(e.code, code);
    return true;
  });
}

describe('payload framing', () => {
  it('round-trips every part with both serializers', () => {
    for (const s of [serializers.fast, serializers.compressed]) {
      const bytes = encodePayload(parts, s);
      const decoded = decodePayload(bytes);
      assert.deepEqual(decoded, {
        hash: payloadHash(bytes),
        formatVersion: 1,
        serializerId: s.id,
        meta: parts.meta,
        bundle: parts.bundle,
        sourceMap: parts.sourceMap,
        serializerCode: undefined,
        context: parts.context,
      });
    }
  });

  it('starts with the magic and version, and is deterministic', () => {
    const bytes = encodePayload(parts, serializers.fast);
    assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('latin1'), 'TSAPPLY\0');
    assert.equal(new DataView(bytes.buffer).getUint16(8, true), 1);
    assert.deepEqual(encodePayload(parts, serializers.fast), bytes);
    assert.equal(payloadHash(bytes), createHash('sha256').update(bytes).digest('hex'));
    assert.match(payloadHash(bytes), /^[0-9a-f]{64}$/);
    assert.notEqual(payloadHash(encodePayload({ ...parts, context: 1 }, serializers.fast)), payloadHash(bytes));
  });

  it('detects a flipped byte anywhere, truncation, trailing bytes and bad magic', () => {
    const bytes = encodePayload(parts, serializers.fast);
    const flipped = new Uint8Array(bytes);
    flipped[bytes.length - 3]! ^= 0x01;
    assert.throws(() => decodePayload(flipped), (e: unknown) => {
      assert.ok(e instanceof PayloadError);
      assert.match(e.message, /^Payload checksum mismatch \(corrupted in transit or on disk\): expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}\.$/);
      assert.equal(e.code, 'PAYLOAD_CHECKSUM');
      return true;
    });
    // Flip in the serializer id (header) is caught by the checksum too.
    const idFlip = new Uint8Array(bytes);
    idFlip[12]! ^= 0x20;
    assert.throws(() => decodePayload(idFlip), { code: 'PAYLOAD_CHECKSUM' });
    expectPayloadError(bytes.subarray(0, bytes.length - 10), `Payload truncated: expected ${bytes.length} bytes, got ${bytes.length - 10}.`, 'PAYLOAD_TRUNCATED');
    expectPayloadError(bytes.subarray(0, 20), 'Payload truncated: expected 68 bytes, got 20.');
    expectPayloadError(bytes.subarray(0, 5), 'Payload truncated: expected 32 bytes, got 5.');
    expectPayloadError(new Uint8Array(0), 'Payload truncated: expected 32 bytes, got 0.');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expectPayloadError(longer, `Payload is corrupted: its header describes ${bytes.length} bytes but there are ${bytes.length + 1} (trailing bytes).`);
    expectPayloadError(new TextEncoder().encode('PK\u0003\u0004 a zip file, not a payload'), 'Not a tsapply payload (bad magic bytes).', 'PAYLOAD_BAD_MAGIC');
  });

  it('refuses an unknown format version', () => {
    const bytes = new Uint8Array(encodePayload(parts, serializers.fast));
    new DataView(bytes.buffer).setUint16(8, 2, true);
    expectPayloadError(bytes, 'Payload format version 2 is not supported here (this tsapply reads version 1). Use the same tsapply version on the driver and the workers.', 'PAYLOAD_VERSION');
  });

  it('names an unknown serializer and lists the known ones', () => {
    const custom = validateSerializer({
      id: 'json',
      serialize: (v: unknown) => new TextEncoder().encode(JSON.stringify(v)),
      deserialize: (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)),
    }, './json.ts');
    const withoutCode = encodePayload({ ...parts, context: { a: 1 } }, custom);
    expectPayloadError(withoutCode,
      'Payload uses serializer "json", which is not available here. Known serializers: fast, compressed, zstd. The payload does not carry the serializer\'s code; rebuild it with the custom serializer module.',
      'PAYLOAD_UNKNOWN_SERIALIZER');
    const withCode = encodePayload({ ...parts, context: { a: 1 }, serializerCode: 'export default {…}' }, custom);
    expectPayloadError(withCode,
      'Payload uses serializer "json", which is not available here. Known serializers: fast, compressed, zstd. The payload carries the custom serializer\'s code; decode it with a loadSerializer that evaluates that code (the worker runtime does).');
    const seen: unknown[] = [];
    const decoded = decodePayload(withCode, {
      loadSerializer: (id, code) => {
        seen.push(id, code);
        return custom;
      },
    });
    assert.deepEqual(seen, ['json', 'export default {…}']);
    assert.deepEqual(decoded.context, { a: 1 });
    assert.equal(decoded.serializerCode, 'export default {…}');
  });

  it('wraps a context that fails to decode', () => {
    const bytes = encodePayload(parts, serializers.fast);
    assert.throws(() => decodePayload(bytes, { loadSerializer: () => ({ id: 'fast', serialize: () => new Uint8Array(), deserialize: () => { throw new Error('bad bytes'); } }) }), {
      name: 'PayloadError',
      message: 'Payload context could not be decoded with serializer "fast": bad bytes',
      code: 'PAYLOAD_CONTEXT',
    });
    const thrown = new Error('bad bytes');
    assert.throws(() => decodePayload(bytes, { loadSerializer: () => ({ id: 'fast', serialize: () => new Uint8Array(), deserialize: () => { throw thrown; } }) }), (e: unknown) => {
      assert.equal((e as Error).cause, thrown, 'the serializer\'s own error (with its stack) is kept as the cause');
      return true;
    });
    assert.throws(() => decodePayload(bytes, { loadSerialiser: () => null } as never), {
      message: 'Invalid option in decodePayload(): "loadSerialiser". Did you mean "loadSerializer"? Valid options: loadSerializer, verifiedHash.',
    });
  });

  it('with a verifiedHash, returns it as the hash and does not recompute the frame checksum', () => {
    const bytes = encodePayload(parts, serializers.fast);
    const hash = payloadHash(bytes);
    assert.deepEqual(decodePayload(bytes, { verifiedHash: hash }), decodePayload(bytes));
    // Proof that the frame checksum is skipped: zero the checksum field (32 bytes after the
    // 32-byte header of a 4-byte id such as "fast"). Unverified, that is an error; with the
    // hash of these very bytes, vouched for by the caller, it decodes.
    const noChecksum = bytes.slice();
    noChecksum.fill(0, 32 + 4, 32 + 4 + 32);
    assert.throws(() => decodePayload(noChecksum), { name: 'PayloadError', code: 'PAYLOAD_CHECKSUM' });
    assert.equal(decodePayload(noChecksum, { verifiedHash: payloadHash(noChecksum) }).hash, payloadHash(noChecksum));
    assert.throws(() => decodePayload(bytes, { verifiedHash: 'ABC' }), {
      name: 'InvalidOptionError',
      message: 'decodePayload() option verifiedHash must be a sha256 hex string (64 lower-case hex digits), got "ABC".',
      code: 'INVALID_OPTION',
    });
  });
});
