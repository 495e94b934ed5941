import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { createBatch, parseDDL, rowsToRecordBatch, TsapplyError } from '@tsapply/common';

const schema = parseDDL('name string, n bigint, tags array<string>');
const rb = rowsToRecordBatch(
  [
    { name: 'a', n: 1n, tags: ['x'] },
    { name: null, n: 2n, tags: [] },
  ],
  schema,
);

describe('createBatch', () => {
  it('exposes numRows, columns, arrow and Arrow vectors', () => {
    const batch = createBatch(rb);
    assert.equal(batch.numRows, 2);
    assert.deepEqual(batch.columns, ['name', 'n', 'tags']);
    assert.equal(batch.arrow, rb);
    const v = batch.column('n');
    assert.equal(v.type.typeId, arrow.Type.Int);
    assert.deepEqual(Array.from(v.data[0]!.values as BigInt64Array), [1n, 2n]);
  });

  it('throws naming the valid columns for an unknown one', () => {
    const batch = createBatch(rb);
    assert.throws(() => batch.column('nme'), (e: unknown) => {
      assert.ok(e instanceof TsapplyError);
      assert.equal(e.message, 'Unknown column "nme" in batch.column(). Valid columns: name, n, tags.');
      assert.equal(e.code, 'UNKNOWN_COLUMN');
      return true;
    });
  });

  it('yields fresh plain row objects on every iteration', () => {
    const batch = createBatch(rb);
    const first = [...batch];
    assert.deepEqual(first, [
      { name: 'a', n: 1n, tags: ['x'] },
      { name: null, n: 2n, tags: [] },
    ]);
    assert.equal(Object.getPrototypeOf(first[0]), Object.prototype);
    first[0]!.name = 'changed';
    (first[0]!.tags as string[]).push('y');
    const second = [...batch];
    assert.notEqual(second[0], first[0]);
    assert.equal(second[0]!.name, 'a');
    assert.deepEqual(batch.toArray(), [
      { name: 'a', n: 1n, tags: ['x', 'y'] }, // nested arrays are shared with the converted column (documented)
      { name: null, n: 2n, tags: [] },
    ].map((r, i) => (i === 0 ? { ...r, tags: second[0]!.tags } : r)));
  });

  it('is lazy: vectors are usable without converting rows, and conversion happens once', () => {
    let calls = 0;
    const child = rb.getChildAt(0)!;
    const spy = new Proxy(rb, {
      get(target, prop, receiver) {
        if (prop === 'getChildAt') {
          return (i: number) => {
            calls++;
            return i === 0 ? child : target.getChildAt(i);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const batch = createBatch(spy);
    assert.equal(calls, 0);
    assert.equal(batch.numRows, 2);
    assert.equal(calls, 0);
    [...batch];
    assert.equal(calls, 3);
    [...batch];
    batch.toArray();
    assert.equal(calls, 3);
  });

  it('handles a zero-row batch and column names like __proto__', () => {
    const odd = rowsToRecordBatch([{ __proto__x: 1, 'a b': 2 }], parseDDL('__proto__x int, `a b` int'));
    assert.deepEqual([...createBatch(odd)], [{ __proto__x: 1, 'a b': 2 }]);
    const proto = rowsToRecordBatch([], parseDDL('`__proto__` int'));
    assert.deepEqual([...createBatch(proto)], []);
  });
});
