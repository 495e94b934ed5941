import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkSession, InvalidOptionError, type DataFrame } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

// vega-datasets' cars: real rows with strings, doubles and nulls.
const CARS = (JSON.parse(readFileSync(join(process.cwd(), 'node_modules/vega-datasets/data/cars.json'), 'utf8')) as Record<string, unknown>[]).slice(0, 60);

let spark: SparkSession;
let tmp: string;
let cars: DataFrame;
before(async () => {
  spark = await connect();
  tmp = mkdtempSync(join(tmpdir(), 'tsapply-formats-'));
  cars = spark.createDataFrame(
    CARS.map((c, i) => ({ id: i, name: c.Name, origin: c.Origin, hp: c.Horsepower, mpg: c.Miles_per_Gallon })),
    'id int, name string, origin string, hp double, mpg double',
  );
});
after(async () => {
  await spark.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const sorted = async (df: DataFrame) => df.orderBy('id').collect();

describe('more data sources: ORC, XML, JDBC; bucketed and sorted tables', () => {
  it('ORC and XML round-trip real rows exactly', async () => {
    await cars.write.orc(join(tmp, 'cars.orc'));
    assert.ok(readdirSync(join(tmp, 'cars.orc')).some((f) => f.endsWith('.orc')));
    assert.deepEqual(await sorted(spark.read.orc(join(tmp, 'cars.orc'))), await sorted(cars));

    await cars.write.xml(join(tmp, 'cars.xml'), { rowTag: 'car' });
    const xmlText = readdirSync(join(tmp, 'cars.xml')).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(tmp, 'cars.xml', f), 'utf8')).join('');
    assert.match(xmlText, /<car>/);
    const back = spark.read.schema('id int, name string, origin string, hp double, mpg double').xml(join(tmp, 'cars.xml'), { rowTag: 'car' });
    assert.deepEqual(await sorted(back), await sorted(cars));
  });

  it('JDBC: writes a table into Derby (on Spark\'s own classpath) and reads it back, also in parallel by a column', async () => {
    const url = `jdbc:derby:memory:tsapply_${process.pid};create=true`;
    await cars.write.jdbc(url, 'CARS', 'overwrite');
    const whole = spark.read.jdbc(url, 'CARS');
    assert.deepEqual(await sorted(whole), await sorted(cars));
    const parallel = spark.read.jdbc(url, 'CARS', { column: 'id', lowerBound: 0, upperBound: 60, numPartitions: 3 });
    assert.equal(await parallel.count(), CARS.length);
    await cars.write.jdbc(url, 'CARS', 'append');
    assert.equal(await spark.read.jdbc(url, 'CARS').count(), 2 * CARS.length);
    assert.throws(() => spark.read.jdbc(url, 'CARS', { column: 'id', numPartitions: 3 }), (e: unknown) => e instanceof InvalidOptionError && /go together/.test(e.message));
  });

  it('bucketBy and sortBy reach the table\'s definition', async () => {
    await spark.sql('DROP TABLE IF EXISTS bucketed_cars');
    await cars.write.format('parquet').bucketBy(4, 'origin').sortBy('hp').saveAsTable('bucketed_cars');
    const described = await (await spark.sql('DESCRIBE TABLE EXTENDED bucketed_cars')).collect();
    const info = new Map(described.map((r) => [String(r.col_name), String(r.data_type)]));
    assert.equal(info.get('Num Buckets'), '4');
    assert.equal(info.get('Bucket Columns'), '[`origin`]');
    assert.equal(info.get('Sort Columns'), '[`hp`]');
    assert.deepEqual(await sorted(spark.table('bucketed_cars')), await sorted(cars));
    await spark.sql('DROP TABLE bucketed_cars');
    assert.throws(() => cars.write.bucketBy(0, 'origin'), /positive integer/);
  });
});
