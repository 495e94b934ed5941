// LinearRegression over Spark Connect ML against the real server: data generated from
// y = 3·x1 − 2·x2 + 5 + small noise; the fitted model must recover the coefficients, and
// its summary, the evaluator and the predictions must agree with values computed here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ml, type SparkSession, type DataFrame } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';

/** Deterministic uniform numbers in [0, 1) (a 32-bit LCG), so the data never changes. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const rand = lcg(7);
const ROWS = Array.from({ length: 200 }, () => {
  const x1 = rand() * 10;
  const x2 = rand() * 10;
  const noise = (rand() - 0.5) * 0.1; // uniform in [-0.05, 0.05)
  return { x1, x2, y: 3 * x1 - 2 * x2 + 5 + noise };
});

let spark: SparkSession;
let data: DataFrame;
let model: ml.LinearRegressionModel;

before(async () => {
  spark = await connect();
  data = new ml.VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'features' }).transform(spark.createDataFrame(ROWS));
  model = await new ml.LinearRegression({ labelCol: 'y', maxIter: 50 }).fit(data);
});

after(async () => {
  await model?.release();
  await spark?.stop();
});

describe('LinearRegression', () => {
  it('recovers the coefficients and intercept the data was generated with', () => {
    assert.ok(model.coefficients instanceof ml.DenseVector);
    assert.equal(model.coefficients.size, 2);
    assert.ok(Math.abs(model.coefficients.get(0) - 3) < 0.01, `x1 weight ${model.coefficients.get(0)}`);
    assert.ok(Math.abs(model.coefficients.get(1) + 2) < 0.01, `x2 weight ${model.coefficients.get(1)}`);
    assert.ok(Math.abs(model.intercept - 5) < 0.05, `intercept ${model.intercept}`);
    assert.equal(model.numFeatures, 2);
  });

  it('reports a training summary with r2 close to 1 and rmse near the noise level', () => {
    const s = model.summary;
    assert.ok(s.r2 > 0.9999 && s.r2 <= 1, `r2 ${s.r2}`);
    assert.ok(s.r2adj <= s.r2 && s.r2adj > 0.9999, `r2adj ${s.r2adj}`);
    // Uniform noise of width 0.1 has standard deviation 0.1/√12 ≈ 0.0289.
    assert.ok(s.rootMeanSquaredError > 0.02 && s.rootMeanSquaredError < 0.04, `rmse ${s.rootMeanSquaredError}`);
    assert.ok(Math.abs(s.meanSquaredError - s.rootMeanSquaredError ** 2) < 1e-12);
    assert.equal(s.numInstances, 200n);
    assert.equal(s.degreesOfFreedom, 197n);
  });

  it('predicts coefficients·x + intercept for every row (checked here)', async () => {
    const rows = await model.transform(data).select('x1', 'x2', 'y', 'prediction').collect();
    assert.equal(rows.length, 200);
    let sse = 0;
    for (const r of rows) {
      const expected = model.coefficients.get(0) * (r.x1 as number) + model.coefficients.get(1) * (r.x2 as number) + model.intercept;
      assert.ok(Math.abs((r.prediction as number) - expected) < 1e-9);
      sse += ((r.y as number) - (r.prediction as number)) ** 2;
    }
    // The summary's rmse equals the one computed from the collected predictions.
    assert.ok(Math.abs(Math.sqrt(sse / rows.length) - model.summary.rootMeanSquaredError) < 1e-9);
  });

  it('RegressionEvaluator gives the same rmse and r2 as the summary', async () => {
    const predictions = model.transform(data);
    const rmse = await new ml.RegressionEvaluator({ labelCol: 'y' }).evaluate(predictions);
    const r2 = await new ml.RegressionEvaluator({ labelCol: 'y', metricName: 'r2' }).evaluate(predictions);
    assert.ok(Math.abs(rmse - model.summary.rootMeanSquaredError) < 1e-9, `${rmse} vs ${model.summary.rootMeanSquaredError}`);
    assert.ok(Math.abs(r2 - model.summary.r2) < 1e-9);
    assert.equal(new ml.RegressionEvaluator().isLargerBetter(), false);
    assert.equal(new ml.RegressionEvaluator({ metricName: 'r2' }).isLargerBetter(), true);
  });

  it('prints like Spark: toString(), describe() and the summary', () => {
    assert.equal(model.toString(), `LinearRegressionModel: uid=${model.uid}, numFeatures=2`);
    assert.match(model.uid, /^LinearRegression_[0-9a-f]{12}$/);
    const c = model.coefficients;
    assert.equal(c.toString(), `[${c.get(0)},${c.get(1)}]`); // neither is integral, so no ".0" added
    const s = model.summary;
    const summaryText = [
      'LinearRegressionTrainingSummary:',
      `  r2                    ${s.r2}`,
      `  r2adj                 ${s.r2adj}`,
      `  rootMeanSquaredError  ${s.rootMeanSquaredError}`,
      `  meanSquaredError      ${s.meanSquaredError}`,
      `  meanAbsoluteError     ${s.meanAbsoluteError}`,
      `  explainedVariance     ${s.explainedVariance}`,
      '  numInstances          200',
      '  degreesOfFreedom      197',
      '  totalIterations       0',
      '  objectiveHistory      [0]',
    ].join('\n');
    assert.equal(s.toString(), summaryText);
    assert.equal(model.describe(), `${model.toString()}\n  coefficients  ${c.toString()}\n  intercept     ${model.intercept}\n${summaryText}`);
  });

  it('summary.predictions is a DataFrame of the training data with predictions', async () => {
    const n = await model.summary.predictions.count();
    assert.equal(n, 200);
    assert.deepEqual((await model.summary.predictions.schema()).arrow.fields.map((f) => f.name), ['x1', 'x2', 'y', 'features', 'prediction']);
  });

  it('fetches other summary attributes by name (normal solver: coefficient standard errors)', async () => {
    const normal = await new ml.LinearRegression({ labelCol: 'y', solver: 'normal' }).fit(data);
    try {
      const se = (await normal.summary.fetch('coefficientStandardErrors')) as number[];
      assert.equal(se.length, 3); // x1, x2, intercept
      for (const v of se) assert.ok(v > 0 && v < 0.01, String(v));
      assert.equal(normal.summary.totalIterations, 0);
    } finally {
      await normal.release();
    }
  });

  it('fit(df, { summary: false }) skips the summary; a released model refuses to transform', async () => {
    const m = await new ml.LinearRegression({ labelCol: 'y' }).fit(data, { summary: false });
    assert.equal(m.hasSummary, false);
    assert.throws(() => m.summary, { message: /no training summary loaded: it was fitted with \{ summary: false \}/ });
    assert.ok(Math.abs(m.coefficients.get(0) - 3) < 0.01);
    await m.release();
    assert.equal(m.isReleased, true);
    assert.throws(() => m.transform(data), { message: `LinearRegressionModel ${m.uid} was released; fit it again to use it.` });
  });

  it('regularization changes the fit (params reach the server)', async () => {
    const ridge = await new ml.LinearRegression({ labelCol: 'y', regParam: 10, elasticNetParam: 0 }).fit(data, { summary: false });
    try {
      assert.ok(Math.abs(ridge.coefficients.get(0)) < 2.9, `ridge shrinks x1 weight: ${ridge.coefficients.get(0)}`);
    } finally {
      await ridge.release();
    }
  });
});
