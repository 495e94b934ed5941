import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { applyResultToBatches, applyResultToRows, parseDDL, recordBatchToRows, SchemaMismatchError } from '@tsapply/common';

const schema = parseDDL('a double, b string');

async function collect(result: unknown, max = 2): Promise<{ sizes: number[]; rows: Record<string, unknown>[] }> {
  const sizes: number[] = [];
  const rows: Record<string, unknown>[] = [];
  for await (const batch of applyResultToBatches(result, schema, { maxRowsPerBatch: max })) {
    sizes.push(batch.numRows);
    assert.deepEqual(batch.schema.fields.map((f) => String(f.type)), ['Float64', 'Utf8']);
    rows.push(...recordBatchToRows(batch));
  }
  return { sizes, rows };
}

const FIVE = [0, 1, 2, 3, 4].map((i) => ({ a: i, b: `r${i}` }));

describe('applyResultToBatches', () => {
  it('chunks an array of rows', async () => {
    assert.deepEqual(await collect(FIVE), { sizes: [2, 2, 1], rows: FIVE });
  });

  it('accepts a {column: values} object', async () => {
    assert.deepEqual(await collect({ a: new Float64Array([0, 1, 2, 3, 4]), b: ['r0', 'r1', 'r2', 'r3', 'r4'] }), {
      sizes: [2, 2, 1],
      rows: FIVE,
    });
  });

  it('keeps an Arrow column handed back in a {column: values} object as it is, and converts one of another type', async () => {
    const strings = arrow.vectorFromArray(['r0', 'r1', 'r2'], new arrow.Utf8());
    const batches: arrow.RecordBatch[] = [];
    for await (const b of applyResultToBatches({ a: [0, 1, 2], b: strings }, schema, { maxRowsPerBatch: 10 })) batches.push(b);
    const [batch] = batches;
    assert.equal(batch!.getChild('b')!.data[0], strings.data[0], 'the same Arrow data, not a copy');
    assert.deepEqual(recordBatchToRows(batch!), [0, 1, 2].map((i) => ({ a: i, b: `r${i}` })));
    // Int32 values for a double column: converted, as an array of them would be.
    const ints = arrow.vectorFromArray([5, 6, 7], new arrow.Int32());
    assert.deepEqual((await collect({ a: ints, b: strings }, 2)).rows, [5, 6, 7].map((a, i) => ({ a, b: `r${i}` })));
    assert.deepEqual(await applyResultToRows({ a: ints, b: strings }), [5, 6, 7].map((a, i) => ({ a, b: `r${i}` })));
  });

  it('accepts sync and async iterables lazily, in bounded chunks', async () => {
    let produced = 0;
    function* gen() {
      for (const r of FIVE) {
        produced++;
        yield r;
      }
    }
    const it = applyResultToBatches(gen(), schema, { maxRowsPerBatch: 2 })[Symbol.asyncIterator]();
    const first = await it.next();
    assert.equal((first.value as arrow.RecordBatch).numRows, 2);
    assert.equal(produced, 2); // only one chunk pulled so far
    async function* agen() {
      yield* FIVE;
    }
    assert.deepEqual(await collect(agen()), { sizes: [2, 2, 1], rows: FIVE });
    assert.deepEqual(await collect(new Set(FIVE)), { sizes: [2, 2, 1], rows: FIVE });
  });

  it('accepts Arrow RecordBatch and Table (dictionary strings decoded), re-chunked', async () => {
    const table = arrow.tableFromArrays({ b: ['r0', 'r1', 'r2', 'r3', 'r4'], a: new Float64Array([0, 1, 2, 3, 4]) });
    assert.deepEqual(await collect(table), { sizes: [2, 2, 1], rows: FIVE });
    assert.deepEqual(await collect(table.batches[0], 10), { sizes: [5], rows: FIVE });
  });

  it('accepts a RecordBatch from another copy of apache-arrow (brand and duck typing)', async () => {
    const table = arrow.tableFromArrays({ a: new Float64Array([1, 2]) });
    const batch = table.batches[0]!;
    const utf8 = arrow.vectorFromArray(['x', null], new arrow.Utf8()).data[0]!;
    // A foreign copy: plain objects for schema, fields and types; only the shape matters.
    const fields = [
      { name: 'a', type: { typeId: arrow.Type.Float, precision: arrow.Precision.DOUBLE }, nullable: true },
      { name: 'b', type: { typeId: arrow.Type.Utf8 }, nullable: true },
    ];
    const data = { children: [batch.data.children[0], utf8] };
    const branded = { [Symbol.for('apache-arrow/RecordBatch')]: true, schema: { fields }, data, numRows: 2 };
    const rows = [{ a: 1, b: 'x' }, { a: 2, b: null }];
    assert.deepEqual(await collect(branded), { sizes: [2], rows });
    const ducked = { schema: { fields }, data, numRows: 2, getChildAt: () => null };
    assert.deepEqual(await collect(ducked), { sizes: [2], rows });
  });

  it('refuses Arrow results whose types or columns differ from the schema', async () => {
    await assert.rejects(collect(arrow.tableFromArrays({ a: new Int32Array([1]), b: ['x'] })), {
      name: 'SchemaMismatchError',
      message: 'Column "a" expects double (Arrow Float64) but the returned Arrow Table has Arrow Int32. Build the column with the schema\'s type or change the schema.',
      column: 'a',
    });
    await assert.rejects(collect(arrow.tableFromArrays({ a: new Float64Array([1]) })), {
      message: 'The returned Arrow Table has no column "b" (it has: a). Return every schema column, or change the schema.',
    });
    await assert.rejects(collect(arrow.tableFromArrays({ a: new Float64Array([1]), b: ['x'], c: [1] })), {
      message: 'The returned Arrow Table has column "c" not in the schema (columns: a, b). Drop them or add them to the schema.',
    });
  });

  it('yields nothing for null/undefined and empty results', async () => {
    assert.deepEqual(await collect(null), { sizes: [], rows: [] });
    assert.deepEqual(await collect(undefined), { sizes: [], rows: [] });
    assert.deepEqual(await collect([]), { sizes: [], rows: [] });
    assert.deepEqual(await collect(Promise.resolve(FIVE.slice(0, 1))), { sizes: [1], rows: FIVE.slice(0, 1) });
  });

  it('rejects (not throws) with a clear message for a wrong shape', async () => {
    const msg = (what: string) =>
      `apply() returned ${what}; expected an array of rows, a {column: values} object, an Arrow RecordBatch/Table, or an (async) iterable of rows`;
    await assert.rejects(collect(42), { name: 'ResultShapeError', code: 'RESULT_SHAPE', message: msg('a number') });
    await assert.rejects(collect('rows'), { message: msg('a string') });
    await assert.rejects(collect(true), { message: msg('a boolean') });
    await assert.rejects(collect(() => 1), { message: msg('a function') });
    await assert.rejects(collect({ a: 1, b: 'x' }), {
      message: 'apply() returned a single object whose values are not arrays ("a" is number 1). Return an array of rows ([{ … }]) or a {column: values[]} object.',
    });
  });

  it('reports row indexes across chunks of an iterable', async () => {
    function* gen() {
      yield* FIVE.slice(0, 3);
      yield { a: 'bad', b: 'x' };
    }
    await assert.rejects(collect(gen()), (e: unknown) => {
      assert.ok(e instanceof SchemaMismatchError);
      assert.equal(e.rowIndex, 3);
      assert.equal(e.message, 'Column "a" expects double but row 3 has string "bad". Return a value of that type or change the schema.');
      return true;
    });
  });

  it('validates options', async () => {
    await assert.rejects(collect(FIVE, 0), { message: 'options.maxRowsPerBatch must be a positive integer, got 0.' });
    const it = applyResultToBatches(FIVE, schema, { maxRows: 1 } as never)[Symbol.asyncIterator]();
    await assert.rejects(it.next(), { message: 'Invalid option in applyResultToBatches(): "maxRows". Did you mean "maxRowsPerBatch"? Valid options: maxRowsPerBatch.' });
  });
});
