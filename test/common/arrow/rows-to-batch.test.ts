import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import {
  createBatch, parseDDL, rowsToRecordBatch, columnsToRecordBatch, recordBatchToRows, vectorToJS, SchemaMismatchError,
} from '@tsapply/common';

const ALL = parseDDL(
  'b boolean, t tinyint, sm smallint, i int, l bigint, f float, d double, s string, bin binary, dt date, ' +
    'ts timestamp, ntz timestamp_ntz, dec decimal(10,2), arr array<int>, m map<string, array<double>>, ' +
    'st struct<a: int, b: string>, nest array<struct<x: bigint, y: map<int, string>>>',
);

/** Through real IPC bytes, as batches travel between processes. */
function viaIpc(batch: arrow.RecordBatch): arrow.RecordBatch {
  return arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([batch]))).batches[0]!;
}

const FULL_ROW = {
  b: true, t: -128, sm: 32767, i: -2147483648, l: 9007199254740993n, f: 1.5, d: 0.1, s: 'héllo wörld 🎉 日本',
  bin: new Uint8Array([0, 1, 255]), dt: new Date('2024-02-29T00:00:00Z'), ts: new Date('2024-01-01T12:34:56.789Z'),
  ntz: new Date('2024-01-01T00:00:00Z'), dec: '-12.30', arr: [1, null, 3], m: new Map([['x', [1.5, -0]], ['y', []]]),
  st: { a: 7, b: 'z' }, nest: [{ x: -(2n ** 63n), y: new Map([[1, 'one'], [2, null]]) }, null],
};
const NULL_ROW = Object.fromEntries(ALL.fields.map((f) => [f.name, null]));

describe('rows → RecordBatch → rows', () => {
  it('round-trips every type exactly, including nulls everywhere', () => {
    const batch = viaIpc(rowsToRecordBatch([FULL_ROW, NULL_ROW, {}], ALL));
    assert.equal(batch.numRows, 3);
    const rows = recordBatchToRows(batch);
    assert.deepEqual(rows[0], FULL_ROW);
    assert.deepEqual(rows[1], NULL_ROW);
    assert.deepEqual(rows[2], NULL_ROW);
    assert.equal(typeof rows[0]!.l, 'bigint');
    assert.equal(rows[0]!.l, 9007199254740993n);
  });

  it('accepts the documented alternative input forms', () => {
    const schema = parseDDL('l bigint, dt date, ts timestamp, dec decimal(10,2), m map<string, int>, bin binary');
    const rows = recordBatchToRows(viaIpc(rowsToRecordBatch([
      { l: 42, dt: '1969-12-31', ts: '2024-01-01T12:00:00.123456+02:00', dec: 0.1 + 0.2, m: { a: 1 }, bin: new ArrayBuffer(2) },
      { l: -1, dt: new Date('2024-05-05T13:00:00Z'), ts: 1.5, dec: 123n, m: {} },
      { ts: '2024-01-01 00:00:00', dec: '-0.005' },
      { ts: -1, dec: '1e2' },
    ], schema)));
    assert.deepEqual(rows, [
      { l: 42n, dt: new Date('1969-12-31T00:00:00Z'), ts: new Date('2024-01-01T10:00:00.123Z'), dec: '0.30', m: new Map([['a', 1]]), bin: new Uint8Array(2) },
      { l: -1n, dt: new Date('2024-05-05T00:00:00Z'), ts: new Date(1), dec: '123.00', m: new Map(), bin: null },
      { l: null, dt: null, ts: new Date('2024-01-01T00:00:00Z'), dec: '-0.01', m: null, bin: null },
      { l: null, dt: null, ts: new Date(-1), dec: '100.00', m: null, bin: null },
    ]);
  });

  it('keeps microseconds in Arrow and negative decimals exact', () => {
    const schema = parseDDL('ts timestamp, dec decimal(38,6)');
    const batch = rowsToRecordBatch([{ ts: '1969-12-31T23:59:59.999999Z', dec: '-12345678901234567890123456789012.123456' }], schema);
    assert.equal((batch.getChild('ts')!.data[0]!.values as BigInt64Array)[0], -1n);
    assert.deepEqual(vectorToJS(batch.getChild('dec')!), ['-12345678901234567890123456789012.123456']);
    assert.deepEqual(vectorToJS(batch.getChild('ts')!), [new Date(-1)]);
  });

  it('writes pyspark-compatible Arrow types', () => {
    const batch = rowsToRecordBatch([{ ts: new Date(0), ntz: new Date(0) }], parseDDL('ts timestamp, ntz timestamp_ntz'));
    assert.equal(String(batch.schema.fields[0]!.type), 'Timestamp<MICROSECOND, UTC>');
    assert.equal(String(batch.schema.fields[1]!.type), 'Timestamp<MICROSECOND>');
  });
});

