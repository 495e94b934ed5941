/**
 * `takeRows`: rows gathered by position across a column's chunks, for every type the
 * schema language has, must equal the same rows picked from the JS values.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assembleRecordBatch, RowLocator, parseDDL, recordBatchToRows, rowsToRecordBatch, takeRows } from '@tsapply/common';

const schema = parseDDL(
  'b boolean, t tinyint, sm smallint, i int, l bigint, f float, d double, s string, bin binary, dt date, ' +
    'ts timestamp, dec decimal(10,2), arr array<int>, m map<string, int>, st struct<a: int, b: string>',
);

function row(n: number): Record<string, unknown> {
  if (n % 7 === 3) return Object.fromEntries(schema.fields.map((f) => [f.name, null]));
  return {
    b: n % 2 === 0,
    t: (n % 200) - 100,
    sm: n * 3 - 500,
    i: n * 1000 - 7,
    l: BigInt(n) * 10_000_000_000n - 3n,
    f: n + 0.5,
    d: n / 3,
    s: n % 5 === 0 ? '' : `value ${n} ${'é'.repeat(n % 4)}`,
    bin: Uint8Array.from([n % 256, 1, 2].slice(0, n % 4)),
    dt: new Date(Date.UTC(2020, 0, 1 + n)),
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    dec: `${n}.${String(n % 100).padStart(2, '0')}`,
    arr: n % 3 === 0 ? [] : [n, n + 1],
    m: new Map([[`k${n}`, n]]),
    st: { a: n, b: n % 2 ? null : `s${n}` },
  };
}

describe('takeRows', () => {
  it('gathers rows by position across chunks (including sliced ones) for every type, nulls included', () => {
    const all = Array.from({ length: 60 }, (_, n) => row(n));
    // Three chunks: rows 0–19, a slice holding rows 20–39 of a bigger batch, rows 40–59.
    const first = rowsToRecordBatch(all.slice(0, 20), schema);
    const padded = rowsToRecordBatch([...all.slice(0, 5), ...all.slice(20, 40), ...all.slice(0, 5)], schema).slice(5, 25);
    const last = rowsToRecordBatch(all.slice(40), schema);
    const positions = [59, 0, 21, 21, 3, 39, 40, 20, 10, 17, 45, 2, 38];
    const at = new RowLocator([first.numRows, padded.numRows, last.numRows]).locate(positions);
    const children = schema.fields.map((f, c) => takeRows(f, [first, padded, last].flatMap((b) => b.getChildAt(c)!.data), at));
    const got = recordBatchToRows(assembleRecordBatch(schema, positions.length, children));
    const expected = recordBatchToRows(rowsToRecordBatch(positions.map((p) => all[p]!), schema));
    assert.deepEqual(got, expected);
  });

  it('gives an empty column for no positions', () => {
    const b = rowsToRecordBatch([row(1)], schema);
    const children = schema.fields.map((f, c) => takeRows(f, b.getChildAt(c)!.data, new RowLocator([1]).locate([])));
    assert.equal(assembleRecordBatch(schema, 0, children).numRows, 0);
  });
});
