import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SparkSession, Window, col, call, functions as F, InvalidOptionError, type DataFrame } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

// vega-datasets' cars: 406 real cars with origin, year, horsepower (some null) and weight.
const CARS = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/vega-datasets/data/cars.json'), 'utf8')) as Record<string, unknown>[];

let spark: SparkSession;
let cars: DataFrame;
before(async () => {
  spark = await connect();
  const rows = CARS.map((c, i) => ({ id: i, name: c.Name, origin: c.Origin, year: Number(String(c.Year).slice(0, 4)), hp: c.Horsepower, weight: c.Weight_in_lbs }));
  cars = spark.createDataFrame(rows, 'id int, name string, origin string, year int, hp double, weight int');
  await cars.createOrReplaceTempView('window_cars');
});
after(async () => {
  await spark.stop();
});

/** The same query through Spark SQL text: what a window spec must match exactly. */
async function viaSql(select: string): Promise<Record<string, unknown>[]> {
  return (await spark.sql(`SELECT id, ${select} FROM window_cars ORDER BY id`)).collect();
}

describe('Window specs and Column.over against Spark SQL OVER clauses', () => {
  it('row_number, rank and dense_rank partitioned and ordered (desc, nulls last)', async () => {
    const w = Window.partitionBy('origin').orderBy(col('hp').desc(), 'id');
    const ours = await cars
      .select('id', call('row_number').over(w).alias('rn'), call('rank').over(w).alias('rk'), call('dense_rank').over(w).alias('drk'))
      .orderBy('id')
      .collect();
    const theirs = await viaSql(
      'row_number() OVER (PARTITION BY origin ORDER BY hp DESC NULLS LAST, id) AS rn, ' +
        'rank() OVER (PARTITION BY origin ORDER BY hp DESC NULLS LAST, id) AS rk, ' +
        'dense_rank() OVER (PARTITION BY origin ORDER BY hp DESC NULLS LAST, id) AS drk',
    );
    assert.equal(ours.length, CARS.length);
    assert.deepEqual(ours, theirs);
    // And against the data itself: row 1 of each origin is its most powerful car.
    const top = new Map<string, number>();
    for (const c of CARS) if (c.Horsepower !== null) top.set(String(c.Origin), Math.max(top.get(String(c.Origin)) ?? 0, Number(c.Horsepower)));
    const firsts = await cars.select('origin', 'hp', call('row_number').over(w).alias('rn')).filter(col('rn').eq(1)).collect();
    assert.deepEqual(new Map(firsts.map((r) => [r.origin as string, r.hp as number])), top);
  });

  it('a running sum with rowsBetween(unboundedPreceding, currentRow) equals a running sum computed here', async () => {
    const w = Window.partitionBy('origin').orderBy('id').rowsBetween(Window.unboundedPreceding, Window.currentRow);
    const ours = await cars.select('id', 'origin', F.sum('weight').over(w).alias('running')).orderBy('id').collect();
    const running = new Map<string, bigint>();
    const expected = CARS.map((c, i) => {
      const total = (running.get(String(c.Origin)) ?? 0n) + BigInt(Number(c.Weight_in_lbs));
      running.set(String(c.Origin), total);
      return { id: i, origin: c.Origin, running: total };
    });
    assert.deepEqual(ours, expected);
  });

  it('rowsBetween(-2, 1) and rangeBetween(-1, 1) match ROWS/RANGE BETWEEN', async () => {
    const rows = Window.partitionBy('origin').orderBy('id').rowsBetween(-2, 1);
    const range = Window.partitionBy('origin').orderBy('year').rangeBetween(-1, 1);
    const ours = await cars
      .select('id', F.avg('weight').over(rows).alias('rows_avg'), F.count('*').over(range).alias('range_n'), F.max('hp').over(Window.orderBy('year').rangeBetween(Window.currentRow, Window.unboundedFollowing)).alias('later_max'))
      .orderBy('id')
      .collect();
    const theirs = await viaSql(
      'avg(weight) OVER (PARTITION BY origin ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS rows_avg, ' +
        'count(*) OVER (PARTITION BY origin ORDER BY year RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS range_n, ' +
        'max(hp) OVER (ORDER BY year RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS later_max',
    );
    assert.deepEqual(ours, theirs);
  });

  it('lag and lead with offsets and defaults', async () => {
    const w = Window.partitionBy('origin').orderBy('id');
    const ours = await cars
      .select('id', call('lag', col('name'), 1).over(w).alias('prev'), call('lead', col('hp'), 2, -1).over(w).alias('next2'))
      .orderBy('id')
      .collect();
    const theirs = await viaSql('lag(name, 1) OVER (PARTITION BY origin ORDER BY id) AS prev, lead(hp, 2, -1) OVER (PARTITION BY origin ORDER BY id) AS next2');
    assert.deepEqual(ours, theirs);
    assert.equal(ours[0]!.prev, null);
  });

  it('over() with no spec is the whole result; a bigint frame offset works; specs are immutable', async () => {
    const [row] = await cars.select(F.count('*').over().alias('n'), F.sum('weight').over(Window.rowsBetween(-(2n ** 63n), 2n ** 63n - 1n)).alias('total')).limit(1).collect();
    assert.equal(row!.n, BigInt(CARS.length));
    assert.equal(row!.total, BigInt(CARS.reduce((s, c) => s + Number(c.Weight_in_lbs), 0)));
    const base = Window.partitionBy('origin');
    const ordered = base.orderBy('id');
    assert.notEqual(base, ordered);
    const [a] = await cars.select(F.count('*').over(base).alias('n')).filter(col('id').eq(0)).collect();
    assert.equal(a!.n, BigInt(CARS.filter((c) => c.Origin === CARS[0]!.Origin).length));
  });

  it('bad frames are refused before anything reaches Spark, with what to do', () => {
    assert.throws(() => Window.rowsBetween(1.5, 2), (e: unknown) => e instanceof InvalidOptionError && /start must be an integer/.test(e.message));
    assert.throws(() => Window.orderBy('id').rowsBetween(2, -1), /start comes after its end\. Swap them/);
    assert.throws(() => Window.rowsBetween(Window.unboundedFollowing, 0), /cannot start at Window\.unboundedFollowing/);
    assert.throws(() => Window.rangeBetween(0, Window.unboundedPreceding), /cannot end at Window\.unboundedPreceding/);
  });

  it('an ordering-dependent function without orderBy fails with Spark\'s own message', async () => {
    await assert.rejects(cars.select(call('row_number').over(Window.partitionBy('origin'))).collect(), /order|ORDER/);
  });
});