describe('rowsToRecordBatch errors', () => {
  function mismatch(ddl: string, rows: Record<string, unknown>[]): SchemaMismatchError {
    try {
      rowsToRecordBatch(rows, parseDDL(ddl));
    } catch (e) {
      assert.ok(e instanceof SchemaMismatchError, String(e));
      return e;
    }
    assert.fail('expected a SchemaMismatchError');
  }

  it('names column, expected type, actual value and row', () => {
    const e = mismatch('days bigint', [{ days: 1n }, { days: 2 }, { days: null }, { days: 'abc' }]);
    assert.equal(e.message, 'Column "days" expects bigint but row 3 has string "abc". Return a value of that type or change the schema.');
    assert.equal(e.column, 'days');
    assert.equal(e.expected, 'bigint');
    assert.equal(e.actual, 'string "abc"');
    assert.equal(e.rowIndex, 3);
    assert.equal(e.code, 'SCHEMA_MISMATCH');
  });

  it('refuses an unsafe JS number in a bigint column (no silent precision loss)', () => {
    const e = mismatch('n bigint', [{ n: 2 ** 53 }]);
    assert.equal(
      e.message,
      'Column "n" expects bigint but row 0 has number 9007199254740992, which is beyond Number.MAX_SAFE_INTEGER (2^53 - 1) ' +
        'and may already have lost precision; produce it as a bigint (e.g. 123n or BigInt(x)). Return a value of that type or change the schema.',
    );
    assert.equal(mismatch('n bigint', [{ n: 2n ** 63n }]).message,
      'Column "n" expects bigint but row 0 has bigint 9223372036854775808n, outside the 64-bit integer range. Return a value of that type or change the schema.');
  });

  it('checks ranges, integers, nested values, NOT NULL and extra keys', () => {
    assert.equal(mismatch('i int', [{ i: 1.5 }]).message,
      'Column "i" expects int but row 0 has number 1.5, which is not an integer. Return a value of that type or change the schema.');
    assert.equal(mismatch('t tinyint', [{ t: 128 }]).message,
      'Column "t" expects tinyint but row 0 has number 128, outside the range -128 to 127. Return a value of that type or change the schema.');
    assert.equal(mismatch('a array<int>', [{ a: [1] }, { a: [2, 'x'] }]).message,
      'Column "a" expects int inside array<int> but row 1 has string "x". Return a value of that type or change the schema.');
    assert.equal(mismatch('s string', [{ s: 5 }]).message,
      'Column "s" expects string but row 0 has number 5. Return a value of that type or change the schema.');
    assert.equal(mismatch('d decimal(5,2)', [{ d: '1234.5' }]).message,
      'Column "d" expects decimal(5,2) but row 0 has string "1234.5", which needs more than 5 digits (3 before the point). Return a value of that type or change the schema.');
    assert.equal(mismatch('dt date', [{ dt: '2024-02-30' }]).message,
      "Column \"dt\" expects date but row 0 has string \"2024-02-30\"; date strings must be 'YYYY-MM-DD'. Return a value of that type or change the schema.");
    assert.equal(mismatch('a int NOT NULL', [{ a: 1 }, {}]).message,
      'Column "a" is declared NOT NULL but row 1 has null. Return a value there or remove NOT NULL from the schema.');
    assert.equal(mismatch('a int, b int', [{ a: 1, c: 2 }]).message,
      'Row 0 has column "c", which is not in the schema (columns: a, b). Add it to the schema or leave it out of the returned rows.');
    assert.equal(mismatch('s struct<x: int>', [{ s: { x: 1, y: 2 } }]).message,
      'Column "s" expects struct<x: int> but row 0 has an object with field "y", which the struct does not declare (fields: x). Add it to the schema or drop it.');
    assert.equal(mismatch('m map<string, int>', [{ m: new Map([[null, 1]]) }]).message,
      'Column "m" (map<string, int>) cannot hold a null map key, but row 0 has one. Map keys must not be null.');
  });
});

