/**
 * The DataFrame members data scientists reach for, on real data (vega-datasets' cars)
 * against a real server: results checked against what the test computes itself, against
 * Spark SQL, or (printSchema) against PySpark's own client on the same server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkSession, StorageLevel, col, lit, functions as F, InvalidOptionError, type DataFrame } from '@tsapply/spark-connect';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { connect, skipBefore } from './helpers.js';
import { runPySpark } from './pyspark-client.js';

const CARS = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/vega-datasets/data/cars.json'), 'utf8')) as Record<string, unknown>[];
const ROWS = CARS.map((c, i) => ({ id: i, name: c.Name as string, origin: c.Origin as string, cyl: c.Cylinders as number, hp: c.Horsepower as number | null, mpg: c.Miles_per_Gallon as number | null, weight: c.Weight_in_lbs as number }));

let spark: SparkSession;
let cars: DataFrame;
before(async () => {
  spark = await connect();
  cars = spark.createDataFrame(ROWS, 'id int, name string, origin string, cyl int, hp double, mpg double, weight int');
  await cars.createOrReplaceTempView('members_cars');
});
after(async () => {
  await spark.stop();
});

const ids = async (df: DataFrame) => (await df.select('id').collect()).map((r) => r.id as number).sort((a, b) => a - b);

describe('randomSplit and sample', () => {
  it('a seeded split is reproducible, disjoint, covers every row, and roughly follows the weights', async () => {
    const [train, test] = cars.randomSplit([0.8, 0.2], 42);
    const [a, b] = [await ids(train!), await ids(test!)];
    assert.equal(a.length + b.length, ROWS.length);
    assert.equal(new Set([...a, ...b]).size, ROWS.length, 'disjoint and complete');
    assert.ok(a.length > 0.7 * ROWS.length && a.length < 0.9 * ROWS.length, `train has ${a.length} of ${ROWS.length}`);
    const [again] = cars.randomSplit([4, 1], 42); // normalised weights: the same split
    assert.deepEqual(await ids(again!), a);
    const [other] = cars.randomSplit([0.8, 0.2], 7);
    assert.notDeepEqual(await ids(other!), a, 'another seed, another split');
    assert.throws(() => cars.randomSplit([0.5, -0.5]), (e: unknown) => e instanceof InvalidOptionError && /positive numbers/.test(e.message));
  });

  it('sample keeps about the fraction, the same rows for the same seed', async () => {
    const s1 = await ids(cars.sample(0.3, 5));
    assert.deepEqual(await ids(cars.sample({ fraction: 0.3, seed: 5 })), s1);
    assert.ok(s1.length > 0.2 * ROWS.length && s1.length < 0.4 * ROWS.length);
    assert.ok((await cars.sample({ fraction: 2, withReplacement: true, seed: 1 }).count()) > ROWS.length);
    assert.throws(() => cars.sample(1.5), /withReplacement: true/);
  });
});

describe('na: fill, drop, replace', () => {
  it('drop removes rows with nulls (any / all / thresh / subset), exactly as counted here', async () => {
    const anyNull = ROWS.filter((r) => r.hp === null || r.mpg === null).length;
    assert.equal(await cars.na.drop().count(), ROWS.length - anyNull);
    assert.equal(await cars.dropna('all', undefined, ['hp', 'mpg']).count(), ROWS.length - ROWS.filter((r) => r.hp === null && r.mpg === null).length);
    assert.equal(await cars.na.drop('any', undefined, 'mpg').count(), ROWS.filter((r) => r.mpg !== null).length);
    assert.equal(await cars.na.drop('any', 7).count(), ROWS.length - anyNull); // 7 columns: all must be non-null
  });

  it('fill by value, by subset and per column; replace values', async () => {
    const filled = await cars.na.fill(-1).filter(col('mpg').eq(-1)).count();
    assert.equal(filled, ROWS.filter((r) => r.mpg === null).length);
    const perColumn = await cars.fillna({ hp: 0, mpg: 99 }).where(col('id').isin(...ROWS.filter((r) => r.mpg === null).map((r) => r.id))).select('mpg').distinct().collect();
    assert.deepEqual(perColumn, [{ mpg: 99 }]);
    const replaced = await cars.na.replace(['USA', 'Japan'], ['US', 'JP'], 'origin').groupBy('origin').count().orderBy('origin').collect();
    assert.deepEqual(replaced.map((r) => r.origin), ['Europe', 'JP', 'US']);
    assert.equal(await cars.replace({ Europe: 'EU' }).filter(col('origin').eq('EU')).count(), ROWS.filter((r) => r.origin === 'Europe').length);
    assert.throws(() => cars.na.fill([1] as never), /number, bigint, string or boolean/);
    assert.throws(() => cars.na.drop('some' as never), /'any' or 'all'/);
    assert.throws(() => cars.na.replace(['a', 'b'], ['x', 'y', 'z']), /2 values to replace but 3 replacements/);
  });
});

describe('stat: quantiles, correlation, covariance, crosstab, frequent items, stratified samples', () => {
  const hp = ROWS.map((r) => r.hp).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const exactQuantile = (p: number) => hp[Math.min(hp.length - 1, Math.max(0, Math.ceil(p * hp.length) - 1))]!;

  it('approxQuantile is within its relative error of the exact quantiles; 0 error is exact', async () => {
    const ps = [0.1, 0.5, 0.9];
    const exact = await cars.approxQuantile('hp', ps, 0);
    assert.deepEqual(exact, ps.map(exactQuantile));
    const approx = await cars.stat.approxQuantile('hp', ps, 0.05);
    approx.forEach((v, i) => {
      const rank = hp.filter((x) => x <= v).length / hp.length;
      assert.ok(Math.abs(rank - ps[i]!) <= 0.05 + 1 / hp.length, `quantile ${ps[i]}: ${v} has rank ${rank}`);
    });
    const both = await cars.stat.approxQuantile(['hp', 'weight'], [0.5], 0);
    assert.equal(both.length, 2);
    await assert.rejects(cars.stat.approxQuantile('hp', [1.5], 0), /from 0 to 1/);
  });

  it('corr and cov equal the values computed here from the same rows', async () => {
    const pairs = ROWS.filter((r) => r.hp !== null && r.mpg !== null) as { hp: number; mpg: number }[];
    const complete = cars.na.drop('any', undefined, ['hp', 'mpg']);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const mx = mean(pairs.map((p) => p.hp));
    const my = mean(pairs.map((p) => p.mpg));
    const sxy = pairs.reduce((a, p) => a + (p.hp - mx) * (p.mpg - my), 0);
    const sxx = pairs.reduce((a, p) => a + (p.hp - mx) ** 2, 0);
    const syy = pairs.reduce((a, p) => a + (p.mpg - my) ** 2, 0);
    assert.ok(Math.abs((await complete.stat.corr('hp', 'mpg')) - sxy / Math.sqrt(sxx * syy)) < 1e-12);
    assert.ok(Math.abs((await complete.cov('hp', 'mpg')) - sxy / (pairs.length - 1)) < 1e-9);
    await assert.rejects(cars.corr('hp', 'mpg', 'spearman'), /only 'pearson'/);
  });

  it('crosstab counts each pair; freqItems finds a value present in most rows; sampleBy keeps only the listed strata', async () => {
    const table = await cars.stat.crosstab('origin', 'cyl').orderBy('origin_cyl').collect();
    const usa8 = ROWS.filter((r) => r.origin === 'USA' && r.cyl === 8).length;
    assert.equal(Number(table.find((r) => r.origin_cyl === 'USA')!['8']), usa8);
    const [freq] = await cars.freqItems(['origin'], 0.5).collect();
    assert.ok((freq!.origin_freqItems as string[]).includes('USA'));
    const sampled = await cars.sampleBy('origin', { Japan: 1, Europe: 0 }, 3).select('origin').distinct().collect();
    assert.deepEqual(sampled, [{ origin: 'Japan' }]);
  });
});

describe('grouping: pivot, rollup, cube, grouping sets; describe and summary', () => {
  it('pivot turns values into columns, with and without the value list, as SQL PIVOT does', async () => {
    const ours = await cars.groupBy('cyl').pivot('origin', ['USA', 'Japan']).agg(F.count('*')).orderBy('cyl').collect();
    const theirs = await (await spark.sql("SELECT * FROM (SELECT cyl, origin FROM members_cars) PIVOT (count(*) FOR origin IN ('USA' AS USA, 'Japan' AS Japan)) ORDER BY cyl")).collect();
    assert.deepEqual(ours, theirs);
    const found = await cars.groupBy('cyl').pivot('origin').count().columns();
    assert.deepEqual(found, ['cyl', 'Europe', 'Japan', 'USA']);
    assert.throws(() => cars.rollup('cyl').pivot('origin'), /follows groupBy\(\) only/);
  });

  it('rollup, cube and grouping sets match SQL', async () => {
    const q = async (df: DataFrame) => (await df.orderBy(col('origin').ascNullsFirst(), col('cyl').ascNullsFirst()).collect());
    assert.deepEqual(await q(cars.rollup('origin', 'cyl').agg(F.count('*').alias('n'))), await q(await spark.sql('SELECT origin, cyl, count(*) AS n FROM members_cars GROUP BY ROLLUP(origin, cyl)')));
    assert.deepEqual(await q(cars.cube('origin', 'cyl').agg(F.count('*').alias('n'))), await q(await spark.sql('SELECT origin, cyl, count(*) AS n FROM members_cars GROUP BY CUBE(origin, cyl)')));
    assert.deepEqual(
      await q(cars.groupingSets([['origin'], ['cyl']], 'origin', 'cyl').agg(F.count('*').alias('n'))),
      await q(await spark.sql('SELECT origin, cyl, count(*) AS n FROM members_cars GROUP BY GROUPING SETS ((origin), (cyl))')),
    );
  });

  it('describe and summary give count, mean, stddev, min, max (and quartiles) as strings', async () => {
    const d = await cars.describe('weight').collect();
    const byStat = new Map(d.map((r) => [r.summary, r.weight]));
    assert.equal(byStat.get('count'), String(ROWS.length));
    assert.equal(byStat.get('min'), String(Math.min(...ROWS.map((r) => r.weight))));
    assert.equal(byStat.get('max'), String(Math.max(...ROWS.map((r) => r.weight))));
    const s = await cars.select('weight').summary('count', '50%').collect();
    assert.deepEqual(s.map((r) => r.summary), ['count', '50%']);
  });
});

describe('caching, schema, small actions and plan questions', () => {
  it('cache keeps the result: after the file under it changes, the cached DataFrame gives the old rows until unpersist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-cache-'));
    try {
      const file = join(dir, 'part.csv');
      writeFileSync(file, '1\n2\n3\n');
      const df = spark.read.schema('x int').csv(dir);
      assert.deepEqual(await df.storageLevel(), StorageLevel.NONE);
      assert.equal(await df.isCached(), false);
      await df.cache();
      assert.equal(await df.storageLevel(), StorageLevel.MEMORY_AND_DISK_DESER);
      assert.equal(await df.isCached(), true);
      const values = async (d: DataFrame) => (await d.orderBy('x').collect()).map((r) => Number(r.x));
      assert.equal(await df.count(), 3); // computes and keeps it
      assert.match(await df.explain(), /InMemoryRelation|InMemoryTableScan/);
      // New values of the same length (Spark may keep the file's listed size): a second action
      // that rescanned the file would see them.
      writeFileSync(file, '7\n8\n9\n');
      assert.deepEqual(await values(df), [1, 2, 3]);
      assert.deepEqual(await values(df.filter(col('x').gt(1))), [2, 3], 'a plan built on the cached one reads the cache too');
      // Another read of the file (another schema, so another plan) is not the cached one: it sees the file as it is now.
      assert.deepEqual(await values(spark.read.schema('x bigint').csv(dir)), [7, 8, 9]);
      await df.unpersist(true);
      assert.equal(await df.isCached(), false);
      assert.deepEqual(await values(df), [7, 8, 9], 'unpersisted, the same DataFrame reads the file again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('persist at a storage level; unpersist drops it', async () => {
    const df = cars.filter(col('cyl').eq(4));
    assert.deepEqual(await df.storageLevel(), StorageLevel.NONE);
    await df.persist(StorageLevel.DISK_ONLY);
    assert.deepEqual(await df.storageLevel(), StorageLevel.DISK_ONLY);
    await df.unpersist(true);
  });

  it('printSchema prints exactly what PySpark prints for the same DataFrame', async () => {
    const sql = "SELECT 1 AS a, 'x' AS b, array(named_struct('c', 1.5D, 'd', map('k', date'2024-01-01'))) AS nested";
    const ours = await (await spark.sql(sql)).schemaTreeString();
    const theirs = runPySpark(`import sys\nfrom pyspark.sql import SparkSession\ns = SparkSession.builder.remote(sys.argv[1]).getOrCreate()\ns.sql(sys.argv[2]).printSchema()\ns.stop()`, [sql], { stderr: 'ignore' });
    assert.equal(`${ours}\n`.trimEnd(), theirs.trimEnd());
    assert.match(ours, /^root\n \|-- a: integer \(nullable = false\)/);
    assert.deepEqual(await (await spark.sql(sql)).dtypes(), [['a', 'int'], ['b', 'string'], ['nested', 'array<struct<c:double,d:map<string,date>>>']]);
  });

  it('first, isEmpty, tail, offset, toJSON, transform, unpivot, set operations with duplicates', async () => {
    const byId = cars.orderBy('id');
    assert.equal((await byId.first())!.id, 0);
    assert.equal(await cars.filter(col('id').lt(0)).isEmpty(), true);
    assert.equal(await cars.isEmpty(), false);
    assert.deepEqual((await byId.tail(2)).map((r) => r.id), [ROWS.length - 2, ROWS.length - 1]);
    assert.deepEqual((await byId.offset(3).limit(2).collect()).map((r) => r.id), [3, 4]);
    const [json] = await byId.limit(1).select('id', 'name').toJSON().collect();
    assert.deepEqual(JSON.parse(json!.value as string), { id: 0, name: ROWS[0]!.name });
    const withDouble = (df: DataFrame, factor: number) => df.withColumn('w2', col('weight').multiply(factor));
    assert.equal((await cars.transform(withDouble, 2).filter(col('id').eq(0)).first())!.w2, ROWS[0]!.weight * 2);
    const long = await byId.limit(1).unpivot('id', ['hp', 'mpg'], 'measure', 'value').collect();
    assert.deepEqual(long, [{ id: 0, measure: 'hp', value: ROWS[0]!.hp }, { id: 0, measure: 'mpg', value: ROWS[0]!.mpg }]);
    const a = spark.createDataFrame([{ x: 1 }, { x: 1 }, { x: 2 }], 'x int');
    const b = spark.createDataFrame([{ x: 1 }], 'x int');
    assert.deepEqual(await a.exceptAll(b).orderBy('x').collect(), [{ x: 1 }, { x: 2 }]);
    assert.deepEqual(await a.intersectAll(a).count(), 3);
  });

  it('hint, sortWithinPartitions and the plan questions', async () => {
    const small = spark.createDataFrame([{ origin: 'USA', region: 'Americas' }], 'origin string, region string');
    assert.match(await cars.join(small.hint('broadcast'), 'origin').explain(), /BroadcastHashJoin/);
    assert.match(await cars.join(F.broadcast(small), 'origin').explain(), /BroadcastHashJoin/);
    const sorted = await cars.repartition(1).sortWithinPartitions(col('weight').desc()).limit(3).collect();
    assert.deepEqual(sorted.map((r) => r.weight), [...ROWS.map((r) => r.weight)].sort((x, y) => y - x).slice(0, 3));
    assert.equal(await spark.createDataFrame([{ x: 1 }], 'x int').isLocal(), true);
    assert.equal(await cars.isStreaming(), false);
    assert.equal(await cars.select('id').sameSemantics(cars.select('id')), true);
    assert.equal(await cars.select('id').sameSemantics(cars.select('name')), false);
    assert.equal(typeof (await cars.semanticHash()), 'number');
    assert.ok(cars.sparkSession === spark);
    assert.deepEqual(await spark.range(1).inputFiles(), []);
  });
});

describe('repartitionByRange, withMetadata, zipWithIndex, metadataColumn', () => {
  /** Each row's partition, by id. */
  const partitionOf = async (df: DataFrame) => new Map((await df.select('id', F.sparkPartitionId().alias('p')).collect()).map((r) => [r.id as number, r.p as number]));

  it('repartitionByRange cuts contiguous, ordered ranges, the same ones as SQL\'s REPARTITION_BY_RANGE hint', async () => {
    const ours = await partitionOf(cars.repartitionByRange(4, 'weight'));
    const sql = await partitionOf(await spark.sql('SELECT /*+ REPARTITION_BY_RANGE(4, weight) */ * FROM members_cars'));
    assert.deepEqual([...ours].sort((a, b) => a[0] - b[0]), [...sql].sort((a, b) => a[0] - b[0]));
    // Partition p holds weights below partition p + 1's: the ranges do not overlap.
    const ranges = [0, 1, 2, 3].map((p) => ROWS.filter((r) => ours.get(r.id) === p).map((r) => r.weight));
    assert.ok(ranges.every((w) => w.length > 0), 'four non-empty partitions');
    for (let p = 0; p < 3; p++) assert.ok(Math.max(...ranges[p]!) < Math.min(...ranges[p + 1]!), `partition ${p} ends below partition ${p + 1}`);
    // Descending: the heaviest car is in the first partition; without n, columns only.
    const desc = await partitionOf(cars.repartitionByRange(2, col('weight').desc()));
    const heaviest = ROWS.reduce((a, b) => (b.weight > a.weight ? b : a));
    assert.equal(desc.get(heaviest.id), 0);
    assert.equal(await cars.repartitionByRange('origin', 'weight').count(), ROWS.length);
    assert.throws(() => cars.repartitionByRange(0, 'weight'), (e: unknown) => e instanceof InvalidOptionError && /positive integer, got 0/.test(e.message));
    assert.throws(() => cars.repartitionByRange(4), /at least one column/);
  });

  it('withMetadata sets a column\'s metadata, read back from the server, and leaves the values alone', async () => {
    const df = cars.withMetadata('weight', { comment: 'in lbs', scale: 1 });
    assert.deepEqual((await df.schema()).metadata.weight, { comment: 'in lbs', scale: 1 });
    assert.deepEqual(await ids(df), await ids(cars));
    assert.equal((await df.filter(col('id').eq(0)).first())!.weight, ROWS[0]!.weight);
    // Replaced, not merged, as in PySpark.
    assert.deepEqual((await df.withMetadata('weight', { unit: 'lb' }).schema()).metadata.weight, { unit: 'lb' });
    assert.throws(() => cars.withMetadata('weight', null as never), /plain object/);
  });

  it('zipWithIndex numbers the rows 0, 1, 2, … in order across partitions', async () => {
    const rows = await (await spark.sql('SELECT * FROM range(0, 100, 1, 4)')).zipWithIndex().collect();
    assert.equal(rows.length, 100);
    assert.ok(rows.every((r) => BigInt(r.index as bigint) === BigInt(r.id as bigint)), 'index equals the row\'s position');
    const named = await cars.zipWithIndex('n').orderBy('id').collect();
    assert.deepEqual(named.map((r) => Number(r.n)), ROWS.map((r) => r.id));
    assert.deepEqual(await cars.zipWithIndex('n').columns(), ['id', 'name', 'origin', 'cyl', 'hp', 'mpg', 'weight', 'n']);
  });

  it('metadataColumn reads a file source\'s _metadata, as SQL does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-meta-'));
    try {
      writeFileSync(join(dir, 'a.csv'), '1\n2\n');
      writeFileSync(join(dir, 'b.csv'), '3\n');
      const df = spark.read.schema('x int').csv(dir);
      const ours = await df.select('x', df.metadataColumn('_metadata').getField('file_name').alias('f')).orderBy('x').collect();
      assert.deepEqual(ours, [{ x: 1, f: 'a.csv' }, { x: 2, f: 'a.csv' }, { x: 3, f: 'b.csv' }]);
      const sql = await (await spark.sql(`SELECT _c0 AS x, _metadata.file_name AS f FROM csv.\`${dir}\` ORDER BY x`)).collect();
      assert.deepEqual(sql.map((r) => r.f), ours.map((r) => r.f));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('spark.catalog', () => {
  it('lists and checks databases, tables, columns and functions; caches tables', async () => {
    const c = spark.catalog;
    assert.equal(await c.currentCatalog(), 'spark_catalog');
    assert.equal(await c.currentDatabase(), 'default');
    assert.ok((await c.listDatabases()).some((d) => d.name === 'default'));
    assert.equal(await c.databaseExists('default'), true);
    assert.equal(await c.databaseExists('no_such_db_here'), false);
    const tables = await c.listTables();
    const view = tables.find((t) => t.name === 'members_cars')!;
    assert.equal(view.isTemporary, true);
    assert.equal(await c.tableExists('members_cars'), true);
    assert.equal(await c.tableExists('no_such_table'), false);
    assert.deepEqual((await c.listColumns('members_cars')).map((x) => [x.name, x.dataType]), [['id', 'int'], ['name', 'string'], ['origin', 'string'], ['cyl', 'int'], ['hp', 'double'], ['mpg', 'double'], ['weight', 'int']]);
    assert.equal(await c.functionExists('upper'), true);
    assert.ok((await c.listFunctions(undefined, 'array_*')).some((f) => f.name === 'array_contains'));
    await c.cacheTable('members_cars');
    assert.equal(await c.isCached('members_cars'), true);
    await c.uncacheTable('members_cars');
    assert.equal(await c.isCached('members_cars'), false);
    await spark.range(1).createOrReplaceTempView('members_gone');
    assert.equal(await c.dropTempView('members_gone'), true);
    assert.equal(await c.tableExists('members_gone'), false);
    await assert.rejects(c.tableExists(''), /non-empty name/);
    void lit;
  });
});

describe('writeTo (DataFrameWriterV2)', () => {
  it('creates a catalog table with its properties; what Spark\'s built-in v1 catalog cannot do fails with its reason', async () => {
    // Names of their own: a run killed halfway leaves its table folders in the warehouse.
    const [t1, t2] = [`members_v2_${process.pid}`, `members_v2b_${process.pid}`];
    try {
      const usa = cars.filter(col('origin').eq('USA')).select('id', 'name', 'origin');
      await usa.writeTo(t1).using('parquet').tableProperty('purpose', 'test').create();
      assert.equal(await spark.table(t1).count(), ROWS.filter((r) => r.origin === 'USA').length);
      assert.ok((await (await spark.sql(`SHOW TBLPROPERTIES ${t1}`)).collect()).some((r) => r.key === 'purpose' && r.value === 'test'));
      await assert.rejects(usa.writeTo(t1).using('parquet').create(), /TABLE_OR_VIEW_ALREADY_EXISTS|already exists/);
      // Appending and replacing need a v2 catalog (Iceberg, Delta…); the session catalog says so.
      await assert.rejects(usa.writeTo(t1).append(), /Cannot write into v1 table/);
      await assert.rejects(usa.writeTo(t1).using('parquet').createOrReplace(), /does not support REPLACE TABLE AS SELECT/);
      await assert.rejects(cars.limit(5).select('id', 'name').writeTo(t2).using('parquet').partitionedBy('id').createOrReplace(), /does not support REPLACE TABLE AS SELECT/);
      assert.equal(await spark.catalog.tableExists(t1), true);
    } finally {
      await spark.sql(`DROP TABLE IF EXISTS ${t1}`);
      await spark.sql(`DROP TABLE IF EXISTS ${t2}`);
    }
    assert.throws(() => cars.writeTo(''), /needs a table name/);
  });
});

describe('colRegex, to, transpose', () => {
  it('colRegex selects the columns whose names match, in schema order, as the same names listed do', async () => {
    const names = ['id', 'name', 'origin', 'cyl', 'hp', 'mpg', 'weight'];
    const re = /^(mpg|hp|.*ig.*)$/;
    const picked = cars.select(cars.colRegex('`(mpg|hp|.*ig.*)`'));
    assert.deepEqual(await picked.columns(), names.filter((n) => re.test(n)));
    assert.deepEqual(await picked.orderBy('weight', 'hp').collect(), await cars.select(...names.filter((n) => re.test(n))).orderBy('weight', 'hp').collect());
    // Without backticks the name is an ordinary column name.
    assert.deepEqual(await cars.select(cars.colRegex('name')).columns(), ['name']);
    assert.throws(() => cars.colRegex(''), /regex in backticks/);
  });

  it('to reorders and casts columns by name, from DDL or an Arrow schema; an incompatible schema fails with Spark\'s reason', async () => {
    const small = cars.filter(col('id').lt(5));
    const reshaped = small.to('mpg double, name string, id bigint');
    assert.deepEqual(await reshaped.dtypes(), [['mpg', 'double'], ['name', 'string'], ['id', 'bigint']]);
    const expected = ROWS.filter((r) => r.id < 5).map((r) => ({ mpg: r.mpg, name: r.name, id: BigInt(r.id) }));
    assert.deepEqual(await reshaped.orderBy('id').collect(), expected);
    const target = (await spark.sql('SELECT CAST(id AS BIGINT) AS id, hp FROM members_cars')).schema();
    assert.deepEqual(await small.to((await target).arrow).orderBy('id').collect(), ROWS.filter((r) => r.id < 5).map((r) => ({ id: BigInt(r.id), hp: r.hp })));
    // A literal's column is NOT NULL in its schema; cars.id may be null, so Spark refuses.
    const notNull = (await (await spark.sql('SELECT CAST(1 AS BIGINT) AS id')).schema()).arrow;
    await assert.rejects(small.to(notNull).collect(), /\[NULLABLE_COLUMN_OR_FIELD\] Column or field `id` is nullable while it's required to be non-nullable/);
    // A missing column is filled with nulls when the schema allows them, else refused.
    assert.deepEqual(await small.to('id int, nosuch string').orderBy('id').collect(), ROWS.filter((r) => r.id < 5).map((r) => ({ id: r.id, nosuch: null })));
    await assert.rejects(small.to('id int, nosuch string NOT NULL').collect(), /\[UNRESOLVED_COLUMN[.A-Z_]*\][^]*nosuch/);
    await assert.rejects(small.to('name int').collect(), /\[INVALID_COLUMN_OR_FIELD_DATA_TYPE\][^]*name/);
    assert.throws(() => small.to(''), /Spark DDL/);
  });

  it('transpose turns rows into columns named by the index column\'s values', async () => {
    const df = spark.createDataFrame([{ k: 'a', x: 1, y: 2 }, { k: 'b', x: 3, y: 4 }], 'k string, x int, y int');
    const expected = [{ key: 'x', a: 1, b: 3 }, { key: 'y', a: 2, b: 4 }];
    assert.deepEqual(await df.transpose().collect(), expected);
    assert.deepEqual(await df.transpose('k').collect(), expected);
    const byX = await df.select('x', 'k').transpose(col('x')).collect();
    assert.deepEqual(byX, [{ key: 'k', 1: 'a', 3: 'b' }]);
  });
});

describe('repartitionById, zip', () => {
  it('repartitionById puts each row in the partition its id column names, modulo n; null in partition 0', { skip: skipBefore('4.1') }, async () => {
    const df = spark.range(12).withColumn('pid', F.when(col('id').eq(11), lit(null)).otherwise(col('id').mod(5).minus(1)).cast('int'));
    const rows = await df.repartitionById(3, 'pid').select(col('id'), col('pid'), F.sparkPartitionId().alias('part')).collect();
    assert.equal(rows.length, 12);
    for (const r of rows) {
      const pid = r.pid as number | null;
      assert.equal(r.part, pid === null ? 0 : ((pid % 3) + 3) % 3, `row ${String(r.id)} with pid ${pid}`);
    }
    assert.throws(() => df.repartitionById(0, 'pid'), /positive integer/);
  });

  it('zip puts the columns of two projections of the same source side by side; unrelated sources are refused', { skip: skipBefore('4.3') }, async () => {
    const left = cars.select('id', 'name');
    const right = cars.select(col('weight').multiply(2).alias('w2'), col('origin'));
    const zipped = await left.zip(right).collect();
    assert.deepEqual(zipped, await cars.select(col('id'), col('name'), col('weight').multiply(2).alias('w2'), col('origin')).collect());
    await assert.rejects(left.zip(spark.range(3)).collect(), /zip|ZIP|align/i);
  });
});

describe('nearestByJoin', () => {
  it('finds each left row\'s nearest right rows by distance or similarity, as computed here', { skip: skipBefore('4.2') }, async () => {
    const users = [{ user_id: 1, score: 10 }, { user_id: 2, score: 20 }, { user_id: 3, score: 30 }];
    const items = [{ product: 'A', pscore: 11 }, { product: 'B', pscore: 22 }, { product: 'C', pscore: 5 }, { product: 'D', pscore: 40 }];
    const u = spark.createDataFrame(users, 'user_id int, score double');
    const p = spark.createDataFrame(items, 'product string, pscore double');
    const nearest = (k: number) => users.flatMap((x) => [...items].sort((a, b) => Math.abs(x.score - a.pscore) - Math.abs(x.score - b.pscore)).slice(0, k).map((i) => ({ user_id: x.user_id, product: i.product })));
    const pairs = async (df: DataFrame) => (await df.select('user_id', 'product').orderBy('user_id', 'product').collect());
    const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => (a.user_id as number) - (b.user_id as number) || String(a.product).localeCompare(String(b.product)));
    const distance = F.abs(u.col('score').minus(p.col('pscore')));
    assert.deepEqual(await pairs(u.nearestByJoin(p, distance, 2, 'exact', 'distance')), sorted(nearest(2)));
    assert.deepEqual(await pairs(u.nearestByJoin(p, distance.multiply(-1), 1, 'exact', 'similarity')), sorted(nearest(1)));
    const none = p.filter(col('pscore').gt(100));
    assert.deepEqual(await pairs(u.nearestByJoin(none, F.abs(u.col('score').minus(none.col('pscore'))), 1, 'exact', 'distance', { joinType: 'leftouter' })), users.map((x) => ({ user_id: x.user_id, product: null })));
    assert.equal(await u.nearestByJoin(none, F.abs(u.col('score').minus(none.col('pscore'))), 1, 'exact', 'distance').count(), 0);
    assert.throws(() => u.nearestByJoin(p, distance, 0, 'exact', 'distance'), /from 1 to 100000/);
    assert.throws(() => u.nearestByJoin(p, distance, 1, 'exact', 'closest' as never), /'distance' or 'similarity'/);
  });
});

describe('observe', () => {
  it('reports the metrics of the rows passing through, equal to the same aggregates in SQL, after an action', async () => {
    const observed = cars.observe('stats', F.count(lit(1)).alias('rows'), F.max('hp').alias('max_hp'), F.sum('weight').alias('weight'));
    assert.throws(() => observed.observedMetrics(), /No metrics observed as 'stats' yet/);
    // The action runs on a DataFrame built from the observed one: the metrics still arrive.
    assert.equal(await observed.filter(col('origin').eq('Japan')).count(), ROWS.filter((r) => r.origin === 'Japan').length);
    const [sql] = await (await spark.sql('SELECT count(1) AS rows, max(hp) AS max_hp, sum(weight) AS weight FROM members_cars')).collect();
    assert.deepEqual(observed.observedMetrics(), sql);
    assert.equal(observed.observedMetrics().rows, BigInt(ROWS.length));
    const europe = cars.filter(col('origin').eq('Europe')).observe('europe', F.count(lit(1)).alias('n'));
    await europe.collect();
    assert.deepEqual(europe.observedMetrics(), { n: BigInt(ROWS.filter((r) => r.origin === 'Europe').length) });
    assert.throws(() => cars.observe('empty'), /at least one aggregate Column/);
  });
});

describe('scalar and exists subqueries', () => {
  it('give what the same subqueries in SQL give, uncorrelated and correlated', async () => {
    const maxHp = cars.agg(F.max('hp')).scalar();
    const got = await cars.select(col('id'), maxHp.alias('max_hp'), col('hp').divide(maxHp).alias('share')).orderBy('id').limit(5).collect();
    const sql = await (await spark.sql('SELECT id, (SELECT max(hp) FROM members_cars) AS max_hp, hp / (SELECT max(hp) FROM members_cars) AS share FROM members_cars ORDER BY id LIMIT 5')).collect();
    assert.deepEqual(got, sql);
    assert.equal(got[0]!.max_hp, Math.max(...ROWS.map((r) => r.hp ?? -Infinity)));

    // Correlated: for each origin, whether it has a car heavier than 4500 lbs; and its heaviest car.
    const origins = cars.select('origin').distinct().alias('o');
    const heavy = cars.alias('c').where(col('c.origin').eq(col('o.origin')).and(col('c.weight').gt(4500)));
    const withHeavy = await origins.where(heavy.exists()).orderBy('origin').collect();
    const sqlHeavy = await (await spark.sql('SELECT DISTINCT origin FROM members_cars o WHERE EXISTS (SELECT 1 FROM members_cars c WHERE c.origin = o.origin AND c.weight > 4500) ORDER BY origin')).collect();
    assert.deepEqual(withHeavy, sqlHeavy);
    assert.deepEqual(withHeavy.map((r) => r.origin), [...new Set(ROWS.filter((r) => r.weight > 4500).map((r) => r.origin))].sort());
    const heaviest = cars.alias('c').where(col('c.origin').eq(col('o.origin'))).agg(F.max('c.weight')).scalar();
    const perOrigin = await origins.select(col('origin'), heaviest.alias('w')).orderBy('origin').collect();
    assert.deepEqual(perOrigin, ['Europe', 'Japan', 'USA'].map((o) => ({ origin: o, w: Math.max(...ROWS.filter((r) => r.origin === o).map((r) => r.weight)) })));
    await assert.rejects(cars.select(cars.select('id', 'hp').scalar()).collect(), /SCALAR_SUBQUERY_TOO_MANY|more than one|one column/i);
  });
});

describe('lateralJoin', () => {
  it('evaluates the right side per left row, as SQL\'s LATERAL does', async () => {
    const origins = cars.select('origin').distinct().alias('o');
    const heaviest = cars.alias('c').where(col('c.origin').eq(col('o.origin').outer())).orderBy(col('c.weight').desc(), col('c.id')).limit(2).select(col('c.name'), col('c.weight'));
    const got = await origins.lateralJoin(heaviest).orderBy('origin', col('weight').desc(), 'name').collect();
    const sql = await (await spark.sql('SELECT o.origin, c.name, c.weight FROM (SELECT DISTINCT origin FROM members_cars) o, LATERAL (SELECT name, weight FROM members_cars c WHERE c.origin = o.origin ORDER BY weight DESC, id LIMIT 2) c ORDER BY origin, weight DESC, name')).collect();
    assert.deepEqual(got, sql);
    assert.equal(got.length, 6);
    const none = cars.alias('c').where(col('c.origin').eq(col('o.origin')).and(col('c.weight').gt(4500))).select(col('c.name'));
    const left = await origins.lateralJoin(none, undefined, 'left').where(col('name').isNull()).select('origin').orderBy('origin').collect();
    assert.deepEqual(left.map((r) => r.origin), ['Europe', 'Japan', 'USA'].filter((o) => !ROWS.some((r) => r.origin === o && r.weight > 4500)));
    assert.throws(() => origins.lateralJoin(none, undefined, 'right'), /Valid values: inner, left/);
  });
});

describe('executionInfo', () => {
  it('holds the latest action\'s operation id, the plan\'s row counts and the observed metrics', async () => {
    const df = spark.range(100).filter(col('id').mod(3).eq(0));
    assert.equal(df.executionInfo, undefined);
    const rows = await df.collect();
    const info = df.executionInfo!;
    assert.match(info.operationId, /^[0-9a-f-]{36}$/);
    const counts = (name: string) => info.metrics.filter((m) => m.name.includes(name)).map((m) => m.values.numOutputRows?.value);
    assert.deepEqual(counts('Range'), [100n], JSON.stringify(info.metrics.map((m) => m.name)));
    assert.deepEqual(counts('Filter'), [BigInt(rows.length)]);
    const observed = spark.range(10).observe('o', F.sum('id').alias('s'));
    assert.equal(await observed.count(), 10);
    assert.deepEqual(observed.executionInfo?.observedMetrics, { o: { s: 45n } });
    assert.notEqual(observed.executionInfo?.operationId, info.operationId);
  });
});

describe('localCheckpoint', () => {
  it('returns the same rows from a plan that no longer holds the original lineage', async () => {
    const heavy = cars.filter(col('weight').gt(3000)).select('id', 'name', 'weight');
    const expected = await heavy.orderBy('id').collect();
    assert.match(await heavy.explain('extended'), /Filter/);
    for (const cp of [await heavy.localCheckpoint(), await heavy.localCheckpoint(false, StorageLevel.DISK_ONLY)]) {
      const plan = await cp.explain('extended');
      assert.doesNotMatch(plan, /Filter|LocalRelation/, plan);
      assert.match(plan, /LogicalRDD|ExistingRDD/, plan);
      assert.deepEqual(await cp.orderBy('id').collect(), expected);
    }
  });
});

// Reliable checkpoints need a checkpoint directory, a setting Spark reads only when it
// starts: a server of this test's own.
describe('checkpoint (a server with spark.checkpoint.dir)', () => {
  let server: SparkConnectServer | undefined;
  let own: SparkSession | undefined;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-checkpoint-'));
    server = await startSparkConnect({ port: await findFreePort(), stateDir: join(dir, 'state'), conf: { 'spark.checkpoint.dir': join(dir, 'checkpoints') }, onProgress: () => {} });
    own = await SparkSession.connect(server.address);
  });
  after(async () => {
    await own?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the rows to the checkpoint directory and returns them from a plan without the original lineage', async () => {
    const df = own!.createDataFrame(ROWS.slice(0, 50), 'id int, name string, origin string, cyl int, hp double, mpg double, weight int').filter(col('cyl').eq(4)).select('id', 'name');
    const expected = await df.orderBy('id').collect();
    const cp = await df.checkpoint();
    const plan = await cp.explain('extended');
    assert.doesNotMatch(plan, /Filter|LocalRelation/, plan);
    assert.match(plan, /LogicalRDD|ExistingRDD/, plan);
    assert.deepEqual(await cp.orderBy('id').collect(), expected);
    assert.ok(readdirSync(join(dir, 'checkpoints'), { recursive: true }).some((f) => String(f).includes('rdd-')), 'checkpoint files written');
    const lazy = await df.checkpoint(false);
    assert.deepEqual(await lazy.orderBy('id').collect(), expected);
    await assert.rejects(df.checkpoint('yes' as never), /eager as a boolean/);
  });
});
