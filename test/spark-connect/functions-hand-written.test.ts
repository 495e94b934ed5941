/**
 * The functions written by hand (PySpark shapes them on the client): higher-order
 * functions with TypeScript lambdas, JSON/CSV/XML, sha2, make_timestamp — each
 * against the same SQL lambda on the real server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SparkSession, col, lit, functions as F, InvalidOptionError, type Column, type DataFrame } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

let spark: SparkSession;
let df: DataFrame;
before(async () => {
  spark = await connect();
  df = await spark.sql("SELECT array(3, 1, 4, 1, 5) AS xs, array(10, 20) AS ys, map('a', 1, 'b', 2) AS m, map('a', 10, 'c', 30) AS m2, array('spark', '', 'ts') AS words");
});
after(async () => {
  await spark.stop();
});

/** `ours` and the SQL text give the same single value. */
async function same(ours: Column, sql: string): Promise<unknown> {
  const [a] = await df.select(ours.alias('v')).collect();
  const [b] = await df.selectExpr(`${sql} AS v`).collect();
  assert.deepEqual(a, b, sql);
  return a!.v;
}

describe('higher-order functions: TypeScript lambdas that build expressions', () => {
  it('transform, filter (with and without the index), exists, forall', async () => {
    assert.deepEqual(await same(F.transform('xs', (x) => x.multiply(2)), 'transform(xs, x -> x * 2)'), [6, 2, 8, 2, 10]);
    assert.deepEqual(await same(F.transform('xs', (x, i) => x.plus(i)), 'transform(xs, (x, i) -> x + i)'), [3, 2, 6, 4, 9]);
    assert.deepEqual(await same(F.filter('words', (w) => F.length(w).gt(0)), "filter(words, w -> length(w) > 0)"), ['spark', 'ts']);
    assert.deepEqual(await same(F.filter('xs', (x, i) => i.lt(2).or(x.gt(4))), 'filter(xs, (x, i) -> i < 2 OR x > 4)'), [3, 1, 5]);
    assert.equal(await same(F.exists('xs', (x) => x.eq(4)), 'exists(xs, x -> x = 4)'), true);
    assert.equal(await same(F.forall('xs', (x) => x.gt(1)), 'forall(xs, x -> x > 1)'), false);
  });

  it('aggregate and reduce with and without finish; zipWith; a nested lambda', async () => {
    assert.equal(await same(F.aggregate('xs', lit(0), (acc, x) => acc.plus(x)), 'aggregate(xs, 0, (acc, x) -> acc + x)'), 14);
    assert.equal(await same(F.reduce('xs', lit(0), (acc, x) => acc.plus(x), (acc) => acc.multiply(10)), 'reduce(xs, 0, (acc, x) -> acc + x, acc -> acc * 10)'), 140);
    assert.deepEqual(await same(F.zipWith('xs', 'ys', (a, b) => F.coalesce(a, lit(0)).plus(F.coalesce(b, lit(0)))), 'zip_with(xs, ys, (a, b) -> coalesce(a, 0) + coalesce(b, 0))'), [13, 21, 4, 1, 5]);
    // A lambda inside a lambda: its variables stay apart.
    assert.deepEqual(await same(F.transform('ys', (y) => F.aggregate('xs', y, (acc, x) => acc.plus(x))), 'transform(ys, y -> aggregate(xs, y, (acc, x) -> acc + x))'), [24, 34]);
  });

  it('maps: mapFilter, mapZipWith, transformKeys, transformValues; arraySort with a comparator', async () => {
    assert.deepEqual(await same(F.mapFilter('m', (_k, v) => v.gt(1)), 'map_filter(m, (k, v) -> v > 1)'), new Map([['b', 2]]));
    assert.deepEqual(await same(F.mapZipWith('m', 'm2', (_k, a, b) => F.coalesce(a, lit(0)).plus(F.coalesce(b, lit(0)))), 'map_zip_with(m, m2, (k, a, b) -> coalesce(a, 0) + coalesce(b, 0))'), new Map([['a', 11], ['b', 2], ['c', 30]]));
    assert.deepEqual(await same(F.transformKeys('m', (k) => F.upper(k)), 'transform_keys(m, (k, v) -> upper(k))'), new Map([['A', 1], ['B', 2]]));
    assert.deepEqual(await same(F.transformValues('m', (_k, v) => v.multiply(100)), 'transform_values(m, (k, v) -> v * 100)'), new Map([['a', 100], ['b', 200]]));
    assert.deepEqual(await same(F.arraySort('xs'), 'array_sort(xs)'), [1, 1, 3, 4, 5]);
    assert.deepEqual(await same(F.arraySort('xs', (a, b) => b.minus(a)), 'array_sort(xs, (a, b) -> b - a)'), [5, 4, 3, 1, 1]);
  });

  it('a lambda that does not return a Column, or is not a function, is refused at the call', () => {
    assert.throws(() => F.transform('xs', (() => 3) as never), (e: unknown) => e instanceof InvalidOptionError && /must return a Column expression.*got 3.*not run per row/.test(e.message));
    assert.throws(() => F.filter('xs', 'x > 1' as never), /needs a function building a Column/);
    assert.ok(col('xs'));
  });
});

