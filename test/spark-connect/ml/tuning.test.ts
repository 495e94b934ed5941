/**
 * CrossValidator and TrainValidationSplit with a ParamGridBuilder grid, against PySpark's
 * own on the same server, data (vega-datasets' cars), grid and seed: the same metric for
 * every grid point, the same best point and the same refitted best model.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ml, type DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';
import { CARS, readCars, assertClose, runPySpark } from '../pyspark-client.js';

const PYTHON = `
import json, sys
from pyspark.sql import SparkSession
from pyspark.ml import Pipeline
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import LinearRegression
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.tuning import CrossValidator, TrainValidationSplit, ParamGridBuilder
spark = SparkSession.builder.remote(sys.argv[1]).getOrCreate()
cars = spark.read.json(sys.argv[2], multiLine=True).na.drop()
assembler = VectorAssembler(inputCols=['Weight_in_lbs', 'Horsepower', 'Acceleration'], outputCol='features')
lr = LinearRegression(labelCol='Miles_per_Gallon')
grid = ParamGridBuilder().addGrid(lr.regParam, [0.01, 0.5, 2.0]).addGrid(lr.elasticNetParam, [0.0, 1.0]).build()
evaluator = RegressionEvaluator(labelCol='Miles_per_Gallon')
cv = CrossValidator(estimator=Pipeline(stages=[assembler, lr]), estimatorParamMaps=grid, evaluator=evaluator, numFolds=3, seed=42).fit(cars)
tvs = TrainValidationSplit(estimator=lr, estimatorParamMaps=grid, evaluator=evaluator, trainRatio=0.8, seed=7).fit(assembler.transform(cars))
print(json.dumps({
    'cvAvg': list(cv.avgMetrics), 'cvStd': list(cv.stdMetrics),
    'cvBest': cv.bestModel.stages[1].coefficients.toArray().tolist(),
    'tvs': list(tvs.validationMetrics), 'tvsBest': tvs.bestModel.coefficients.toArray().tolist(),
}))
spark.stop()
`;

let spark: SparkSession;
let cars: DataFrame;
before(async () => {
  spark = await connect();
  cars = readCars(spark);
});
after(async () => {
  await spark?.stop();
});

describe('model selection over a param grid', () => {
  it('CrossValidator over a pipeline and TrainValidationSplit give PySpark\'s metrics and best models', { timeout: 600_000 }, async () => {
    const py = JSON.parse(runPySpark(PYTHON, [CARS])) as { cvAvg: number[]; cvStd: number[]; cvBest: number[]; tvs: number[]; tvsBest: number[] };

    const assembler = new ml.VectorAssembler({ inputCols: ['Weight_in_lbs', 'Horsepower', 'Acceleration'], outputCol: 'features' });
    const lr = new ml.LinearRegression({ labelCol: 'Miles_per_Gallon' });
    const grid = new ml.ParamGridBuilder().addGrid(lr, 'regParam', [0.01, 0.5, 2]).addGrid(lr, 'elasticNetParam', [0, 1]).build();
    assert.equal(grid.length, 6);
    const evaluator = new ml.RegressionEvaluator({ labelCol: 'Miles_per_Gallon' });

    const cv = await new ml.CrossValidator({ estimator: new ml.Pipeline({ stages: [assembler, lr] }), estimatorParamMaps: grid, evaluator, numFolds: 3, seed: 42, parallelism: 2 }).fit(cars);
    assertClose([...cv.avgMetrics], py.cvAvg, 'cross-validation: mean rmse per grid point');
    assertClose([...cv.stdMetrics], py.cvStd, 'cross-validation: std per grid point');
    assert.equal(cv.bestIndex, py.cvAvg.indexOf(Math.min(...py.cvAvg)));
    const best = (cv.bestModel as ml.PipelineModel).stages[1] as ml.LinearRegressionModel;
    assertClose(best.coefficients.toArray(), py.cvBest, 'cross-validation: best model');
    assert.equal((await cv.transform(cars).select('prediction').collect()).length, await cars.count());
    assert.equal(lr.isSet('regParam'), false, 'the grid fits copies; the estimator itself is unchanged');
    // Spark has no class for a tuning result: refused by name before anything is written.
    await assert.rejects(cv.save('/tmp/never-written', { session: spark }), /^SparkUsageError: CrossValidatorModel\.save\(\): CrossValidatorModel CrossValidatorModel_\w+ has no Spark ML class, so Spark cannot save it\. Save the Spark stages it holds instead \(a tuning result's bestModel/);
    await assert.rejects(new ml.PipelineModel([cv]).save('/tmp/never-written', { session: spark }), /PipelineModel\.save\(\): CrossValidatorModel \S+ has no Spark ML class/);

    const tvs = await new ml.TrainValidationSplit({ estimator: lr, estimatorParamMaps: grid, evaluator, trainRatio: 0.8, seed: 7 }).fit(assembler.transform(cars));
    assertClose([...tvs.validationMetrics], py.tvs, 'train/validation split: rmse per grid point');
    assertClose((tvs.bestModel as ml.LinearRegressionModel).coefficients.toArray(), py.tvsBest, 'train/validation split: best model');
    await Promise.all([cv.release(), tvs.release()]);
  });

  it('refuses a grid it cannot run, with the reason', () => {
    const lr = new ml.LinearRegression();
    const evaluator = new ml.RegressionEvaluator();
    assert.throws(() => new ml.ParamGridBuilder().addGrid(lr, 'regParm', [0.1]), /LinearRegression has no param "regParm"\. Valid params: .*regParam/);
    assert.throws(() => new ml.ParamGridBuilder().addGrid(lr, 'maxIter', [10, 'many']), /maxIter/);
    assert.throws(() => new ml.ParamGridBuilder().addGrid(lr, 'maxIter', []), /values for "maxIter" must be a non-empty array/);
    const other = new ml.LogisticRegression();
    const grid = new ml.ParamGridBuilder().addGrid(other, 'regParam', [0.1]).build();
    assert.throws(() => new ml.CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator }), /sets params of LogisticRegression_\w+, which is not the estimator or one of its pipeline's stages/);
    assert.throws(() => new ml.CrossValidator({ estimator: lr, estimatorParamMaps: [new Map()], evaluator, numFolds: 1 }), /numFolds/);
    assert.throws(() => new ml.TrainValidationSplit({ estimator: lr, estimatorParamMaps: [new Map()], evaluator, trainRatio: 1 }), /trainRatio.*between 0 and 1/);
    assert.throws(() => new ml.CrossValidator({ estimator: lr, estimatorParamMaps: [], evaluator }), /estimatorParamMaps must be a non-empty array/);
  });
});
