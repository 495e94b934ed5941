/**
 * Dates and times in CSV files go through @tsapply/common's one date/time parser, in
 * type inference and under a declared type alike. As on Spark 4, a column of
 * `yyyy-MM-dd` values is a `date`, one mixing them with timestamps a `timestamp`; a
 * day that does not exist
 * (`2024-02-31`, `2023-02-29`) or a time that does not (`24:00:00`) never makes a
 * column a timestamp — Spark infers `string` for it too — and under a declared `date`
 * or `timestamp` it is refused, never rolled over into March (Spark reads it as null,
 * or fails in FAILFAST mode). test/spark/input-parity.test.ts reads the same fixture
 * with Spark and compares.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordBatchToRows, toDDL } from '@tsapply/common';
// Reader internals are not part of the package's public exports: import the built file.
import { openInput } from '../../../packages/tsapply/dist/io/open-input.js';
import { ROOT, tempDir } from '../cli-helpers.js';

const DATA = join(ROOT, 'test/fixtures/parity/data');
const dir = tempDir('tsapply-csv-dates-');
after(() => rmSync(dir, { recursive: true, force: true }));

async function readCsv(path: string, options?: Record<string, unknown>) {
  const src = await openInput({ format: 'csv', path, ...(options ? { options } : {}) } as never, { baseDir: dir, batchSize: 100 });
  const rows: Record<string, unknown>[] = [];
  for await (const b of src.batches) rows.push(...recordBatchToRows(b));
  return { ddl: toDDL(src.schema), rows, schema: src.schema };
}

function csv(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('CSV type inference with impossible dates and times', () => {
  it('a column holding a day or a time that does not exist is a string column; valid ones are timestamps', async () => {
    const { ddl, rows } = await readCsv(join(DATA, 'impossible-dates.csv'));
    assert.equal(ddl, 'id int, leap timestamp, bad_day string, not_leap string, bad_hour string, offset timestamp, micros timestamp');
    assert.deepEqual(rows, [
      {
        id: 1,
        leap: new Date('2024-02-29T10:00:00Z'),
        bad_day: '2024-02-29 10:00:00',
        not_leap: '2023-02-28 10:00:00',
        bad_hour: '2024-01-15 23:59:59',
        offset: new Date('2024-01-15T08:00:00Z'),
        micros: new Date('2024-01-15T10:00:00.123Z'),
      },
      {
        id: 2,
        leap: new Date('2024-03-01T00:00:00Z'),
        bad_day: '2024-02-31 10:00:00',
        not_leap: '2023-02-29 10:00:00',
        bad_hour: '2024-01-15 24:00:00',
        offset: new Date('2024-01-15T15:30:00Z'),
        micros: new Date('2024-01-15T10:00:00.500Z'),
      },
    ]);
  });

  it('timestamps keep their microseconds', async () => {
    const { schema } = await readCsv(join(DATA, 'impossible-dates.csv'));
    const src = await openInput({ format: 'csv', path: join(DATA, 'impossible-dates.csv') }, { baseDir: dir, batchSize: 100 });
    for await (const b of src.batches) {
      const micros = b.getChild('micros')!.data[0]!.values as BigInt64Array;
      assert.deepEqual([...micros], [BigInt(Date.parse('2024-01-15T10:00:00.123Z')) * 1000n + 456n, BigInt(Date.parse('2024-01-15T10:00:00.500Z')) * 1000n]);
    }
    assert.equal(String(schema.fields.find((f) => f.name === 'micros')!.type), 'Timestamp<MICROSECOND, UTC>');
  });
});

describe('CSV type inference of dates', () => {
  it('yyyy-MM-dd values are a date column; with timestamps or other forms, a timestamp column; with an impossible day, a string column', async () => {
    const { ddl, rows } = await readCsv(join(DATA, 'dates.csv'));
    assert.equal(ddl, 'day date, mixed timestamp, short timestamp, bad string');
    assert.deepEqual(rows, [
      { day: new Date('2024-02-29T00:00:00Z'), mixed: new Date('2024-02-29T00:00:00Z'), short: new Date('2024-02-29T00:00:00Z'), bad: '2024-02-29' },
      { day: new Date('2000-02-29T00:00:00Z'), mixed: new Date('2024-03-01T10:00:00Z'), short: new Date('2024-03-01T00:00:00Z'), bad: '2024-02-30' },
    ]);
  });
});

describe('CSV with a declared date or timestamp column', () => {
  it('reads valid dates and timestamps, leap days included', async () => {
    const file = csv('valid.csv', 'd,t\n2024-02-29,2024-02-29T23:59:59Z\n2000-2-29,2024-01-15 10:00:00+02:00\n');
    const { rows } = await readCsv(file, { schema: 'd date, t timestamp' });
    assert.deepEqual(rows, [
      { d: new Date('2024-02-29T00:00:00Z'), t: new Date('2024-02-29T23:59:59Z') },
      { d: new Date('2000-02-29T00:00:00Z'), t: new Date('2024-01-15T08:00:00Z') },
    ]);
  });

  const refused: [string, string, string, string][] = [
    ['2024-02-31 as a date (once read as March 2)', 'd date', '2024-02-31', 'date'],
    ['2023-02-29 as a date', 'd date', '2023-02-29', 'date'],
    ['2024-04-31 as a date', 'd date', '2024-04-31', 'date'],
    ['2024-02-31 as a timestamp', 'd timestamp', '2024-02-31 10:00:00', 'timestamp'],
    ['hour 24 as a timestamp', 'd timestamp', '2024-01-15 24:00:00', 'timestamp'],
  ];
  for (const [title, schema, value, type] of refused) {
    it(`refuses ${title}, naming the file, line and column`, async () => {
      const file = csv(`${type}-${value.replace(/\W/g, '')}.csv`, `d\n2024-01-01\n${value}\n`);
      await assert.rejects(readCsv(file, { schema }), {
        name: 'InputError',
        message: `Cannot read csv input "${file}": line 3, column "d": ${JSON.stringify(value)} is not a valid ${type}. Fix the data or declare the column as string in input.options.schema.`,
      });
    });
  }
});
