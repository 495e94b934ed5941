/**
 * String columns both ways, through the bulk paths: a pure-ASCII column is decoded in
 * windows of text and encoded with one call; anything else value by value. The two
 * paths must agree on every value, null and offset.
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
