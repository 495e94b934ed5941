import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  serializers, resolveSerializer, validateSerializer, createCompressedSerializer, SerializerError,
} from '@tsapply/common';

const require = createRequire(import.meta.url);

const VALUE = {
  small: 5n,
  int64max: 2n ** 63n - 1n,
  int64min: -(2n ** 63n),
  beyond: 2n ** 100n + 1n,
  safe: 2 ** 40,
  float: 0.1,
  date: new Date('2024-01-31T12:00:00.123Z'),
  map: new Map<unknown, unknown>([['k', { nested: [1, 2] }], [1, 'one'], [3n, new Date(0)]]),
  set: new Set(['a', 1]),
  f64: new Float64Array([1.5, -2.25]),
  i32: new Int32Array([-1, 7]),
  u8: new Uint8Array([0, 255]),
  big64: new BigInt64Array([-1n]),
  nested: { list: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }], nul: null, text: 'héllo 🎉' },
  regex: /ab+c/gi,
};

function check(out: unknown): void {
  assert.deepEqual(out, VALUE);
  const o = out as typeof VALUE;
  assert.equal(o.f64.constructor, Float64Array);
  assert.equal(o.i32.constructor, Int32Array);
  assert.equal(o.u8.constructor, Uint8Array);
  assert.ok(o.map instanceof Map);
  assert.ok(o.set instanceof Set);
  assert.equal(o.beyond, 2n ** 100n + 1n);
  assert.equal(typeof o.safe, 'number');
}

