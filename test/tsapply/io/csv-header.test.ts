/**
 * Column names of the embedded CSV reader: empty and repeated header names are renamed
 * as Spark 4 renames them (see packages/tsapply/src/io/readers/csv-header.ts), and each
 * column keeps its own values — a header `a,a,b` once gave two columns `a` that both held
 * the second column's values. test/spark/input-parity.test.ts reads the same files with
 * Spark and compares.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { recordBatchToRows, toDDL } from '@tsapply/common';
// Reader internals are not part of the package's public exports: import the built files.
import { openInput } from '../../../packages/tsapply/dist/io/open-input.js';
import { csvColumnNames } from '../../../packages/tsapply/dist/io/readers/csv-header.js';
import { ROOT } from '../cli-helpers.js';

const DATA = join(ROOT, 'test/fixtures/parity/data');

async function readCsv(name: string, options?: Record<string, unknown>) {
  const src = await openInput({ format: 'csv', path: name, ...(options ? { options } : {}) } as never, { baseDir: DATA, batchSize: 100 });
  const rows: Record<string, unknown>[] = [];
  for await (const b of src.batches) rows.push(...recordBatchToRows(b));
  return { names: src.schema.fields.map((f) => f.name), ddl: toDDL(src.schema), rows };
}

describe('csvColumnNames', () => {
  const cases: [string, string[], boolean, string[]][] = [
    ['unique names stay', ['a', 'b'], true, ['a', 'b']],
    ['a repeated name gets its index on every occurrence', ['a', 'a', 'b'], true, ['a0', 'a1', 'b']],
    ['names equal ignoring case are repeats', ['A', 'a', 'b'], true, ['A0', 'a1', 'b']],
    ['three occurrences, mixed case', ['a', 'A', 'a', 'b', 'B'], true, ['a0', 'A1', 'a2', 'b3', 'B4']],
    ['an empty name is _c<index>', ['', 'x', ''], true, ['_c0', 'x', '_c2']],
    ['names of spaces are kept (not trimmed)', [' ', 'x', ' y '], true, [' ', 'x', ' y ']],
    ['without a header every column is _c<index>', ['a', 'a', ''], false, ['_c0', '_c1', '_c2']],
  ];
  for (const [title, first, header, expected] of cases) {
    it(title, () => assert.deepEqual(csvColumnNames(first, header), expected));
  }
});

describe('csv reader: header names', () => {
  it('a,a,B,b,,c → a0,a1,B2,b3,_c4,c, each column with its own values', async () => {
    const { names, ddl, rows } = await readCsv('repeated-header.csv');
    assert.deepEqual(names, ['a0', 'a1', 'B2', 'b3', '_c4', 'c']);
    assert.equal(ddl, 'a0 int, a1 int, B2 int, b3 int, _c4 int, c int');
    assert.deepEqual(rows, [
      { a0: 1, a1: 2, B2: 3, b3: 4, _c4: 5, c: 6 },
      { a0: 7, a1: 8, B2: 9, b3: 10, _c4: 11, c: 12 },
    ]);
  });

  it('blank names: spaces kept, "" renamed', async () => {
    const { names, rows } = await readCsv('blank-header-names.csv');
    assert.deepEqual(names, [' ', 'x', ' y ', '_c3', 'z']);
    assert.deepEqual(rows, [{ ' ': 1, x: 2, ' y ': 3, _c3: 4, z: 5 }]);
  });

  it('case-only repeats: a,A,a,b,B → a0,A1,a2,b3,B4', async () => {
    const { names, rows } = await readCsv('case-only-header.csv');
    assert.deepEqual(names, ['a0', 'A1', 'a2', 'b3', 'B4']);
    assert.deepEqual(rows, [{ a0: 1, A1: 2, a2: 3, b3: 4, B4: 5 }]);
  });

  it('rows longer than the header lose the extra fields, shorter ones get nulls', async () => {
    const { names, rows } = await readCsv('ragged-rows.csv');
    assert.deepEqual(names, ['a0', 'a1']);
    assert.deepEqual(rows, [
      { a0: 1, a1: 2 },
      { a0: 4, a1: null },
    ]);
  });

  it('header: false keeps every line as data under _c0, _c1, …', async () => {
    const { names, rows } = await readCsv('repeated-header.csv', { header: false, inferSchema: false });
    assert.deepEqual(names, ['_c0', '_c1', '_c2', '_c3', '_c4', '_c5']);
    assert.deepEqual(rows[0], { _c0: 'a', _c1: 'a', _c2: 'B', _c3: 'b', _c4: null, _c5: 'c' });
  });

  for (const [file, names, column] of [
    ['renamed-collides.csv', '"a0", "a1", "a0"', 'a0'],
    ['empty-name-collides.csv', '"_c1", "_c1", "b"', '_c1'],
  ] as const) {
    it(`refuses ${file}: the renamed names still collide, as Spark does`, async () => {
      await assert.rejects(readCsv(file), {
        name: 'InputError',
        message:
          `Cannot read csv input "${join(DATA, file)}": after repeated or empty header names are renamed as Spark renames them, ` +
          `the columns are ${names}, so the column "${column}" exists twice. Spark refuses this input too ([COLUMN_ALREADY_EXISTS]). ` +
          'Give the columns distinct names in the header, or declare them with input.options.schema.',
      });
    });
  }

  it('refuses a declared schema with a column twice (ignoring case)', async () => {
    await assert.rejects(readCsv('repeated-header.csv', { schema: 'a int, b int, A string' }), {
      name: 'InputError',
      message:
        `Cannot read csv input "${join(DATA, 'repeated-header.csv')}": input.options.schema declares the columns "a", "b", "A", ` +
        'so the column "A" exists twice (as "a" and "A": names are compared ignoring case). Spark refuses this input too ([COLUMN_ALREADY_EXISTS]). ' +
        'Give the columns distinct names in the header, or declare them with input.options.schema.',
    });
  });
});
