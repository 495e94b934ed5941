// Parity defects found by running the peers' scenarios on both engines (issue 10), each
// on the embedded engine and on Spark with the values asserted:
// - a CSV header that repeats names (`a,a`), also ignoring case (`B,b`), or has empty
//   names: Spark renames them (`a0,a1,B2,b3,_c4`); the embedded reader once kept `a,a`
//   and gave both columns the second one's values;
// - column names with a dot or a backtick (`x.y`, `w`q`), in the UDF's input and in
//   groupBy: Spark once failed with UNRESOLVED_COLUMN because they were sent unquoted;
// - `{ range, numPartitions }`: the embedded engine once cut by --workers, so
//   ctx.partitionIndex and the batches differed from Spark's;
// - examples/image-features.ts (Spark's `image` source) through `tsapply run --remote`,
//   and a `binaryFile` input, which Spark runs once refused although listed as valid;
// - CSV dates: a column of yyyy-MM-dd values is `date` on Spark 4 (the embedded reader
//   once said timestamp), and an impossible day (2024-02-31) makes a column `string`
//   on both (the embedded reader once read a declared date 2024-02-31 as March 2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordBatchToRows, toDDL } from '@tsapply/common';
import { col, runJob, runJobOnSpark, SparkSession } from 'tsapply';
// Reader internals are not part of the package's public exports: import the built file.
import { openInput } from '../../packages/tsapply/dist/io/open-input.js';
import { ROOT, tsapply } from '../tsapply/cli-helpers.js';
import { bothEngines, canonical, readArrowDir } from './both-engines.js';
import { sumDotted } from '../fixtures/parity/dotted-fns.ts';

const JOBS = join(ROOT, 'test/fixtures/parity/jobs');
const DATA = join(ROOT, 'test/fixtures/parity/data');
let spark: SparkSession;
const out = mkdtempSync(join(tmpdir(), 'tsapply-input-parity-'));

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
  rmSync(out, { recursive: true, force: true });
});

/** Rows as the sorted canonical JSON that readArrowDir gives. */
const rowsOf = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(canonical(r))).sort();

/** The embedded CSV reader's column names and rows for a fixture file. */
async function localCsv(file: string, options?: Record<string, unknown>): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const src = await openInput({ format: 'csv', path: file, ...(options ? { options } : {}) } as never, { baseDir: DATA, batchSize: 100 });
  const rows: Record<string, unknown>[] = [];
  for await (const b of src.batches) rows.push(...recordBatchToRows(b));
  return { columns: src.schema.fields.map((f) => f.name), rows };
}

describe('CSV headers with repeated and empty names', () => {
  it('the job sees a0,a1,B2,b3,_c4,c, each column with its own values, on both engines', async () => {
    const { local, remote } = await bothEngines(spark, join(JOBS, 'csv-repeated-header.ts'), out, 'csv-header');
    assert.equal(local.ddl, 'columns string, a0 int, a1 int, B2 int, b3 int, _c4 int, c int');
    assert.deepEqual(
      local.rows,
      rowsOf([
        { columns: 'a0,a1,B2,b3,_c4,c', a0: 1, a1: 2, B2: 3, b3: 4, _c4: 5, c: 6 },
        { columns: 'a0,a1,B2,b3,_c4,c', a0: 7, a1: 8, B2: 9, b3: 10, _c4: 11, c: 12 },
      ]),
    );
    assert.deepEqual(remote, local);
  });

  const readerCases: [string, string[], Record<string, unknown>[]][] = [
    ['repeated-header.csv', ['a0', 'a1', 'B2', 'b3', '_c4', 'c'], [{ a0: 1, a1: 2, B2: 3, b3: 4, _c4: 5, c: 6 }, { a0: 7, a1: 8, B2: 9, b3: 10, _c4: 11, c: 12 }]],
    ['blank-header-names.csv', [' ', 'x', ' y ', '_c3', 'z'], [{ ' ': 1, x: 2, ' y ': 3, _c3: 4, z: 5 }]],
    ['case-only-header.csv', ['a0', 'A1', 'a2', 'b3', 'B4'], [{ a0: 1, A1: 2, a2: 3, b3: 4, B4: 5 }]],
    ['ragged-rows.csv', ['a0', 'a1'], [{ a0: 1, a1: 2 }, { a0: 4, a1: null }]],
  ];
  for (const [file, columns, rows] of readerCases) {
    it(`${file}: spark.read.csv and the embedded reader give ${columns.map((c) => `"${c}"`).join(', ')}`, async () => {
      const df = spark.read.csv(join(DATA, file), { header: true, inferSchema: true });
      const fromSpark = { columns: await df.columns(), rows: await df.collect() };
      assert.deepEqual(fromSpark.columns, columns);
      assert.deepEqual(fromSpark.rows, rows);
      assert.deepEqual(await localCsv(file), fromSpark);
    });
  }

  it('a header whose renamed names collide (a,a,a0) is refused by both engines', async () => {
    const job = join(JOBS, 'csv-renamed-collides.ts');
    await assert.rejects(runJob(job, { workers: 2, quiet: true, typecheck: false }), {
      name: 'InputError',
      message:
        `Cannot read csv input "${join(DATA, 'renamed-collides.csv')}": after repeated or empty header names are renamed as Spark renames them, ` +
        'the columns are "a0", "a1", "a0", so the column "a0" exists twice. Spark refuses this input too ([COLUMN_ALREADY_EXISTS]). ' +
        'Give the columns distinct names in the header, or declare them with input.options.schema.',
    });
    await assert.rejects(runJobOnSpark(job, { spark, quiet: true, typecheck: false }), {
      name: 'SparkError',
      errorClass: 'COLUMN_ALREADY_EXISTS',
      message: '[COLUMN_ALREADY_EXISTS] The column `a0` already exists. Choose another name or rename the existing column. SQLSTATE: 42711',
    });
  });

  it('Spark refuses an input schema that declares a column twice ignoring case, as the embedded reader does', async () => {
    const df = spark.read.schema('a int, b int, A string').csv(join(DATA, 'repeated-header.csv'), { header: true });
    await assert.rejects(df.collect(), {
      name: 'SparkError',
      errorClass: 'COLUMN_ALREADY_EXISTS',
      message: '[COLUMN_ALREADY_EXISTS] The column `a` already exists. Choose another name or rename the existing column. SQLSTATE: 42711',
    });
  });
});

