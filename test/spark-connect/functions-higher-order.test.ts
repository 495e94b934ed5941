/**
 * Higher-order functions with TypeScript lambdas that build Spark expressions, each
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
