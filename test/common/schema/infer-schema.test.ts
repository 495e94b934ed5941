import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inferSchema, toDDL, SchemaInferenceError } from '@tsapply/common';

describe('inferSchema', () => {
  it('maps JS values to Spark types', () => {
    const schema = inferSchema([
      {
        b: true, n: 3, big: 9007199254740993n, s: 'x', t: new Date(0), bin: new Uint8Array([1]),
        arr: [1, 2], f64: new Float64Array(2), i32: new Int32Array(1), m: new Map([['k', 1n]]),
        st: { a: 1, b: 'x' }, nested: [{ x: [new Date(1)] }],
      },
    ]);
    assert.equal(
      toDDL(schema),
      'b boolean, n double, big bigint, s string, t timestamp, bin binary, arr array<double>, f64 array<double>, ' +
        'i32 array<int>, m map<string, bigint>, st struct<a: double, b: string>, nested array<struct<x: array<timestamp>>>',
    );
  });

  it('never guesses integers are bigint, scans the whole sample and skips nulls', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, label: i < 40 ? null : `row ${i}` }));
    assert.equal(toDDL(inferSchema(rows)), 'id double, label string');
  });

  it('unions struct fields and keeps columns in first-seen order', () => {
    const schema = inferSchema([{ a: { x: 1 } }, { b: 'late', a: { y: 'z' } }, { a: null }]);
    assert.equal(toDDL(schema), 'a struct<x: double, y: string>, b string');
  });

  it('names the column and both types on a conflict', () => {
    assert.throws(() => inferSchema([{ a: 1 }, { a: 2 }, { a: 'x' }]), {
      name: 'SchemaInferenceError',
      message: 'Cannot infer a type for column "a": it has number (double) in row 0 but string in row 2. Make the values one type or declare `schema` in the job.',
      column: 'a',
    });
    assert.throws(() => inferSchema([{ a: 1n }, { a: 1 }]), {
      message: 'Cannot infer a type for column "a": it has bigint in row 0 but number (double) in row 1. Make the values one type or declare `schema` in the job.',
    });
    assert.throws(() => inferSchema([{ s: { x: 1 } }, { s: { x: true } }]), {
      message: 'Cannot infer a type for column "s": "s.x" has number (double) in row 0 but boolean in row 1. Make the values one type or declare `schema` in the job.',
    });
  });

  it('refuses a column that is null in every row, naming it', () => {
    try {
      inferSchema([{ a: 1, b: null }, { a: 2 }]);
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof SchemaInferenceError);
      assert.equal(
        e.message,
        "Cannot infer a type for column \"b\": it is null in every row (2 rows sampled). Declare `schema` in the job, e.g. schema: 'a double, b string'.",
      );
      assert.equal(e.column, 'b');
    }
    assert.throws(() => inferSchema([{ tags: [] }]), {
      message: "Cannot infer a type for column \"tags\": it has only empty arrays or null elements (1 row sampled). Declare `schema` in the job, e.g. schema: 'tags string'.",
    });
  });

  it('refuses zero rows, non-object rows and unsupported values', () => {
    assert.throws(() => inferSchema([]), {
      message: 'Cannot infer a schema from zero rows. Declare `schema` in the job (Spark DDL, e.g. "name string, n bigint").',
    });
    assert.throws(() => inferSchema([5 as never]), {
      message: 'Cannot infer a schema: row 0 is not a plain object (number). Every row must be an object like { column: value }.',
    });
    class Model {}
    assert.throws(() => inferSchema([{ m: new Model() }]), {
      message: 'Cannot infer a type for column "m": row 0 has a Model value, which has no Spark type. Use boolean, number, bigint, string, Date, Uint8Array, arrays, Maps or plain objects.',
    });
  });
});