describe('CSV dates and times, possible and impossible', () => {
  // Timestamps without an offset are read in the session time zone on Spark, as UTC on
  // the embedded engine.
  before(async () => {
    await (await spark.sql('SET spark.sql.session.timeZone=UTC')).collect();
  });

  const cases: [string, string][] = [
    ['dates.csv', 'day date, mixed timestamp, short timestamp, bad string'],
    ['impossible-dates.csv', 'id int, leap timestamp, bad_day string, not_leap string, bad_hour string, offset timestamp, micros timestamp'],
  ];
  for (const [file, ddl] of cases) {
    it(`${file}: spark.read.csv and the embedded reader infer ${ddl} and read the same values`, async () => {
      const df = spark.read.csv(join(DATA, file), { header: true, inferSchema: true });
      assert.equal((await df.schema()).ddl, ddl);
      const src = await openInput({ format: 'csv', path: file }, { baseDir: DATA, batchSize: 100 });
      assert.equal(toDDL(src.schema), ddl);
      assert.deepEqual((await localCsv(file)).rows, await df.collect());
    });
  }

  it('under a declared date, 2024-02-31 fails Spark in FAILFAST mode (PERMISSIVE reads null) and the embedded reader', async () => {
    const schema = 'day date, mixed string, short string, bad date';
    const permissive = await spark.read.schema(schema).csv(join(DATA, 'dates.csv'), { header: true }).collect();
    assert.deepEqual(permissive.map((r) => r.bad), [new Date('2024-02-29T00:00:00Z'), null]);
    await assert.rejects(spark.read.schema(schema).csv(join(DATA, 'dates.csv'), { header: true, mode: 'FAILFAST' }).collect(), {
      name: 'SparkError',
      errorClass: 'FAILED_READ_FILE.NO_HINT',
    });
    await assert.rejects(localCsv('dates.csv', { schema }), {
      name: 'InputError',
      message: `Cannot read csv input "${join(DATA, 'dates.csv')}": line 3, column "bad": "2024-02-30" is not a valid date. Fix the data or declare the column as string in input.options.schema.`,
    });
  });
});