describe('serializers', () => {
  for (const name of ['fast', 'compressed', 'zstd'] as const) {
    it(`${name} round-trips bigint, Date, Map, Set, typed arrays and nested objects exactly`, () => {
      const s = serializers[name];
      assert.equal(s.id, name);
      const bytes = s.serialize(VALUE);
      assert.ok(bytes instanceof Uint8Array);
      check(s.deserialize(bytes));
      // Deterministic: the same value gives the same bytes (stable payload hashes).
      assert.deepEqual(s.serialize(VALUE), bytes);
      check(s.deserialize(s.serialize(VALUE)));
    });
  }

  it('compressed actually compresses repetitive data', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ id: i, label: 'the same label every time' }));
    const fast = serializers.fast.serialize(rows).byteLength;
    const compressed = serializers.compressed.serialize(rows).byteLength;
    assert.ok(compressed < fast / 3, `${compressed} vs ${fast}`);
  });

  it('compressed bytes from lz4-napi decode with the pure-JS lz4js fallback and vice versa', () => {
    const native = createCompressedSerializer({ lz4: 'native' });
    const js = createCompressedSerializer({ lz4: 'js' });
    const big = { rows: Array.from({ length: 5000 }, (_, i) => ({ i, s: `text ${i % 37}` })), v: VALUE };
    const fromNative = native.serialize(big);
    assert.deepEqual(js.deserialize(fromNative), big);
    const fromJs = js.serialize(big);
    assert.deepEqual(native.deserialize(fromJs), big);
    // Incompressible and tiny inputs use the literal-only path in lz4js.
    for (const v of [new Uint8Array(0), 'x', new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7919) % 251))]) {
      assert.deepEqual(native.deserialize(js.serialize(v)), v);
      assert.deepEqual(js.deserialize(native.serialize(v)), v);
    }
    // Same format as lz4-napi's own block API (4-byte LE length prefix).
    const lz4 = require('lz4-napi') as { uncompressSync(b: Uint8Array): Buffer };
    assert.deepEqual(new Uint8Array(lz4.uncompressSync(fromJs)), new Uint8Array(serializers.fast.serialize(big)));
  });

  it('imports and decodes where lz4-napi is unavailable (TSAPPLY_LZ4=js, separate process)', () => {
    const bytes = Buffer.from(serializers.compressed.serialize({ n: 12345678901234567890n, d: new Date(0) })).toString('base64');
    const script = `
      import { serializers } from '@tsapply/common';
      const v = serializers.compressed.deserialize(Buffer.from(process.argv[1], 'base64'));
      console.log(String(v.n), v.d.toISOString());`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, bytes], {
      env: { ...process.env, TSAPPLY_LZ4: 'js' },
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '12345678901234567890 1970-01-01T00:00:00.000Z\n');
  });

  it('reports corrupted compressed bytes instead of returning garbage', () => {
    const js = createCompressedSerializer({ lz4: 'js' });
    const bytes = serializers.compressed.serialize({ a: 'x'.repeat(1000) });
    assert.throws(() => js.deserialize(bytes.subarray(0, 2)), {
      message: 'Compressed data is truncated: 2 bytes, less than its 4-byte length prefix.',
    });
    const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const lying = new Uint8Array(bytes);
    new DataView(lying.buffer).setUint32(0, size + 1, true);
    assert.throws(() => js.deserialize(lying), {
      name: 'SerializerError',
      message: `Compressed data is corrupted: expected ${size + 1} bytes after decompression, got ${size}.`,
    });
    new DataView(lying.buffer).setUint32(0, 100000, true);
    assert.throws(() => js.deserialize(lying), {
      message: `Compressed data is corrupted: it claims 100000 uncompressed bytes, more than ${bytes.length - 4} LZ4 bytes can hold.`,
    });
    assert.throws(() => createCompressedSerializer({ lz4: 'native' }).deserialize(lying), { name: 'SerializerError' });
  });

  it('refuses values msgpack cannot encode', () => {
    assert.throws(() => serializers.fast.serialize({ s: Symbol('x') }), (e: unknown) => {
      assert.ok(e instanceof SerializerError);
      assert.equal(e.serializerId, 'fast');
      assert.match(e.message, /^The fast serializer could not serialize the value: /);
      return true;
    });
  });

  it('resolveSerializer knows the built-ins and lists them otherwise', () => {
    assert.equal(resolveSerializer('fast'), serializers.fast);
    assert.equal(resolveSerializer('compressed'), serializers.compressed);
    assert.equal(resolveSerializer('zstd'), serializers.zstd);
    assert.throws(() => resolveSerializer('toString'), {
      name: 'SerializerError',
      message: 'Unknown serializer "toString". Known serializers: fast, compressed, zstd. For a custom serializer pass the path of a module whose default export is { id, serialize, deserialize } (e.g. --serializer ./my-serializer.ts).',
    });
  });

  it('validateSerializer checks the shape and wraps failures', () => {
    const json = {
      id: 'json',
      serialize: (v: unknown) => new TextEncoder().encode(JSON.stringify(v)),
      deserialize: (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)),
    };
    const s = validateSerializer({ default: json }, './json.ts');
    assert.equal(s.id, 'json');
    assert.deepEqual(s.deserialize(s.serialize({ a: [1] })), { a: [1] });
    assert.throws(() => validateSerializer({ id: 'x', serialize() {} }, './x.ts'), {
      message: 'Custom serializer ./x.ts must default-export an object { id: string; serialize(value): Uint8Array; deserialize(bytes: Uint8Array): unknown }; it is missing "deserialize" (a function).',
    });
    assert.throws(() => validateSerializer({}, './x.ts'), {
      message: 'Custom serializer ./x.ts must default-export an object { id: string; serialize(value): Uint8Array; deserialize(bytes: Uint8Array): unknown }; it is missing "id" (a non-empty string), "serialize" (a function), "deserialize" (a function).',
    });
    assert.throws(() => validateSerializer(undefined, './x.ts'), {
      message: 'Custom serializer ./x.ts must default-export an object { id: string; serialize(value): Uint8Array; deserialize(bytes: Uint8Array): unknown }, but its default export is undefined.',
    });
    assert.throws(() => validateSerializer({ ...json, id: 'fast' }, './x.ts'), {
      message: 'Custom serializer ./x.ts uses the id "fast", which is reserved for the built-in serializer. Choose another id.',
    });
    const bad = validateSerializer({ ...json, serialize: () => 'text' }, './bad.ts');
    assert.throws(() => bad.serialize(1), {
      message: 'Custom serializer "json" (./bad.ts) returned string from serialize(); it must return a Uint8Array (a Buffer is fine).',
    });
    const throwing = validateSerializer({ ...json, deserialize: () => { throw new Error('nope'); } }, './t.ts');
    assert.throws(() => throwing.deserialize(new Uint8Array()), {
      message: 'Custom serializer "json" (./t.ts) failed to deserialize: nope',
    });
  });
});
