/**
 * CrossValidator and TrainValidationSplit with a ParamGridBuilder grid, against PySpark's
 * own on the same server, data (vega-datasets' cars), grid and seed: the same metric for
 * every grid point, the same best point and the same refitted best model.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ml, type DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';
import { CARS, readCars, assertClose, runPySpark, PYSPARK_PERSISTS_ML } from '../pyspark-client.js';

const PYTHON = `
import json, sys
from pyspark.sql import SparkSession
from pyspark.ml import Pipeline
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import LinearRegression
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.tuning import CrossValidator, TrainValidationSplit, ParamGridBuilder, CrossValidatorModel, TrainValidationSplitModel
spark = SparkSession.builder.remote(sys.argv[1]).getOrCreate()
ours_cv, ours_tvs, theirs_cv, theirs_tvs = sys.argv[3:7]
cars = spark.read.json(sys.argv[2], multiLine=True).na.drop()
assembler = VectorAssembler(inputCols=['Weight_in_lbs', 'Horsepower', 'Acceleration'], outputCol='features')
lr = LinearRegression(labelCol='Miles_per_Gallon')
grid = ParamGridBuilder().addGrid(lr.regParam, [0.01, 0.5, 2.0]).addGrid(lr.elasticNetParam, [0.0, 1.0]).build()
evaluator = RegressionEvaluator(labelCol='Miles_per_Gallon')
cv = CrossValidator(estimator=Pipeline(stages=[assembler, lr]), estimatorParamMaps=grid, evaluator=evaluator, numFolds=3, seed=42).fit(cars)
tvs = TrainValidationSplit(estimator=lr, estimatorParamMaps=grid, evaluator=evaluator, trainRatio=0.8, seed=7).fit(assembler.transform(cars))
cv.save(theirs_cv)
tvs.save(theirs_tvs)
# What tsapply saved, read by PySpark's own readers.
loaded_cv = CrossValidatorModel.load(ours_cv)
loaded_tvs = TrainValidationSplitModel.load(ours_tvs)
print(json.dumps({
    'cvAvg': list(cv.avgMetrics), 'cvStd': list(cv.stdMetrics),
    'cvBest': cv.bestModel.stages[1].coefficients.toArray().tolist(),
    'tvs': list(tvs.validationMetrics), 'tvsBest': tvs.bestModel.coefficients.toArray().tolist(),
    'oursCvAvg': list(loaded_cv.avgMetrics), 'oursCvBest': loaded_cv.bestModel.stages[1].coefficients.toArray().tolist(),
    'oursCvGrid': [sorted((p.name, v) for p, v in m.items()) for m in loaded_cv.getEstimatorParamMaps()],
    'oursCvFolds': loaded_cv.getNumFolds(),
    'oursTvs': list(loaded_tvs.validationMetrics), 'oursTvsBest': loaded_tvs.bestModel.coefficients.toArray().tolist(),
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
  it('CrossValidator over a pipeline and TrainValidationSplit give PySpark\'s metrics and best models; each side loads what the other saved', { timeout: 600_000, skip: PYSPARK_PERSISTS_ML ? false : "the server's PySpark (4.0) cannot load ML models over Spark Connect to compare with" }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-tuning-'));
    const assembler = new ml.VectorAssembler({ inputCols: ['Weight_in_lbs', 'Horsepower', 'Acceleration'], outputCol: 'features' });
    const lr = new ml.LinearRegression({ labelCol: 'Miles_per_Gallon' });
    const grid = new ml.ParamGridBuilder().addGrid(lr, 'regParam', [0.01, 0.5, 2]).addGrid(lr, 'elasticNetParam', [0, 1]).build();
    assert.equal(grid.length, 6);
    const evaluator = new ml.RegressionEvaluator({ labelCol: 'Miles_per_Gallon' });

    const cv = await new ml.CrossValidator({ estimator: new ml.Pipeline({ stages: [assembler, lr] }), estimatorParamMaps: grid, evaluator, numFolds: 3, seed: 42, parallelism: 2 }).fit(cars);
    const tvs = await new ml.TrainValidationSplit({ estimator: lr, estimatorParamMaps: grid, evaluator, trainRatio: 0.8, seed: 7 }).fit(assembler.transform(cars));
    const loaded: { release(): Promise<void> }[] = [];
    try {
      await cv.save(join(dir, 'ours-cv'));
      await tvs.save(join(dir, 'ours-tvs'));
      const py = JSON.parse(runPySpark(PYTHON, [CARS, ...['ours-cv', 'ours-tvs', 'theirs-cv', 'theirs-tvs'].map((d) => join(dir, d))])) as Record<string, number[]> & { oursCvGrid: [string, number][][]; oursCvFolds: number };

      assertClose([...cv.avgMetrics], py.cvAvg, 'cross-validation: mean rmse per grid point');
      assertClose([...cv.stdMetrics], py.cvStd, 'cross-validation: std per grid point');
      assert.equal(cv.bestIndex, py.cvAvg!.indexOf(Math.min(...py.cvAvg!)));
      const best = (cv.bestModel as ml.PipelineModel).stages[1] as ml.LinearRegressionModel;
      assertClose(best.coefficients.toArray(), py.cvBest, 'cross-validation: best model');
      assert.equal((await cv.transform(cars).select('prediction').collect()).length, await cars.count());
      assert.equal(lr.isSet('regParam'), false, 'the grid fits copies; the estimator itself is unchanged');
      assertClose([...tvs.validationMetrics], py.tvs, 'train/validation split: rmse per grid point');
      assertClose((tvs.bestModel as ml.LinearRegressionModel).coefficients.toArray(), py.tvsBest, 'train/validation split: best model');

      // PySpark's readers load what tsapply saved: metrics, grid, folds and best model.
      assertClose(py.oursCvAvg, [...cv.avgMetrics], 'PySpark loads our cross-validation: metrics');
      assertClose(py.oursCvBest, best.coefficients.toArray(), 'PySpark loads our cross-validation: best model');
      assert.deepEqual(py.oursCvGrid, grid.map((m) => Object.entries(m.get(lr)!).sort()));
      assert.equal(py.oursCvFolds, 3);
      assertClose(py.oursTvs, [...tvs.validationMetrics], 'PySpark loads our train/validation split');
      assertClose(py.oursTvsBest, (tvs.bestModel as ml.LinearRegressionModel).coefficients.toArray(), 'PySpark loads our train/validation split: best model');

      // And ml.load reads what PySpark saved.
      const theirsCv = await ml.CrossValidatorModel.load(spark, join(dir, 'theirs-cv'));
      const theirsTvs = await ml.load(spark, join(dir, 'theirs-tvs'));
      loaded.push(theirsCv, theirsTvs as ml.TrainValidationSplitModel);
      assert.ok(theirsTvs instanceof ml.TrainValidationSplitModel);
      assertClose([...theirsCv.avgMetrics], py.cvAvg, 'tsapply loads PySpark\'s cross-validation: metrics');
      assert.equal(theirsCv.bestIndex, cv.bestIndex);
      assert.equal(theirsCv.spec?.numFolds, 3);
      assert.equal(theirsCv.spec?.estimatorParamMaps.length, 6);
      assertClose((((theirsCv.bestModel as ml.PipelineModel).stages[1]) as ml.LinearRegressionModel).coefficients.toArray(), py.cvBest, 'tsapply loads PySpark\'s cross-validation: best model');
      assertClose([...theirsTvs.validationMetrics], py.tvs, 'tsapply loads PySpark\'s train/validation split');
      // A loaded result saves again.
      await theirsCv.save(join(dir, 'again'));
      assertClose([...(await ml.CrossValidatorModel.load(spark, join(dir, 'again'))).avgMetrics], py.cvAvg, 'saved again');
    } finally {
      await Promise.all([cv.release(), tvs.release(), ...loaded.map((m) => m.release())]);
      rmSync(dir, { recursive: true, force: true });
    }
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
