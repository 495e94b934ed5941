import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { findUnserializable, describeUnserializable, serializers } from '@tsapply/common';

describe('findUnserializable', () => {
  it('accepts what the serializers round-trip', () => {
    const ok = {
      n: 1, s: 'x', b: true, big: 2n ** 70n, nul: null, und: undefined,
      d: new Date(0), r: /x/, e: new Error('kept'), m: new Map([[1, { a: [1n] }]]), set: new Set([1]),
      f64: new Float64Array(2), u8: new Uint8Array(1), buf: Buffer.from('x'), ab: new ArrayBuffer(2),
      nested: [{ deep: [[{}]] }], proto: Object.create(null) as object,
    };
    assert.equal(findUnserializable(ok), undefined);
    const shared = { x: 1 };
    assert.equal(findUnserializable({ a: shared, b: shared, c: [shared] }), undefined);
    assert.doesNotThrow(() => serializers.fast.serialize(ok));
  });

  it('names the path of functions, symbols and methods', () => {
    assert.equal(findUnserializable({ model: { predict() {} } }), 'context.model.predict');
    assert.equal(findUnserializable({ items: [0, 1, 2, () => 1] }), 'context.items[3]');
    assert.equal(findUnserializable({ lookup: new Map([['k', Symbol('s')]]) }), 'context.lookup.get("k")');
    assert.equal(findUnserializable({ lookup: new Map([[7n, () => 0]]) }), 'context.lookup.get(7n)');
    assert.equal(findUnserializable({ lookup: new Map([[() => 0, 1]]) }), 'context.lookup.keys()[0]');
    assert.equal(findUnserializable({ s: new Set([1, Symbol.iterator]) }), 'context.s.values()[1]');
    assert.equal(findUnserializable({ 'my key': { 'x-y': () => 1 } }), 'context["my key"]["x-y"]');
    assert.equal(findUnserializable({ [Symbol('hidden')]: 1 }), 'context[Symbol(hidden)]');
    assert.equal(findUnserializable(() => 1), 'context');
    assert.equal(findUnserializable({ a: () => 1 }, 'ctx'), 'ctx.a');
  });

  it('refuses promises, weak collections, streams, sockets, emitters and class instances', () => {
    class Model {
      weights = [1, 2];
      predict(): number {
        return 1;
      }
    }
    const cases: [unknown, string, string][] = [
      [{ p: Promise.resolve(1) }, 'context.p', 'Promise'],
      [{ w: new WeakMap() }, 'context.w', 'WeakMap'],
      [{ w: new WeakSet() }, 'context.w', 'WeakSet'],
      [{ s: new PassThrough() }, 'context.s', 'stream or socket (PassThrough)'],
      [{ e: new EventEmitter() }, 'context.e', 'stream or socket (EventEmitter)'],
      [{ m: new Model() }, 'context.m', 'class instance (Model)'],
      [{ v: new DataView(new ArrayBuffer(1)) }, 'context.v', 'class instance (DataView)'],
    ];
    for (const [value, path, kind] of cases) {
      const found = describeUnserializable(value);
      assert.equal(found?.path, path, kind);
      assert.equal(found?.kind, kind);
    }
    assert.equal(
      describeUnserializable({ m: new Model() })?.reason,
      'An instance of Model would arrive as a plain object without its methods or prototype. Ship plain data and rebuild the Model in init().',
    );
  });

  it('refuses cycles, naming both ends', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    assert.deepEqual(describeUnserializable({ a }), {
      path: 'context.a.self.back',
      kind: 'circular reference',
      reason: 'It refers back to context.a; the serializers cannot encode cycles. Break the cycle or rebuild it in init().',
    });
    const list: unknown[] = [];
    list.push(list);
    assert.equal(findUnserializable(list), 'context[0]');
  });
});
