// The one classification of apply()'s result (classify-result.ts): every wrongly shaped
// result gives the same ResultShapeError — class, code, message and fields — whether it
// is converted with a schema (applyResultToBatches) or collected without one for schema
// inference (applyResultToRows); every good form gives the same rows both ways.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { applyResultToBatches, applyResultToRows, classifyResult, parseDDL, recordBatchToRows, SchemaMismatchError } from '@tsapply/common';
import { assertShapeError, BAD_SHAPES, SHAPES_SCHEMA } from '../../fixtures/common/result-shapes.ts';

const schema = parseDDL(SHAPES_SCHEMA);

/** Evaluates a shape's JS source afresh (generators are single-use). */
const value = (source: string): unknown => new Function(`return (${source});`)();

async function withSchema(result: unknown): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const b of applyResultToBatches(result, schema)) rows.push(...recordBatchToRows(b));
  return rows;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

describe('a wrongly shaped result is one ResultShapeError, with or without a schema', () => {
  for (const shape of BAD_SHAPES) {
    it(shape.name, async () => {
      for (const [how, run] of [['with a schema', withSchema], ['without a schema', applyResultToRows]] as const) {
        assertShapeError(await rejection(run(value(shape.source))), shape, how);
      }
    });
  }
});

describe('the good forms give the same rows with and without a schema', () => {
  const rows = [{ x: 1, label: 'a' }, { x: 2, label: null }];
  const forms: [string, () => unknown][] = [
    ['null', () => null],
    ['undefined', () => undefined],
    ['an array of rows', () => rows],
    ['a {column: values} object with a typed array', () => ({ x: new Float64Array([1, 2]), label: ['a', null] })],
    ['an Arrow RecordBatch', () => arrow.tableFromArrays({ x: new Float64Array([1, 2]), label: ['a', null] }).batches[0]],
    ['a generator', () => (function* () { yield* rows; })()],
    ['an async generator', () => (async function* () { yield* rows; })()],
    ['a Set of rows', () => new Set(rows)],
    ['a promise of rows', () => Promise.resolve(rows)],
  ];
  for (const [name, make] of forms) {
    it(name, async () => {
      const expected = name === 'null' || name === 'undefined' ? [] : rows;
      assert.deepEqual(await withSchema(make()), expected);
      assert.deepEqual(await applyResultToRows(make()), expected);
    });
  }

  it('an absent column (null) is null in every row; an empty object is no rows', async () => {
    assert.deepEqual(await withSchema({ x: [1], label: null }), [{ x: 1, label: null }]);
    assert.deepEqual(await applyResultToRows({ x: [1], label: null }), [{ x: 1, label: null }]);
    assert.deepEqual(await withSchema({}), []);
    assert.deepEqual(await applyResultToRows({}), []);
  });
});

describe('classifyResult', () => {
  it('names each form', async () => {
    const kinds = await Promise.all(
      [null, [], { x: [1] }, arrow.tableFromArrays({ x: [1] }), arrow.tableFromArrays({ x: [1] }).batches[0], new Set(), (async function* () {})(), Promise.resolve([])].map(
        async (v) => (await classifyResult(v)).kind,
      ),
    );
    assert.deepEqual(kinds, ['empty', 'rows', 'columns', 'table', 'recordBatch', 'iterable', 'asyncIterable', 'rows']);
  });

  it('a well-shaped result whose values do not fit the schema stays a SchemaMismatchError', async () => {
    await assert.rejects(withSchema([{ x: 'one', label: 'a' }]), (e: unknown) => {
      assert.ok(e instanceof SchemaMismatchError);
      assert.equal(e.message, 'Column "x" expects double but row 0 has string "one". Return a value of that type or change the schema.');
      return true;
    });
    await assert.rejects(withSchema({ x: [1], extra: [2] }), {
      name: 'SchemaMismatchError',
      message: 'Returned columns include "extra", which is not in the schema (columns: x, label). Add it to the schema or leave it out.',
    });
  });
});
