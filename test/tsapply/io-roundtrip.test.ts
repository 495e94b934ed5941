/**
 * Readers and writers on real files in temp dirs: every output format round-trips
 * through the matching reader (reading the Spark-style directory back), CSV and JSON
 * types are inferred as Spark infers them, and unreadable inputs name path and format.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { parseDDL, recordBatchToRows, rowsToRecordBatch, toDDL } from '@tsapply/common';
import { openInput } from '../../packages/tsapply/dist/io/open-input.js';
import { DatasetWriter } from '../../packages/tsapply/dist/io/writers/dataset-writer.js';
import { ROOT, tempDir } from './cli-helpers.js';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(spec: Parameters<typeof openInput>[0], batchSize = 1000) {
  const src = await openInput(spec, { baseDir: dir, batchSize });
  const rows: Record<string, unknown>[] = [];
  const sizes: number[] = [];
  for await (const b of src.batches) {
    sizes.push(b.numRows);
    rows.push(...recordBatchToRows(b));
  }
  return { ddl: toDDL(src.schema), rows, sizes, totalRows: src.totalRows };
}

const schema = parseDDL('i int, n bigint, d double, s string, b boolean, t timestamp');
const rows = [
  { i: 1, n: 9007199254740993n, d: 1.5, s: 'a,b "q"', b: true, t: new Date('2020-01-02T03:04:05.678Z') },
  { i: -2, n: -5n, d: -0.25, s: 'plain', b: false, t: new Date('1999-12-31T00:00:00.000Z') },
  { i: null, n: null, d: null, s: null, b: null, t: null },
];

async function writeDataset(format: 'parquet' | 'csv' | 'jsonl' | 'arrow', name: string) {
  const path = join(dir, name);
  const w = await DatasetWriter.open({ path, format, mode: 'error' }, schema);
  await w.write(0, rowsToRecordBatch(rows.slice(0, 2), schema));
  await w.write(1, rowsToRecordBatch(rows.slice(2), schema));
  await w.commit();
  return path;
}

describe('writers → readers round trip', () => {
  it('parquet keeps every type and value', async () => {
    const path = await writeDataset('parquet', 'pq');
    assert.deepEqual(readdirSync(path).sort(), ['_SUCCESS', 'part-00000.parquet', 'part-00001.parquet']);
    const back = await readAll({ format: 'parquet', path: 'pq' });
    assert.equal(back.ddl, 'i int, n bigint, d double, s string, b boolean, t timestamp');
    assert.deepEqual(back.rows, rows);
    assert.equal(back.totalRows, 3);
  });

  it('arrow keeps every type and value', async () => {
    await writeDataset('arrow', 'ar');
    const back = await readAll({ format: 'arrow', path: 'ar' });
    assert.equal(back.ddl, 'i int, n bigint, d double, s string, b boolean, t timestamp');
    assert.deepEqual(back.rows, rows);
  });

  it('csv comes back with Spark-inferred types', async () => {
    await writeDataset('csv', 'csv');
    const back = await readAll({ format: 'csv', path: 'csv' });
    assert.equal(back.ddl, 'i int, n bigint, d double, s string, b boolean, t timestamp');
    assert.deepEqual(back.rows, rows);
  });

  it('jsonl comes back with Spark-inferred types (sorted columns, integers as bigint)', async () => {
    await writeDataset('jsonl', 'jl');
    const back = await readAll({ format: 'jsonl', path: 'jl' });
    // Documented limitation: JSON.parse cannot hold integers beyond 2^53, so such a
    // column is read as double (the writer wrote every digit; Spark reads it as bigint).
    assert.equal(back.ddl, 'b boolean, d double, i bigint, n double, s string, t string');
    assert.deepEqual(back.rows, [
      { b: true, d: 1.5, i: 1n, n: 9007199254740992, s: 'a,b "q"', t: '2020-01-02T03:04:05.678Z' },
      { b: false, d: -0.25, i: -2n, n: -5, s: 'plain', t: '1999-12-31T00:00:00.000Z' },
      { b: null, d: null, i: null, n: null, s: null, t: null },
    ]);
  });

  it('an empty result still writes one part file with the schema', async () => {
    const path = join(dir, 'empty');
    const w = await DatasetWriter.open({ path, format: 'parquet', mode: 'error' }, schema);
    await w.commit();
    const back = await readAll({ format: 'parquet', path: 'empty' });
    assert.equal(back.ddl, 'i int, n bigint, d double, s string, b boolean, t timestamp');
    assert.deepEqual(back.rows, []);
  });

  it('abort leaves nothing behind, not even created parent folders', async () => {
    const path = join(dir, 'deep', 'er', 'out');
    const w = await DatasetWriter.open({ path, format: 'csv', mode: 'error' }, schema);
    await w.write(0, rowsToRecordBatch(rows, schema));
    await w.abort();
    assert.equal(existsSync(join(dir, 'deep')), false);
  });

  it('overwrite replaces an existing directory', async () => {
    const path = await writeDataset('csv', 'over');
    writeFileSync(join(path, 'stale.txt'), 'old');
    const w = await DatasetWriter.open({ path, format: 'jsonl', mode: 'overwrite' }, schema);
    await w.write(0, rowsToRecordBatch(rows, schema));
    await w.commit();
    assert.deepEqual(readdirSync(path).sort(), ['_SUCCESS', 'part-00000.jsonl']);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('tsapply-')), []);
  });
});

describe('readers', () => {
  it('csv infers types like Spark (int, bigint, double incl. NaN, timestamp, boolean any case)', async () => {
    const back = await readAll({ format: 'csv', path: join(ROOT, 'test/fixtures/tsapply/data/people.csv') });
    assert.equal(back.ddl, 'name string, age int, big bigint, score double, joined timestamp, active boolean, note string');
    assert.deepEqual(back.rows[2], { name: 'cy', age: null, big: 7n, score: NaN, joined: new Date('2022-12-31T23:59:59Z'), active: true, note: 'with, comma' });
    assert.deepEqual(back.rows[1]!.joined, new Date('2021-03-04T05:06:07Z'));
    assert.equal(back.rows[1]!.active, false);
  });

  it('csv with a declared schema skips inference; a bad value names file, line and column', async () => {
    const file = join(dir, 'declared.csv');
    writeFileSync(file, 'a,b\n1,x\n2,y\n');
    const ok = await readAll({ format: 'csv', path: 'declared.csv', options: { schema: 'a bigint, b string' } } as never);
    assert.deepEqual(ok.rows, [{ a: 1n, b: 'x' }, { a: 2n, b: 'y' }]);
    await assert.rejects(readAll({ format: 'csv', path: 'declared.csv', options: { schema: 'a string, b int' } } as never), {
      message: `Cannot read csv input "${file}": line 2, column "b": "x" is not a valid int. Fix the data or declare the column as string in input.options.schema.`,
    });
  });

  it('seattle-weather.csv is inferred as Spark infers it', async () => {
    const back = await readAll({ format: 'csv', path: join(ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv') }, 500);
    // Spark 3.4+ infers a column of yyyy-MM-dd values as date (preferDate); checked on Spark 4.1.
    assert.equal(back.ddl, 'date date, precipitation double, temp_max double, temp_min double, wind double, weather string');
    assert.deepEqual(back.rows[0]!.date, new Date('2012-01-01T00:00:00Z'));
    assert.equal(back.rows.length, 1461);
    assert.deepEqual(back.sizes, [500, 500, 461]);
  });

  it('json (array of objects) and jsonl infer the same schema', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{ z: 1, a: 'x', o: { k: 2.5 } }, { z: 2.5, a: null, l: [1, 2] }]));
    writeFileSync(join(dir, 'a.jsonl'), '{"z":1,"a":"x","o":{"k":2.5}}\n\n{"z":2.5,"a":null,"l":[1,2]}\n');
    const j = await readAll({ format: 'json', path: 'a.json' });
    const l = await readAll({ format: 'jsonl', path: 'a.jsonl' });
    assert.equal(j.ddl, 'a string, l array<bigint>, o struct<k: double>, z double');
    assert.equal(l.ddl, j.ddl);
    assert.deepEqual(l.rows, j.rows);
    assert.deepEqual(j.rows[1], { a: null, l: [1n, 2n], o: null, z: 2.5 });
  });

  it('parquet from vega-datasets streams in batches of batchSize', async () => {
    const src = await openInput({ format: 'parquet', path: join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet') }, { baseDir: dir, batchSize: 50_000 });
    assert.equal(src.totalRows, 3_000_000);
    assert.equal(toDDL(src.schema), 'date timestamp_ntz, delay bigint, distance bigint, origin string, destination string');
    const first = await src.batches[Symbol.asyncIterator]().next();
    assert.equal(first.value.numRows, 50_000);
  });

  it('range gives an id bigint column in batches', async () => {
    const back = await readAll({ range: 5 }, 2);
    assert.equal(back.ddl, 'id bigint NOT NULL'); // as Spark's range()
    assert.deepEqual(back.rows.map((r) => r.id), [0n, 1n, 2n, 3n, 4n]);
    assert.deepEqual(back.sizes, [2, 2, 1]);
  });

  it('rows infer types from JS values', async () => {
    const back = await readAll({ rows: [{ a: 1, b: 'x', c: 2n }, { a: 2.5, b: null, c: 3n }] });
    assert.equal(back.ddl, 'a double, b string, c bigint');
    assert.equal(back.rows.length, 2);
  });

  it('unreadable inputs name the path and the format', async () => {
    const missing = join(dir, 'nope.parquet');
    await assert.rejects(readAll({ format: 'parquet', path: 'nope.parquet' }), {
      message: `Cannot read parquet input "${missing}": no such file or directory. Check input.path (a relative path is read from the folder of the file the job is written in).`,
    });
    writeFileSync(join(dir, 'junk.parquet'), 'not parquet at all');
    await assert.rejects(readAll({ format: 'parquet', path: 'junk.parquet' }), (e: Error) =>
      e.message.startsWith(`Cannot read parquet input "${join(dir, 'junk.parquet')}": not a valid Parquet file (`),
    );
    await assert.rejects(readAll({ format: 'xml', path: 'x' } as never), { message: 'Unknown input format "xml". Valid formats: csv, jsonl, json, parquet, arrow, image, binaryFile.' });
    await assert.rejects(readAll({ format: 'parqeut', path: 'x' } as never), {
      message: 'Unknown input format "parqeut". Did you mean "parquet"? Valid formats: csv, jsonl, json, parquet, arrow, image, binaryFile.',
    });
  });
});

void arrow;
