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

describe('batch.values()', () => {
  const numbers = parseDDL('x double, n bigint, i int, m double, s string');
  const rb2 = rowsToRecordBatch(
    [
      { x: 0.5, n: 1n, i: 7, m: null, s: 'a' },
      { x: 1.5, n: 2n, i: 8, m: 2.5, s: null },
      { x: 2.5, n: 3n, i: 9, m: 3.5, s: 'c' },
    ],
    numbers,
  );

  it('gives a numeric column without nulls as its typed array, without copying', () => {
    const batch = createBatch(rb2);
    const x = batch.values('x');
    assert.ok(x instanceof Float64Array);
    assert.deepEqual(Array.from(x), [0.5, 1.5, 2.5]);
    assert.equal(x.buffer, (rb2.getChildAt(0)!.data[0]!.values as Float64Array).buffer, 'a view of the batch, no copy');
    assert.ok(batch.values('n') instanceof BigInt64Array);
    assert.deepEqual(Array.from(batch.values('i') as Int32Array), [7, 8, 9]);
  });

  it('gives other columns (nulls, strings) as the values rows hold, and a slice only its rows', () => {
    const batch = createBatch(rb2);
    assert.deepEqual(batch.values('m'), [null, 2.5, 3.5]);
    assert.deepEqual(batch.values('s'), ['a', null, 'c']);
    assert.deepEqual(batch.toArray().map((r) => r.s), ['a', null, 'c'], 'rows read the same converted column');
    const tail = createBatch(rb2.slice(1, 3));
    assert.deepEqual(Array.from(tail.values('x') as Float64Array), [1.5, 2.5]);
    assert.deepEqual(Array.from(tail.values('n') as BigInt64Array), [2n, 3n]);
  });

  it('throws naming the valid columns for an unknown one', () => {
    assert.throws(() => createBatch(rb2).values('y'), { message: 'Unknown column "y" in batch.values(). Valid columns: x, n, i, m, s.' });
  });
});