describe('column names with a dot or a backtick', () => {
  it('reach apply() unchanged on both engines (mapInArrow)', async () => {
    const { local, remote } = await bothEngines(spark, join(JOBS, 'dotted-columns.ts'), out, 'dotted');
    assert.equal(local.ddl, '`g.k` string, `x.y` bigint, `w``q` bigint, sum bigint');
    assert.deepEqual(
      local.rows,
      rowsOf([
        { 'g.k': 'p', 'x.y': 1n, 'w`q': 10n, sum: 11n },
        { 'g.k': 'q', 'x.y': 2n, 'w`q': 20n, sum: 22n },
        { 'g.k': 'p', 'x.y': 3n, 'w`q': 30n, sum: 33n },
      ]),
    );
    assert.deepEqual(remote, local);
  });

  it('group by `g.k` on both engines (applyInArrow), ctx.key keyed by the plain name', async () => {
    const { local, remote } = await bothEngines(spark, join(JOBS, 'dotted-group-by.ts'), out, 'dotted-group');
    assert.deepEqual(
      local.rows,
      rowsOf([
        { 'g.k': 'p', rows: 2, 'x.y': 4n, 'w`q': 40n },
        { 'g.k': 'q', rows: 1, 'x.y': 2n, 'w`q': 20n },
      ]),
    );
    assert.deepEqual(remote, local);
  });

  it("applyInArrow on groupBy('`g.k`'): ctx.key is keyed by the plain name g.k", async () => {
    const df = spark.range(0, 5, 1, 2).select(col('id').mod(2).cast('string').alias('g.k'), col('id').alias('x.y'));
    const grouped = await df.groupBy('`g.k`').applyInArrow(sumDotted, { schema: '`g.k` string, n int, `x.y` bigint', quiet: true });
    assert.deepEqual(
      rowsOf(await grouped.collect()),
      rowsOf([
        { 'g.k': '0', n: 3, 'x.y': 6n },
        { 'g.k': '1', n: 2, 'x.y': 4n },
      ]),
    );
  });
});

describe('input { range, numPartitions }', () => {
  it("range(10) over 3 partitions, batches of 2: Spark's partitions and batches on both engines (2 local workers)", async () => {
    const { local, remote } = await bothEngines(spark, join(JOBS, 'range-partitions.ts'), out, 'range');
    assert.deepEqual(
      local.rows,
      rowsOf([
        { partition: 0, first: 0n, rows: 2 },
        { partition: 0, first: 2n, rows: 1 },
        { partition: 1, first: 3n, rows: 2 },
        { partition: 1, first: 5n, rows: 1 },
        { partition: 2, first: 6n, rows: 2 },
        { partition: 2, first: 8n, rows: 2 },
      ]),
    );
    assert.deepEqual(remote, local);
  });

  it('range(3) over 5 partitions: ids in partitions 1, 3 and 4 on both engines', async () => {
    const { local, remote } = await bothEngines(spark, join(JOBS, 'range-sparse-partitions.ts'), out, 'range-sparse');
    assert.deepEqual(
      local.rows,
      rowsOf([
        { partition: 1, id: 0n },
        { partition: 3, id: 1n },
        { partition: 4, id: 2n },
      ]),
    );
    assert.deepEqual(remote, local);
  });
});

describe('binaryFile input', () => {
  it('gives the same rows on both engines', async () => {
    const { local, remote } = await bothEngines(spark, join(JOBS, 'binary-files.ts'), out, 'binary-files');
    assert.deepEqual(
      local.rows,
      rowsOf([
        { name: 'blank-header-names.csv', length: 23n, header: ' ,x, y ,"",z' },
        { name: 'case-only-header.csv', length: 20n, header: 'a,A,a,b,B' },
        { name: 'repeated-header.csv', length: 38n, header: 'a,a,B,b,,c' },
      ]),
    );
    assert.deepEqual(remote, local);
  });
});

describe('examples/image-features.ts', () => {
  it('runs with tsapply run --remote and gives the embedded engine’s rows', async () => {
    const localDir = join(out, 'image-features-local');
    const sparkDir = join(out, 'image-features-spark');
    await runJob('examples/image-features.ts', { workers: 2, output: localDir, format: 'arrow', quiet: true, typecheck: false });
    const r = tsapply(['run', 'examples/image-features.ts', '--remote', '--output', sparkDir, '--format', 'arrow', '--quiet']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const local = readArrowDir(localDir);
    const remote = readArrowDir(sparkDir);
    assert.equal(local.ddl, 'origin string, label string, width int, height int, features array<double>');
    assert.deepEqual(remote, local);

    // One row per training PNG, labelled by its folder, 64×64, 36 features in [0, 1].
    const train = join(ROOT, 'examples/data/shapes/train');
    const expected = readdirSync(train)
      .flatMap((label) => readdirSync(join(train, label)).map((f) => ({ origin: `file://${join(train, label, f)}`, label })))
      .sort((a, b) => (a.origin < b.origin ? -1 : 1));
    assert.equal(expected.length, 80);
    const rows = local.rows.map((r) => JSON.parse(r) as { origin: string; label: string; width: number; height: number; features: number[] });
    assert.deepEqual(
      rows.map((r) => ({ origin: r.origin, label: r.label })).sort((a, b) => (a.origin < b.origin ? -1 : 1)),
      expected,
    );
    assert.deepEqual(
      rows.map((r) => [r.width, r.height, r.features.length, r.features.every((f) => f >= 0 && f <= 1)]),
      rows.map(() => [64, 64, 36, true]),
    );
    assert.deepEqual(
      [...new Set(rows.map((r) => r.label))].sort(),
      ['forest', 'sunny'],
    );
  });
});