describe('rowsToRecordBatch gathering', () => {
  it('reads columns by name whatever the key order, allows undefined-valued extra keys, refuses a defined one in any row', () => {
    const schema = parseDDL('a int, b string');
    const rows = [{ a: 1, b: 'x' }, { b: 'y', a: 2 }, { a: 3, extra: undefined }, { b: 'z' }];
    const rb = rowsToRecordBatch(rows, schema);
    assert.deepEqual(recordBatchToRows(rb), [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: null }, { a: null, b: 'z' }]);
    const late = [...Array.from({ length: 30 }, (_, i) => ({ a: i, b: 'same shape' })), { a: 1, b: 'c', c: 0 }];
    assert.throws(() => rowsToRecordBatch(late, schema), { message: /^Row 30 has column "c", which is not in the schema/ });
  });

  it('reads a column named __proto__ from the row itself, as rows are built', () => {
    const schema = parseDDL('`__proto__` string, n int');
    const batch = createBatch(rowsToRecordBatch([JSON.parse('{"__proto__": "own", "n": 1}') as Record<string, unknown>], schema));
    const [row] = batch.toArray();
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 'own');
    assert.equal(row!.n, 1);
  });
});

describe('rowsToRecordBatch shape errors', () => {
  // A row that is not an object is a wrong shape, not a schema mismatch: the same
  // ResultShapeError, with the same message, as without a schema (classify-result.ts),
  // so the message cannot name a schema column.
  it('a row that is not an object is a ResultShapeError naming the row', () => {
    assert.throws(() => rowsToRecordBatch([{ a: 1 }, 5 as never], parseDDL('a int')), {
      name: 'ResultShapeError',
      code: 'RESULT_SHAPE',
      rowIndex: 1,
      actual: 'number 5',
      message: 'Row 1 is number 5; each row must be an object like { name: value }.',
    });
  });
});

describe('columnsToRecordBatch', () => {
  it('builds from arrays and typed arrays, absent columns null', () => {
    const schema = parseDDL('x double, n bigint, s string, i int');
    const batch = columnsToRecordBatch({ x: new Float64Array([1.5, 2.5]), n: new BigInt64Array([1n, 2n]), s: ['a', null] }, schema);
    assert.deepEqual(recordBatchToRows(viaIpc(batch)), [
      { x: 1.5, n: 1n, s: 'a', i: null },
      { x: 2.5, n: 2n, s: null, i: null },
    ]);
  });

  it('refuses different lengths and unknown columns', () => {
    const schema = parseDDL('a int, b int');
    assert.throws(() => columnsToRecordBatch({ a: [1, 2], b: [1] }, schema), {
      message: 'Returned columns have different lengths: "a" has 2 values but "b" has 1. Every column must have one value per row.',
    });
    assert.throws(() => columnsToRecordBatch({ a: [1], z: [1] }, schema), {
      message: 'Returned columns include "z", which is not in the schema (columns: a, b). Add it to the schema or leave it out.',
    });
  });
});
