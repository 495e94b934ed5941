/**
 * Saving and loading Spark ML stages and pipelines, against the real server and PySpark's
 * own Connect client on it: a pipeline fitted and saved by tsapply loads in PySpark with
 * the same predictions, one saved by PySpark loads here with PySpark's predictions, and
 * unfitted stages keep their uid and params. Data: vega-datasets' cars.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ml, type DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';
import { CARS, readCars, assertClose, runPySpark, PYSPARK_PERSISTS_ML } from '../pyspark-client.js';


// PySpark loads argv[3] (tsapply's save) and saves its own pipeline to argv[4]; prints both predictions.
const PYTHON = `
import json, sys
from pyspark.sql import SparkSession
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import VectorAssembler, StandardScaler
from pyspark.ml.regression import LinearRegression
spark = SparkSession.builder.remote(sys.argv[1]).getOrCreate()
cars = spark.read.json(sys.argv[2], multiLine=True).na.drop()
def predictions(model):
    return [r[0] for r in model.transform(cars).orderBy('Name', 'Year', 'Weight_in_lbs').select('prediction').collect()]
ours = PipelineModel.load(sys.argv[3])
theirs = Pipeline(stages=[
    VectorAssembler(inputCols=['Weight_in_lbs', 'Horsepower'], outputCol='raw'),
    StandardScaler(inputCol='raw', outputCol='features'),
    LinearRegression(labelCol='Miles_per_Gallon', regParam=0.1),
]).fit(cars)
theirs.write().overwrite().save(sys.argv[4])
print(json.dumps({'tsappliesSaved': predictions(ours), 'stageClasses': [type(s).__name__ for s in ours.stages], 'pysparks': predictions(theirs)}))
spark.stop()
`;

let spark: SparkSession;
let cars: DataFrame;
let dir: string;

before(async () => {
  spark = await connect();
  cars = readCars(spark);
  dir = mkdtempSync(join(tmpdir(), 'tsapply-ml-save-'));
});
after(async () => {
  await spark?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function pipeline(): ml.Pipeline {
  return new ml.Pipeline({
    stages: [
      new ml.VectorAssembler({ inputCols: ['Weight_in_lbs', 'Horsepower'], outputCol: 'raw' }),
      new ml.StandardScaler({ inputCol: 'raw', outputCol: 'features' }),
      new ml.LinearRegression({ labelCol: 'Miles_per_Gallon', regParam: 0.1 }),
    ],
  });
}

async function predictions(model: ml.Transformer): Promise<number[]> {
  const rows = await model.transform(cars).orderBy('Name', 'Year', 'Weight_in_lbs').select('prediction').collect();
  return rows.map((r) => r.prediction as number);
}


describe('saving and loading Spark ML', () => {
  it('a fitted pipeline saved here loads here and in PySpark with the same predictions; PySpark\'s loads here', { timeout: 300_000 }, async () => {
    const fitted = await pipeline().fit(cars);
    const expected = await predictions(fitted);
    const ours = join(dir, 'tsapply-pipeline');
    await fitted.save(ours);
    await assert.rejects(fitted.save(ours), /^SparkUsageError: PipelineModel\.save\(\): .* already exists\. Pass \{ overwrite: true \}/);

    const loaded = await ml.load(spark, ours, ml.PipelineModel);
    assert.equal(loaded.uid, fitted.uid);
    assert.deepEqual(loaded.stages.map((s) => s.constructor.name), ['VectorAssembler', 'SparkModel', 'LinearRegressionModel']);
    assert.deepEqual(loaded.stages.map((s) => s.uid), fitted.stages.map((s) => s.uid));
    const lr = loaded.stages[2] as ml.LinearRegressionModel;
    assert.deepEqual(lr.coefficients.toArray(), (fitted.stages[2] as ml.LinearRegressionModel).coefficients.toArray());
    assertClose(await predictions(loaded), expected, 'loaded here');
    if (!PYSPARK_PERSISTS_ML) return void (await Promise.all([fitted.release(), loaded.release()]));

    const theirsPath = join(dir, 'pyspark-pipeline');
    const py = JSON.parse(
      runPySpark(PYTHON, [CARS, ours, theirsPath]),
    ) as { tsappliesSaved: number[]; stageClasses: string[]; pysparks: number[] };
    assert.deepEqual(py.stageClasses, ['VectorAssembler', 'StandardScalerModel', 'LinearRegressionModel']);
    assertClose(py.tsappliesSaved, expected, 'tsapply\'s save loaded by PySpark');

    const fromPySpark = await ml.PipelineModel.load(spark, theirsPath);
    assertClose(await predictions(fromPySpark), py.pysparks, 'PySpark\'s save loaded here');
    await Promise.all([fitted.release(), loaded.release(), fromPySpark.release()]);
  });

  it('an unfitted estimator and an unfitted pipeline keep their uid and params', async () => {
    const lr = new ml.LogisticRegression({ maxIter: 7, regParam: 0.25, labelCol: 'label2' });
    await lr.save(join(dir, 'lr'), { session: spark });
    const back = await ml.LogisticRegression.load(spark, join(dir, 'lr'));
    await assert.rejects(ml.LinearRegressionModel.load(spark, join(dir, 'lr')), /^SparkUsageError: LinearRegressionModel\.load\(\): .*lr holds a LogisticRegression, not a LinearRegressionModel\. Load it with ml\.load\(spark, path\) or the LogisticRegression class\.$/);
    assert.equal(back.uid, lr.uid);
    assert.deepEqual([back.getOrDefault('maxIter'), back.getOrDefault('regParam'), back.getOrDefault('labelCol')], [7, 0.25, 'label2']);

    const p = pipeline();
    await p.save(join(dir, 'unfitted'), { session: spark });
    const p2 = await ml.Pipeline.load(spark, join(dir, 'unfitted'));
    assert.deepEqual(p2.getStages().map((s) => [s.constructor.name, s.uid]), p.getStages().map((s) => [s.constructor.name, s.uid]));
    assertClose(await predictions(await p2.fit(cars)), await predictions(await p.fit(cars)), 'refitted after load');
  });

  it('an existing path is refused unless overwrite; bad paths and a wrong expected class say what is wrong', async () => {
    const path = join(dir, 'twice');
    const model = await new ml.KMeans({ k: 2, seed: 1 }).fit(new ml.VectorAssembler({ inputCols: ['Horsepower'], outputCol: 'features' }).transform(cars));
    await model.save(path);
    const exists = await model.save(path).then(() => 'saved', (e: Error) => e.message.split('\n')[0]!);
    assert.match(exists, /^SparkModel\.save\(\): .*twice already exists\. Pass \{ overwrite: true \} to replace it\.$/);
    await model.save(path, { overwrite: true });
    const back = await ml.load(spark, path);
    assert.match(String(back), /^KMeansModel: uid=KMeans_/);
    await assert.rejects(model.save(''), /needs a path \(a non-empty string\), got ""/);
    await assert.rejects(model.save(path, { overwrite: 'yes' } as never), /overwrite/);
    await assert.rejects(ml.PipelineModel.load(spark, path), /^SparkUsageError: PipelineModel\.load\(\): .*twice holds a KMeansModel, not a PipelineModel/);
    const missing = await ml.load(spark, join(dir, 'nothing-here')).then(() => 'loaded', (e: Error) => e.message.split('\n')[0]!);
    assert.match(missing, /^ml\.load\(\): nothing was saved at .*nothing-here \(Spark finds no .*nothing-here\/metadata\)/);
    console.log(`saving over an existing path: ${exists}\nloading a missing path: ${missing}`);
    await model.release();
  });
});
