import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as arrow from 'apache-arrow';
import { SparkSession, col, lit, when, functions as F, type DataFrame } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

const WEATHER = join(process.cwd(), 'node_modules/vega-datasets/data/weather.csv');

let spark: SparkSession;
let tmp: string;
before(async () => {
  spark = await connect();
  tmp = mkdtempSync(join(tmpdir(), 'tsapply-sc-'));
});
after(async () => {
  await spark.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const ids = async (df: DataFrame) => (await df.collect()).map((r) => r.id);

describe('SparkSession basics', () => {
  it('reports the server version', async () => {
    assert.match(await spark.version, /^4\.\d+\.\d+/);
  });

  it('range with start, end, step and partitions', async () => {
    assert.deepEqual(await ids(spark.range(3)), [0n, 1n, 2n]);
    assert.deepEqual(await ids(spark.range(10, 20, 4, 2)), [10n, 14n, 18n]);
    assert.deepEqual(await ids(spark.range(2n ** 60n, 2n ** 60n + 2n)), [2n ** 60n, 2n ** 60n + 1n]);
  });

  it('sql runs eagerly and returns a DataFrame', async () => {
    await (await spark.sql('CREATE OR REPLACE TEMP VIEW tv_sql AS SELECT 1 AS a, "x" AS b')).collect();
    const rows = await (await spark.sql('SELECT a + 1 AS a2, b FROM tv_sql')).collect();
    assert.deepEqual(rows, [{ a2: 2, b: 'x' }]);
  });

  it('conf set, get, getOption, unset', async () => {
    await spark.conf.set('spark.sql.shuffle.partitions', 7);
    assert.equal(await spark.conf.get('spark.sql.shuffle.partitions'), '7');
    await spark.conf.set('tsapply.test.key', 'v');
    assert.equal(await spark.conf.getOption('tsapply.test.key'), 'v');
    await spark.conf.unset('tsapply.test.key');
    assert.equal(await spark.conf.getOption('tsapply.test.key'), undefined);
    assert.equal(await spark.conf.get('tsapply.test.key', 'dflt'), 'dflt');
    await spark.conf.set('spark.sql.shuffle.partitions', 4);
  });

  it('parses DDL on the server', async () => {
    assert.equal(await spark.parseDDL('a INT, b ARRAY<STRING>'), 'a int, b array<string>');
  });
});

describe('DataFrame transforms (exact results)', () => {
  it('select, withColumn, filter (Column and SQL string), withColumnRenamed, drop, alias, cast', async () => {
    const df = spark
      .range(6)
      .withColumn('sq', col('id').multiply(col('id')))
      .withColumn('half', col('id').divide(2))
      .filter(col('id').ge(1).and(col('id').lt(5)))
      .where('sq <> 4')
      .withColumnRenamed('sq', 'square')
      .select(col('id'), col('square'), col('half'), col('id').cast('string').alias('s'), col('id').mod(2).eq(0).alias('even'))
      .drop('half');
    assert.deepEqual(await df.columns(), ['id', 'square', 's', 'even']);
    assert.deepEqual(await df.collect(), [
      { id: 1n, square: 1n, s: '1', even: false },
      { id: 3n, square: 9n, s: '3', even: false },
      { id: 4n, square: 16n, s: '4', even: true },
    ]);
    // Immutability: the source DataFrame is unchanged and plan ids differ.
    const base = spark.range(2);
    const derived = base.filter(col('id').gt(0));
    assert.notEqual(base.planId, derived.planId);
    assert.deepEqual(await ids(base), [0n, 1n]);
  });

  it('when/otherwise, isNull, isin, like, between, string functions', async () => {
    const df = spark.createDataFrame(
      [
        { name: '  Ada ', n: 1 },
        { name: 'grace', n: 5 },
        { name: null, n: 9 },
      ],
      'name string, n int',
    );
    const rows = await df
      .select(
        when(col('n').lt(3), 'low').when(col('n').lt(7), 'mid').otherwise('high').alias('band'),
        col('name').isNull().alias('nul'),
        col('n').isin(1, 9).alias('in19'),
        col('name').like('gr%').alias('gr'),
        col('n').between(2, 6).alias('btw'),
        F.upper(F.trim('name')).alias('up'),
        F.length('name').alias('len'),
        F.concat(col('name'), lit('!')).alias('bang'),
        F.substring('name', 1, 2).alias('sub'),
        F.regexpReplace('name', 'a', 'A').alias('re'),
        F.split(lit('a,b,c'), ',').alias('parts'),
        F.call('repeat', lit('ab'), lit(2)).alias('rep'),
      )
      .collect();
    assert.deepEqual(rows, [
      { band: 'low', nul: false, in19: true, gr: false, btw: false, up: 'ADA', len: 6, bang: '  Ada !', sub: '  ', re: '  AdA ', parts: ['a', 'b', 'c'], rep: 'abab' },
      { band: 'mid', nul: false, in19: false, gr: true, btw: true, up: 'GRACE', len: 5, bang: 'grace!', sub: 'gr', re: 'grAce', parts: ['a', 'b', 'c'], rep: 'abab' },
      { band: 'high', nul: true, in19: true, gr: null, btw: false, up: null, len: null, bang: null, sub: null, re: null, parts: ['a', 'b', 'c'], rep: 'abab' },
    ]);
  });

  it('refuses when() after otherwise() and a second otherwise(), instead of building a wrong CASE', () => {
    const done = when(col('n').lt(3), 'low').otherwise('high');
    assert.throws(() => done.when(col('n').lt(7), 'mid'), { name: 'SparkUsageError', message: 'when() cannot be applied once otherwise() is applied.' });
    assert.throws(() => done.otherwise('other'), { name: 'SparkUsageError', message: 'otherwise() may be called only once on a when() column.' });
    assert.throws(() => col('n').otherwise('x'), { name: 'SparkUsageError', message: 'otherwise() can only be applied to a column built with when(condition, value).' });
  });

  it('orderBy, limit, distinct, union, unionByName, repartition', async () => {
    const a = spark.createDataFrame([{ k: 3, v: 'c' }, { k: 1, v: 'a' }, { k: 2, v: 'b' }, { k: 1, v: 'a' }], 'k int, v string');
    assert.deepEqual(await a.orderBy(col('k').desc(), 'v').limit(2).collect(), [{ k: 3, v: 'c' }, { k: 2, v: 'b' }]);
    assert.deepEqual(await a.distinct().orderBy('k').collect(), [{ k: 1, v: 'a' }, { k: 2, v: 'b' }, { k: 3, v: 'c' }]);
    const b = spark.createDataFrame([{ v: 'z', k: 9 }], 'v string, k int');
    assert.deepEqual(await a.unionByName(b).orderBy('k').collect(), [
      { k: 1, v: 'a' }, { k: 1, v: 'a' }, { k: 2, v: 'b' }, { k: 3, v: 'c' }, { k: 9, v: 'z' },
    ]);
    assert.deepEqual((await a.select('k').union(spark.range(1).select(col('id').cast('int').alias('k'))).orderBy('k').collect()).map((r) => r.k), [0, 1, 1, 2, 3]);
    const parts = await spark.range(100).repartition(4).select(F.sparkPartitionId().alias('p')).distinct().count();
    assert.equal(parts, 4);
    // By columns, with or without a count (PySpark's repartition('k') and repartition(col('k'))).
    for (const byKeyDf of [a.repartition(3, 'k'), a.repartition('k'), a.repartition(col('k'), 'v')]) {
      const byKey = await byKeyDf.select(col('k'), F.sparkPartitionId().alias('p')).collect();
      assert.equal(byKey.length, 4);
      const pOf = new Map<unknown, unknown>();
      for (const r of byKey) {
        if (pOf.has(r.k)) assert.equal(pOf.get(r.k), r.p, 'same key, same partition');
        pOf.set(r.k, r.p);
      }
    }
    const plan = (df: DataFrame) => df.relation.relType;
    const byName = plan(a.repartition('k'));
    assert.equal(byName.case, 'repartitionByExpression');
    assert.equal(byName.case === 'repartitionByExpression' && byName.value.numPartitions, undefined);
    const byTwo = plan(a.repartition(col('k'), 'v'));
    assert.equal(byTwo.case === 'repartitionByExpression' && byTwo.value.partitionExprs.length, 2);
    assert.throws(() => a.repartition(0), /^InvalidOptionError: repartition\(n\) needs a positive integer, got 0\.$/);
  });

  it('joins: inner on names, left with a condition, anti, and df.col disambiguation', async () => {
    const people = spark.createDataFrame([{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }, { id: 3, name: 'cy' }], 'id int, name string');
    const orders = spark.createDataFrame([{ id: 1, amount: 10.5 }, { id: 1, amount: 2 }, { id: 3, amount: 7 }, { id: 4, amount: 1 }], 'id int, amount double');
    assert.deepEqual(await people.join(orders, 'id').orderBy('id', 'amount').collect(), [
      { id: 1, name: 'ann', amount: 2 },
      { id: 1, name: 'ann', amount: 10.5 },
      { id: 3, name: 'cy', amount: 7 },
    ]);
    const left = await people
      .join(orders, people.col('id').eq(orders.col('id')), 'left')
      .select(people.col('id'), col('name'), col('amount'))
      .orderBy('id', 'amount')
      .collect();
    assert.deepEqual(left, [
      { id: 1, name: 'ann', amount: 2 },
      { id: 1, name: 'ann', amount: 10.5 },
      { id: 2, name: 'bob', amount: null },
      { id: 3, name: 'cy', amount: 7 },
    ]);
    assert.deepEqual(await people.join(orders, ['id'], 'left_anti').collect(), [{ id: 2, name: 'bob' }]);
    assert.throws(() => people.join(orders, 'id', 'sideways'), /Unsupported join type "sideways"\. Valid values: inner, cross, outer/);
  });
});

describe('reading and aggregating a real file', () => {
  it('weather.csv grouped aggregates equal an independent computation', async () => {
    const records = parse(readFileSync(WEATHER), { columns: true }) as Record<string, string>[];
    const expected = new Map<string, { n: number; sum: number; max: number; min: number }>();
    for (const r of records) {
      const key = `${r.location}|${r.weather}`;
      const e = expected.get(key) ?? { n: 0, sum: 0, max: -Infinity, min: Infinity };
      const p = Number(r.precipitation);
      e.n++;
      e.sum += p;
      e.max = Math.max(e.max, Number(r.temp_max));
      e.min = Math.min(e.min, Number(r.temp_min));
      expected.set(key, e);
    }
    const df = spark.read.options({ header: true, inferSchema: true }).csv(WEATHER);
    assert.equal((await df.schema()).ddl, 'location string, date date, precipitation double, temp_max double, temp_min double, wind double, weather string');
    const got = await df
      .groupBy('location', 'weather')
      .agg(F.count('*').alias('n'), F.sum('precipitation').alias('sum'), F.max('temp_max').alias('max'), F.min('temp_min').alias('min'))
      .orderBy('location', 'weather')
      .collect();
    assert.equal(got.length, expected.size);
    for (const g of got) {
      const e = expected.get(`${g.location}|${g.weather}`)!;
      assert.equal(g.n, BigInt(e.n));
      assert.ok(Math.abs((g.sum as number) - e.sum) < 1e-9, `sum for ${g.location}/${g.weather}`);
      assert.equal(g.max, e.max);
      assert.equal(g.min, e.min);
    }
    assert.equal(await df.count(), records.length);
    const shortcut = await df.groupBy('location').count().orderBy('location').collect();
    assert.deepEqual(shortcut.map((r) => r.count), [...new Set(records.map((r) => r.location))].sort().map((loc) => BigInt(records.filter((r) => r.location === loc).length)));
  });

  it('read.format/schema/load, text and json', async () => {
    const df = spark.read.format('csv').option('header', 'true').schema('location string, date string').load(WEATHER);
    assert.deepEqual(await df.limit(1).collect(), [{ location: 'Seattle', date: '2012-01-01' }]);
    const text = await spark.read.text(WEATHER).limit(2).collect();
    assert.deepEqual(text, [{ value: 'location,date,precipitation,temp_max,temp_min,wind,weather' }, { value: 'Seattle,2012-01-01,0.0,12.8,5.0,4.7,drizzle' }]);
  });
});

describe('createDataFrame round trips', () => {
  it('every type, int64 beyond 2^53, non-ASCII and nulls', async () => {
    const ddl = 'b boolean, i int, l bigint, d double, s string, bin binary, dt date, ts timestamp, arr array<int>, dec decimal(10,2)';
    const rows = [
      { b: true, i: -7, l: 2n ** 62n + 1n, d: 1.5, s: 'żółw 🐢 日本', bin: new Uint8Array([0, 255, 7]), dt: new Date('2024-02-29T00:00:00Z'), ts: new Date('2024-03-01T12:34:56.789Z'), arr: [1, null, 3], dec: '12.30' },
      { b: null, i: null, l: null, d: null, s: null, bin: null, dt: null, ts: null, arr: null, dec: null },
    ];
    const df = spark.createDataFrame(rows, ddl);
    assert.equal((await df.schema()).ddl, ddl);
    const back = await df.collect();
    assert.deepEqual(back, rows);
    // And through Spark computation, not just echo: the long is exact on the server.
    const [r] = await df.limit(1).select(col('l').minus(1n).alias('l1'), F.length('s').alias('len')).collect();
    assert.deepEqual(r, { l1: 2n ** 62n, len: 9 }); // code points, as Spark counts
  });

  it('from an apache-arrow Table, and toArrow back', async () => {
    const t = arrow.tableFromArrays({ x: Float64Array.from([1, 2, 3]), y: ['a', 'b', 'c'] });
    const out = await spark.createDataFrame(t).filter(col('x').gt(1)).toArrow();
    assert.deepEqual(out.getChild('x')!.toArray(), Float64Array.from([2, 3]));
    assert.deepEqual([...out.getChild('y')!], ['b', 'c']);
  });

  it('lit of bigint, Date, null and arrays', async () => {
    const [r] = await spark.range(1).select(lit(2n ** 63n - 1n).alias('big'), lit(new Date('2020-01-02T03:04:05Z')).alias('ts'), lit(null).alias('n'), lit([1, 2]).alias('a'), lit(1.25).alias('f')).collect();
    assert.deepEqual(r, { big: 2n ** 63n - 1n, ts: new Date('2020-01-02T03:04:05Z'), n: null, a: [1, 2], f: 1.25 });
  });
});

describe('actions', () => {
  it('schema returns Arrow and DDL; explain; show', async () => {
    const df = spark.range(3).withColumn('s', lit('x'));
    const s = await df.schema();
    assert.equal(s.ddl, 'id bigint NOT NULL, s string NOT NULL');
    assert.equal(String(s.arrow.fields[0]!.type), 'Int64');
    assert.match(await df.explain(), /== Physical Plan ==[\s\S]*Range \(0, 3, step=1/);
    assert.match(await df.explain('extended'), /== Parsed Logical Plan ==/);
    const shown = await df.showString(2);
    assert.match(shown, /\|\s*id\s*\|\s*s\s*\|/);
    assert.match(shown, /only showing top 2 rows/);
  });

  it("showString writes floats and doubles as Spark's own show() does (15.0, 1.0E7), inside arrays, structs and maps too", async () => {
    const df = await spark.sql(
      "SELECT 15.0D a, 1e7D b, 1.5e-4D c, CAST(0.1 AS FLOAT) f, CAST(1e8 AS FLOAT) g, double('NaN') n, 123456.789D h, " +
        "array(1D, 2.5D) arr, named_struct('x', 2D, 'n', 2) st, map('k', 1D) m",
    );
    // What PySpark's df.show() printed for this query against Spark 4.3.0.
    assert.equal(
      await df.showString(),
      [
        '+----+-----+------+---+-----+---+----------+----------+--------+----------+',
        '|   a|    b|     c|  f|    g|  n|         h|       arr|      st|         m|',
        '+----+-----+------+---+-----+---+----------+----------+--------+----------+',
        '|15.0|1.0E7|1.5E-4|0.1|1.0E8|NaN|123456.789|[1.0, 2.5]|{2.0, 2}|{k -> 1.0}|',
        '+----+-----+------+---+-----+---+----------+----------+--------+----------+',
        '',
      ].join('\n'),
    );
  });

  it('toLocalIterator and async iteration stream Arrow batches', async () => {
    let rows = 0;
    let sum = 0n;
    for await (const batch of spark.range(0, 50_000, 1, 4)) {
      assert.ok(batch instanceof arrow.RecordBatch);
      rows += batch.numRows;
      for (const v of batch.getChild('id')!.toArray() as BigInt64Array) sum += v;
    }
    assert.equal(rows, 50_000);
    assert.equal(sum, (49_999n * 50_000n) / 2n);
  });

  it('createOrReplaceTempView and read.table', async () => {
    await spark.range(4).createOrReplaceTempView('tv_four');
    assert.equal(await spark.read.table('tv_four').count(), 4);
  });

  it('write parquet/csv/json with modes and partitionBy, read back', async () => {
    const df = spark.createDataFrame([{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 }], 'k string, v int');
    const pq = join(tmp, 'pq');
    await df.write.partitionBy('k').parquet(pq);
    assert.deepEqual(await spark.read.parquet(pq).orderBy('v').collect(), [{ v: 1, k: 'a' }, { v: 2, k: 'b' }, { v: 3, k: 'a' }]);
    await assert.rejects(df.write.parquet(pq), (e: Error) => /PATH_ALREADY_EXISTS/.test(e.message));
    await df.write.mode('append').format('parquet').partitionBy('k').save(pq);
    assert.equal(await spark.read.parquet(pq).count(), 6);
    const csv = join(tmp, 'csv');
    await df.write.mode('overwrite').option('header', true).csv(csv);
    assert.deepEqual(await spark.read.csv(csv, { header: true }).orderBy('v').collect(), [{ k: 'a', v: '1' }, { k: 'b', v: '2' }, { k: 'a', v: '3' }]);
    const json = join(tmp, 'json');
    await df.write.json(json);
    assert.deepEqual(await spark.read.json(json).orderBy('v').collect(), [{ k: 'a', v: 1n }, { k: 'b', v: 2n }, { k: 'a', v: 3n }]);
    await df.write.mode('overwrite').saveAsTable('tsapply_sc_table');
    assert.equal(await spark.read.table('tsapply_sc_table').count(), 3);
    await (await spark.sql('DROP TABLE tsapply_sc_table')).collect();
  });

  it('binaryFile reads whole files', async () => {
    const [r] = await spark.read.binaryFile(WEATHER).select('length', 'content').collect();
    const bytes = readFileSync(WEATHER);
    assert.equal(r!.length, BigInt(bytes.length));
    assert.deepEqual(Buffer.from(r!.content as Uint8Array), bytes);
  });
});
