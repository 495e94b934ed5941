/**
 * The fast paths of column conversion, against Arrow's own reading: a pure-ASCII string
 * column is decoded in windows of text and encoded with one call (anything else value by
 * value); timestamps are read from int32 halves while they fit 2^52, as BigInt beyond.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { createBatch, parseDDL, recordBatchToRows, rowsToRecordBatch, columnsToRecordBatch } from '@tsapply/common';

const schema = parseDDL('s string');
const roundTrip = (values: (string | null)[]) => recordBatchToRows(columnsToRecordBatch({ s: values }, schema)).map((r) => r.s);

/** Arrow's own reading of a string column (arrow-js, value by value), as the reference. */
const arrowsOwn = (rb: arrow.RecordBatch) => [...rb.getChildAt(0)!].map((v) => v ?? null);

describe('string columns', () => {
  it('round-trips ASCII values of every length, with nulls and empty strings, across decode windows', () => {
    // Lengths from 0 to 3000 bytes: values shorter than, around and longer than one window.
    const values = Array.from({ length: 400 }, (_, i) => (i % 7 === 3 ? null : i % 11 === 0 ? '' : `v${i}:` + 'abcdefghij'.repeat(i % 300)));
    const rb = columnsToRecordBatch({ s: values }, schema);
    assert.equal(rb.getChildAt(0)!.nullCount, values.filter((v) => v === null).length);
    assert.deepEqual(arrowsOwn(rb), values, 'the one-call encoding gives the offsets Arrow reads');
    assert.deepEqual(roundTrip(values), values);
  });

  it('round-trips non-ASCII values (2-, 3- and 4-byte UTF-8) and a column mixing them with ASCII', () => {
    const values = ['plain', 'café', null, '東京', '𝄞 clef', '', 'ascii again', 'naïve'.repeat(50)];
    const rb = columnsToRecordBatch({ s: values }, schema);
    assert.deepEqual(arrowsOwn(rb), values);
    assert.deepEqual(roundTrip(values), values);
  });

  it('round-trips non-ASCII values of every length across decode windows, with nulls', () => {
    const values = Array.from({ length: 300 }, (_, i) => (i % 9 === 4 ? null : `${i}·` + 'Zürich 東京 𝄞 '.repeat(i % 120)));
    const rb = columnsToRecordBatch({ s: values }, schema);
    assert.deepEqual(arrowsOwn(rb), values);
    assert.deepEqual(roundTrip(values), values);
  });

  it('decodes invalid UTF-8 value by value, as each value alone would be', () => {
    const parts = [Buffer.from('ok '), Buffer.from([0xf0, 0x9f]), Buffer.from([0x80, 0x41]), Buffer.from('é fine')];
    const offsets = new Int32Array(parts.length + 1);
    parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
    const data = arrow.makeData({ type: new arrow.Utf8(), length: parts.length, nullCount: 0, valueOffsets: offsets, data: Buffer.concat(parts) });
    const rb = new arrow.RecordBatch({ s: arrow.makeVector(data) } as never);
    assert.deepEqual(createBatch(rb).values('s'), parts.map((p) => new TextDecoder().decode(p)));
  });

  it('encodes a column longer than one JS string may be when joined (value by value)', () => {
    const big = 'x'.repeat(15_000_000);
    const values = [big, 'a', big, big, big, 'b', big]; // 75M characters in all
    const rb = columnsToRecordBatch({ s: values }, schema);
    const offsets = rb.getChildAt(0)!.data[0]!.valueOffsets as Int32Array;
    assert.equal(offsets[values.length], 75_000_002);
    assert.deepEqual(Array.from(createBatch(rb).values('s'), (v) => (v as string).length), values.map((v) => v.length));
  });

  it('encodes a lone surrogate as U+FFFD at its own value, not merged with its neighbour', () => {
    const values = ['a\uD834', '\uDD1Eb'];
    assert.deepEqual(roundTrip(values), ['a\uFFFD', '\uFFFDb']);
  });

  it('reads a sliced batch (offsets not starting at 0)', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? null : `row number ${i} of fifty`));
    const rb = columnsToRecordBatch({ s: values }, schema).slice(17, 40);
    assert.deepEqual(createBatch(rb).toArray().map((r) => r.s), values.slice(17, 40));
    assert.deepEqual(createBatch(rb).values('s'), values.slice(17, 40));
  });

  it('builds strings nested under a null parent (list and struct) on the value-by-value path', () => {
    const nested = parseDDL('l array<string>, st struct<a: string, b: string>');
    const rows = [
      { l: ['x', 'yy'], st: { a: 'p', b: 'q' } },
      { l: null, st: null },
      { l: ['é', ''], st: { a: null, b: 'zz' } },
    ];
    assert.deepEqual(recordBatchToRows(rowsToRecordBatch(rows, nested)), rows);
  });
});

describe('timestamp columns', () => {
  const ts = (unit: arrow.TimeUnit, values: bigint[]) =>
    new arrow.RecordBatch({ t: arrow.makeVector({ type: new arrow.Timestamp(unit, 'UTC'), data: BigInt64Array.from(values) } as never) } as never);
  const dates = (rb: arrow.RecordBatch) => createBatch(rb).toArray().map((r) => (r.t as Date).getTime());

  it('reads microseconds from 1600 to 2400, before and after the 2^52 limit of the fast path, flooring toward -∞', () => {
    const ms = [Date.UTC(1600, 0, 1), Date.UTC(1827, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0, 1, Date.UTC(2026, 11, 5, 8, 30), Date.UTC(2112, 8, 1), Date.UTC(2113, 0, 1), Date.UTC(2400, 0, 1)];
    const micros = ms.flatMap((m) => [BigInt(m) * 1000n, BigInt(m) * 1000n + 999n, BigInt(m) * 1000n - 1n]);
    const expected = micros.map((u) => Number(u / 1000n - (u % 1000n < 0n ? 1n : 0n)));
    assert.deepEqual(dates(ts(arrow.TimeUnit.MICROSECOND, micros)), expected);
    assert.deepEqual(dates(ts(arrow.TimeUnit.MILLISECOND, ms.map(BigInt))), ms);
    assert.deepEqual(dates(ts(arrow.TimeUnit.SECOND, [-86_400n, 0n, 1_790_000_000n])), [-86_400_000, 0, 1_790_000_000_000]);
  });

  it('round-trips Dates with nulls through a timestamp column', () => {
    const schema2 = parseDDL('t timestamp');
    const rows = [{ t: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }, { t: null }, { t: new Date(-1) }];
    assert.deepEqual(recordBatchToRows(rowsToRecordBatch(rows, schema2)), rows);
  });
});