describe('functions PySpark shapes on the client: formats, sha2, make_timestamp', () => {
  it('from/to/schema_of JSON, CSV and XML with a DDL schema and options, against SQL', async () => {
    const input = await spark.sql(`SELECT '{"a": 1, "b": [2, 3], "d": "05/12/2026"}' AS j, '1,abc,2.5' AS c, '<r><a>1</a><b>x</b></r>' AS x`);
    const pair = async (ours: Column, sql: string) => {
      const [a] = await input.select(ours.alias('v')).collect();
      const [b] = await input.selectExpr(`${sql} AS v`).collect();
      assert.deepEqual(a, b, sql);
      return a!.v;
    };
    assert.deepEqual(await pair(F.fromJson('j', 'a INT, b ARRAY<INT>, d DATE', { dateFormat: 'dd/MM/yyyy' }), "from_json(j, 'a INT, b ARRAY<INT>, d DATE', map('dateFormat', 'dd/MM/yyyy'))"), {
      a: 1,
      b: [2, 3],
      d: new Date(Date.UTC(2026, 11, 5)),
    });
    assert.equal(await pair(F.toJson(F.struct(lit(1).alias('a'), lit('x').alias('b'))), "to_json(named_struct('a', 1, 'b', 'x'))"), '{"a":1,"b":"x"}');
    assert.equal(await pair(F.schemaOfJson('{"a": 1, "b": ["x"]}'), `schema_of_json('{"a": 1, "b": ["x"]}')`), 'STRUCT<a: BIGINT, b: ARRAY<STRING>>');
    assert.deepEqual(await pair(F.fromCsv('c', 'n INT, s STRING, f DOUBLE'), "from_csv(c, 'n INT, s STRING, f DOUBLE')"), { n: 1, s: 'abc', f: 2.5 });
    assert.equal(await pair(F.toCsv(F.struct(lit(1), lit('a b'))), "to_csv(struct(1, 'a b'))"), '1,a b');
    await pair(F.schemaOfCsv('1,abc'), "schema_of_csv('1,abc')");
    assert.deepEqual(await pair(F.fromXml('x', 'a INT, b STRING'), "from_xml(x, 'a INT, b STRING')"), { a: 1, b: 'x' });
    await pair(F.schemaOfXml('<r><a>1</a></r>'), "schema_of_xml('<r><a>1</a></r>')");
    await pair(F.toXml(F.struct(lit(1).alias('a'))), "to_xml(named_struct('a', 1))");
    assert.equal(await pair(F.sha2(lit('Spark'), 256), "sha2('Spark', 256)"), '529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b');
    assert.deepEqual(await pair(F.makeTimestamp(2024, 2, 29, 12, 30, 45.5, lit('UTC')), "make_timestamp(2024, 2, 29, 12, 30, 45.5, 'UTC')"), new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 500)));
    await pair(F.tryMakeTimestampNtz(2024, 13, 1, 0, 0, 0), 'try_make_timestamp_ntz(2024, 13, 1, 0, 0, 0)');
  });

  it('refuses bad input before the query', () => {
    assert.throws(() => F.sha2('c', 255), /numBits must be one of 0, 224, 256, 384, 512, got 255/);
    assert.throws(() => F.fromJson('j', ''), /schema as Spark DDL text/);
    assert.throws(() => F.toJson('j', ['mode'] as never), /takes an object of option names/);
    assert.throws(() => F.makeTimestampNtz(1, 1, 1, 1, 1, 1, 'UTC'), /takes no time zone/);
  });
});
