import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SparkSession, col, lit, expr, InvalidOptionError, type DataFrame } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

let spark: SparkSession;
let df: DataFrame;
before(async () => {
  spark = await connect();
  df = await spark.sql(
    "SELECT * FROM VALUES (1, 'spark connect', array(10, 20, 30), map('a', 1, 'b', 2), named_struct('x', 1, 'y', named_struct('p', 'P', 'q', 'Q')), '42', 'x4') " +
      "AS t(n, s, arr, m, st, num, bad)",
  );
});
after(async () => {
  await spark.stop();
});

describe('Column members beyond operators, each against the same expression in SQL', () => {
  it('getItem (0-based array index, map key), getField and substr', async () => {
    const [ours] = await df.select(col('arr').getItem(0).alias('a0'), col('arr').getItem(2).alias('a2'), col('m').getItem('b').alias('mb'), col('st').getField('y').getField('q').alias('q'), col('s').substr(7, 3).alias('sub')).collect();
    const [sql] = await df.selectExpr('arr[0] AS a0', 'arr[2] AS a2', "m['b'] AS mb", 'st.y.q AS q', 'substr(s, 7, 3) AS sub').collect();
    assert.deepEqual(ours, sql);
    assert.deepEqual(ours, { a0: 10, a2: 30, mb: 2, q: 'Q', sub: 'con' });
  });

  it('withField adds and replaces, dropFields removes (also nested)', async () => {
    const [row] = await df.select(col('st').withField('z', lit(9)).withField('x', lit(7)).dropFields('y').alias('a'), col('st').dropFields('y.p').alias('b')).collect();
    assert.deepEqual(row, { a: { x: 7, z: 9 }, b: { x: 1, y: { q: 'Q' } } });
  });

  it('bitwise operators, tryCast and transform', async () => {
    const [ours] = await df
      .select(col('n').plus(5).bitwiseAND(12).alias('and'), col('n').bitwiseOR(6).alias('or'), col('n').bitwiseXOR(3).alias('xor'), col('num').tryCast('int').alias('ok'), col('bad').tryCast('int').alias('bad'), col('n').transform((c) => c.multiply(10)).alias('t'))
      .collect();
    const [sql] = await df.selectExpr('(n + 5) & 12 AS and', 'n | 6 AS or', 'n ^ 3 AS xor', "try_cast(num AS int) AS ok", 'try_cast(bad AS int) AS bad', 'n * 10 AS t').collect();
    assert.deepEqual(ours, sql);
    assert.deepEqual(ours, { and: 4, or: 7, xor: 2, ok: 42, bad: null, t: 10 });
    // cast (not try) of the same bad value fails the query: tryCast is what made it null.
    await assert.rejects(df.select(col('bad').cast('int')).collect(), /CAST_INVALID_INPUT|cannot be cast/i);
  });

  it('refuses what PySpark refuses, saying what to use instead', () => {
    assert.throws(() => col('arr').getItem(col('n')), (e: unknown) => e instanceof InvalidOptionError && /element_at/.test(e.message));
    assert.throws(() => col('st').withField('z', 3 as never), /wrap a constant in lit\(\)/);
    assert.throws(() => col('st').dropFields(), /at least one field name/);
    assert.equal(String(col('arr').getItem(1)), 'Column<arr[1]>');
    assert.ok(expr('1').transform((c) => c) instanceof Object);
  });
});
