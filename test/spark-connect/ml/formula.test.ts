/**
 * Predictors fitted with an R formula (`{ formula: 'mpg ~ .' }`, as sparklyr's
 * `ml_linear_regression(mpg ~ .)`), against PySpark's own RFormula → estimator pipeline
 * with the same formula on the same server and data (vega-datasets' cars): same
 * coefficients and predictions; the model applies its formula again on transform, saves
 * as a two-stage PipelineModel, and a formula where none belongs is refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ml, type DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';
import { CARS, readCars, assertClose, runPySpark } from '../pyspark-client.js';

const NUMERIC = ['Miles_per_Gallon', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Origin'];
const LINEAR = 'Miles_per_Gallon ~ .';
const TREE = 'Miles_per_Gallon ~ Horsepower + Weight_in_lbs + Origin';

const PYTHON = `
import json, sys
from pyspark.sql import SparkSession
from pyspark.ml import Pipeline
from pyspark.ml.feature import RFormula
from pyspark.ml.regression import LinearRegression, DecisionTreeRegressor
spark = SparkSession.builder.remote(sys.argv[1]).getOrCreate()
cars = spark.read.json(sys.argv[2], multiLine=True).na.drop().select(*json.loads(sys.argv[3]))
def run(formula, estimator):
    model = Pipeline(stages=[RFormula(formula=formula), estimator]).fit(cars)
    rows = model.transform(cars).orderBy('Weight_in_lbs', 'Horsepower', 'Acceleration').select('prediction').collect()
    return model.stages[1], [r[0] for r in rows]
lr, lr_pred = run(sys.argv[4], LinearRegression(regParam=0.01))
tree, tree_pred = run(sys.argv[5], DecisionTreeRegressor(maxDepth=3, seed=1))
print(json.dumps({'coefficients': lr.coefficients.toArray().tolist(), 'intercept': lr.intercept, 'lr': lr_pred, 'tree': tree_pred}))
spark.stop()
`;

let spark: SparkSession;
let cars: DataFrame;
let dir: string;

before(async () => {
  spark = await connect();
  cars = readCars(spark).select(...NUMERIC);
  dir = mkdtempSync(join(tmpdir(), 'tsapply-ml-formula-'));
});
after(async () => {
  await spark?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function predictions(model: ml.Transformer, data: DataFrame = cars): Promise<number[]> {
  const rows = await model.transform(data).orderBy('Weight_in_lbs', 'Horsepower', 'Acceleration').select('prediction').collect();
  return rows.map((r) => r.prediction as number);
}


describe('predictors with an R formula', () => {
  it('fit as PySpark\'s RFormula pipeline does: same coefficients and predictions; transform applies the formula, also to data without the label', { timeout: 300_000 }, async () => {
    const py = JSON.parse(
      runPySpark(PYTHON, [CARS, JSON.stringify(NUMERIC), LINEAR, TREE]),
    ) as { coefficients: number[]; intercept: number; lr: number[]; tree: number[] };

    const lr = await new ml.LinearRegression({ formula: LINEAR, regParam: 0.01 }).fit(cars);
    assertClose(lr.coefficients.toArray(), py.coefficients, 'coefficients');
    assertClose([lr.intercept], [py.intercept], 'intercept');
    assertClose(await predictions(lr), py.lr, 'linear predictions');
    // 4 numeric features + Origin one-hot encoded (3 values, one dropped).
    assert.equal(lr.coefficients.size, 5);
    // Each coefficient under the name RFormula gave its slot, printed as sparklyr prints a formula model.
    const names = lr.fittedFormula!.featureNames;
    assert.deepEqual(names.slice(0, 3), ['Horsepower', 'Weight_in_lbs', 'Acceleration']);
    assert.equal(names.filter((n) => /^Origin_(USA|Europe|Japan)$/.test(n)).length, 2);
    const printed = lr.describe();
    assert.match(printed, /\nFormula: Miles_per_Gallon ~ \.\nCoefficients:\n {2}\(Intercept\) {4}\S+\n {2}Horsepower {5}\S+\n/);
    names.forEach((n, i) => assert.ok(printed.includes(`  ${n.padEnd(13)}  ${lr.coefficients.toArray()[i]}`), `${n} printed with its coefficient`));
    assertClose(await predictions(lr, cars.drop('Miles_per_Gallon')), py.lr, 'predictions without the label column');

    const tree = await new ml.DecisionTreeRegressor({ formula: TREE, maxDepth: 3, seed: 1 }).fit(cars);
    assertClose(await predictions(tree), py.tree, 'tree predictions');

    const path = join(dir, 'lr-formula');
    await lr.save(path);
    const back = await ml.load(spark, path, ml.PipelineModel);
    assert.deepEqual(back.stages.map((s) => s.constructor.name), ['SparkModel', 'LinearRegressionModel']);
    assertClose(await predictions(back), py.lr, 'saved and loaded');
    await Promise.all([lr.release(), tree.release(), back.release()]);
  });

  it('a formula that is not one, or where none belongs, is refused when the stage is built', () => {
    assert.throws(() => new ml.LinearRegression({ formula: 'Miles_per_Gallon' }), /Invalid value for option "formula" in new LinearRegression\(\): expected an R formula such as 'mpg ~ \.' or 'y ~ x1 \+ x2', got "Miles_per_Gallon"/);
    assert.throws(() => new ml.LogisticRegression({ formula: 42 as never }), /option "formula".*got 42/);
    assert.throws(() => new ml.KMeans({ formula: '~ x' } as never), /formula/);
    // RFormula's own formula param is its param, not this option.
    assert.equal(new ml.RFormula({ formula: 'y ~ x' }).getOrDefault('formula'), 'y ~ x');
  });
});
