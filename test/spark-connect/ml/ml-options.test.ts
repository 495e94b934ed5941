// Every bad option or param of an ML estimator — its constructor, setParams(), set(),
// fit() — and of Pipeline is one InvalidOptionError naming the param, the value and what
// would be valid, raised before any request (a table, as piscina's tests do). fit() is
// async: it rejects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidOptionError, ml, type DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';

const LR_PARAMS =
  'featuresCol, labelCol, predictionCol, maxIter, regParam, elasticNetParam, tol, fitIntercept, standardization, solver, weightCol, aggregationDepth, loss, epsilon, maxBlockSizeInMB';

/** [what, build, option named in the error, message] */
const CASES: [string, () => unknown, string, string][] = [
  ['null options', () => new ml.LinearRegression(null as never), 'options', 'Invalid options in new LinearRegression(): expected an object, got null.'],
  ['an array', () => new ml.LinearRegression([] as never), 'options', 'Invalid options in new LinearRegression(): expected an object, got an array.'],
  ['an unknown param', () => new ml.LinearRegression({ maxIters: 5 } as never), 'maxIters', `Invalid option in new LinearRegression(): "maxIters". Did you mean "maxIter"? Valid options: ${LR_PARAMS}.`],
  ['maxIter 2.5', () => new ml.LinearRegression({ maxIter: 2.5 }), 'maxIter', 'Invalid value for param "maxIter" in new LinearRegression(): expected an integer (int32), got number 2.5.'],
  ["regParam '0.1'", () => new ml.LinearRegression({ regParam: '0.1' as never }), 'regParam', 'Invalid value for param "regParam" in new LinearRegression(): expected a number, got "0.1".'],
  ['regParam -1', () => new ml.LinearRegression({ regParam: -1 }), 'regParam', 'Invalid value for param "regParam" in new LinearRegression(): must be >= 0, got -1.'],
  ['elasticNetParam 2', () => new ml.LinearRegression({ elasticNetParam: 2 }), 'elasticNetParam', 'Invalid value for param "elasticNetParam" in new LinearRegression(): must be in [0, 1], got 2.'],
  ["solver 'sgd'", () => new ml.LinearRegression({ solver: 'sgd' as never }), 'solver', 'Invalid value for param "solver" in new LinearRegression(): expected one of "auto", "normal", "l-bfgs", got "sgd".'],
  ["fitIntercept 'yes'", () => new ml.LinearRegression({ fitIntercept: 'yes' as never }), 'fitIntercept', 'Invalid value for param "fitIntercept" in new LinearRegression(): expected a boolean, got "yes".'],
  ['setParams() with an unknown param', () => new ml.LinearRegression().setParams({ tole: 1 }), 'tole', `Invalid option in LinearRegression.setParams(): "tole". Did you mean "tol"? Valid options: ${LR_PARAMS}.`],
  ['set() of an unknown param', () => new ml.LinearRegression().set('nope', 1), 'nope', `LinearRegression has no param "nope". Valid params: ${LR_PARAMS}.`],
  ['set() of a bad value', () => new ml.LinearRegression().set('maxIter', -2.5), 'maxIter', 'Invalid value for param "maxIter" in LinearRegression.set(): expected an integer (int32), got number -2.5.'],
  ['Pipeline with an unknown key', () => new ml.Pipeline({ stage: [] } as never), 'stage', 'Invalid option in new Pipeline(): "stage". Did you mean "stages"? Valid options: stages.'],
  ['Pipeline stages a string', () => new ml.Pipeline({ stages: 'lr' as never }), 'stages', 'new Pipeline(): stages must be an array of estimators and transformers, got string.'],
];

let spark: SparkSession;
let df: DataFrame;

before(async () => {
  spark = await connect();
  df = new ml.VectorAssembler({ inputCols: ['x'], outputCol: 'features' }).transform(spark.createDataFrame([{ x: 1, label: 2 }]));
});

after(async () => {
  await spark?.stop();
});

describe('ML estimator options', () => {
  for (const [what, build, option, message] of CASES) {
    it(`refuses ${what}`, () => {
      assert.throws(build, (e: unknown) => {
        assert.ok(e instanceof InvalidOptionError, `expected an InvalidOptionError, got ${String(e)}`);
        assert.equal(e.message, message);
        assert.equal(e.option, option);
        assert.equal(e.code, 'INVALID_OPTION');
        return true;
      });
    });
  }

  const FIT_CASES: [string, unknown, string, string][] = [
    ['null', null, 'options', 'Invalid options in fit(): expected an object, got null.'],
    ['an unknown key', { sumary: false }, 'sumary', 'Invalid option in fit(): "sumary". Did you mean "summary"? Valid options: summary.'],
    ["summary 'no'", { summary: 'no' }, 'summary', 'options.summary must be a boolean (true or false), got the string "no".'],
  ];
  for (const [what, options, option, message] of FIT_CASES) {
    it(`fit() rejects ${what} before any request`, async () => {
      const p = new ml.LinearRegression().fit(df, options as never);
      assert.ok(p instanceof Promise);
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof InvalidOptionError, `expected an InvalidOptionError, got ${String(e)}`);
        assert.equal(e.message, message);
        assert.equal(e.option, option);
        return true;
      });
    });
  }
});
