// Classification over Spark Connect ML against the real server: logistic regression on
// linearly separable data (alone, in a Pipeline, fed by arrayToVector) and a random
// forest on the real penguins data set, with metrics from Spark's evaluators checked
// against metrics computed here from the collected predictions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ml, col, type SparkSession, type DataFrame } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Separable: label 1 exactly when x1 + x2 > 1, with a margin of 0.2 around the boundary.
const rand = lcg(11);
const SEPARABLE: { x1: number; x2: number; label: number }[] = [];
while (SEPARABLE.length < 120) {
  const x1 = rand() * 2;
  const x2 = rand() * 2;
  if (Math.abs(x1 + x2 - 1) < 0.2) continue;
  SEPARABLE.push({ x1, x2, label: x1 + x2 > 1 ? 1 : 0 });
}

let spark: SparkSession;
let separable: DataFrame;

before(async () => {
  spark = await connect();
  separable = spark.createDataFrame(SEPARABLE);
});

after(async () => {
  await spark?.stop();
});

describe('LogisticRegression on separable data', () => {
  let model: ml.LogisticRegressionModel;
  let predictions: DataFrame;

  before(async () => {
    const features = new ml.VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'features' }).transform(separable);
    model = await new ml.LogisticRegression({ maxIter: 100 }).fit(features);
    predictions = model.transform(features);
  });
  after(() => model?.release());

  it('reaches accuracy 1.0 with MulticlassClassificationEvaluator and areaUnderROC 1.0', async () => {
    assert.equal(await new ml.MulticlassClassificationEvaluator({ metricName: 'accuracy' }).evaluate(predictions), 1);
    assert.equal(await new ml.BinaryClassificationEvaluator().evaluate(predictions), 1);
    assert.equal(await new ml.BinaryClassificationEvaluator({ metricName: 'areaUnderPR' }).evaluate(predictions), 1);
  });

  it('predictions collected here all equal the labels', async () => {
    const rows = await predictions.select('label', 'prediction', ml.vectorToArray('probability').alias('p')).collect();
    assert.equal(rows.length, SEPARABLE.length);
    for (const r of rows) {
      assert.equal(r.prediction, r.label);
      const p = r.p as number[];
      assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-9);
      assert.equal(p[1]! > 0.5 ? 1 : 0, r.label);
    }
  });

  it('exposes a binomial model: coefficients point along (1, 1), summary metrics', () => {
    assert.equal(model.numClasses, 2);
    assert.equal(model.numFeatures, 2);
    assert.equal(model.isMultinomial, false);
    const [w1, w2] = model.coefficients.toArray() as [number, number];
    assert.ok(w1 > 0 && w2 > 0, `${w1}, ${w2}`);
    assert.ok(Math.abs(w1 / w2 - 1) < 0.25, `w1/w2 = ${w1 / w2}`);
    // The decision boundary w·x + b = 0 passes near x1 + x2 = 1.
    assert.ok(Math.abs(-model.intercept / w1 - 1) < 0.2, `boundary at ${-model.intercept / w1}`);
    assert.equal(model.coefficientMatrix.numRows, 1);
    assert.equal(model.coefficientMatrix.get(0, 1), w2);
    assert.deepEqual(model.interceptVector.toArray(), [model.intercept]);
    assert.equal(model.summary.accuracy, 1);
    assert.equal(model.summary.areaUnderROC, 1);
    assert.deepEqual(model.summary.labels, [0, 1]);
    assert.ok((model.summary.totalIterations ?? 0) > 0);
    assert.equal(model.toString(), `LogisticRegressionModel: uid=${model.uid}, numClasses=2, numFeatures=2`);
  });

  it('summary.roc is a DataFrame of the ROC curve', async () => {
    const roc = await model.summary.roc.collect();
    assert.deepEqual(Object.keys(roc[0]!), ['FPR', 'TPR']);
    assert.deepEqual(roc[0], { FPR: 0, TPR: 0 });
    assert.deepEqual(roc.at(-1), { FPR: 1, TPR: 1 });
  });

  it('model params set on the estimator reach transform (custom prediction column)', async () => {
    const features = new ml.VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'f' }).transform(separable);
    const m = await new ml.LogisticRegression({ featuresCol: 'f', predictionCol: 'yhat', probabilityCol: 'prob', rawPredictionCol: 'raw' }).fit(features, { summary: false });
    try {
      const schema = await m.transform(features).schema();
      assert.deepEqual(schema.arrow.fields.map((f) => f.name), ['x1', 'x2', 'label', 'f', 'raw', 'prob', 'yhat']);
      assert.equal(m.getOrDefault('predictionCol'), 'yhat');
    } finally {
      await m.release();
    }
  });
});

describe('Pipeline(VectorAssembler → LogisticRegression)', () => {
  it('fits both stages and transforms new data', async () => {
    const assembler = new ml.VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'features' });
    const pipeline = new ml.Pipeline({ stages: [assembler, new ml.LogisticRegression()] });
    const model = await pipeline.fit(separable);
    try {
      assert.equal(model.stages.length, 2);
      assert.equal(model.stages[0], assembler);
      assert.ok(model.stages[1] instanceof ml.LogisticRegressionModel);
      const fresh = spark.createDataFrame([
        { x1: 0.1, x2: 0.2, label: 0 },
        { x1: 1.5, x2: 1.2, label: 1 },
        { x1: 0.9, x2: 0.5, label: 1 },
      ]);
      const rows = await model.transform(fresh).select('label', 'prediction').collect();
      assert.deepEqual(rows, [
        { label: 0, prediction: 0 },
        { label: 1, prediction: 1 },
        { label: 1, prediction: 1 },
      ]);
    } finally {
      await model.release();
    }
  });
});

describe('arrayToVector', () => {
  it('turns an array<double> column into the features of a LogisticRegression', async () => {
    const df = spark.createDataFrame(SEPARABLE.map((r) => ({ xs: [r.x1, r.x2], label: r.label })), 'xs array<double>, label double');
    const features = df.select(ml.arrayToVector('xs').alias('features'), col('label'));
    const model = await new ml.LogisticRegression().fit(features, { summary: false });
    try {
      assert.equal(model.numFeatures, 2);
      const acc = await new ml.MulticlassClassificationEvaluator({ metricName: 'accuracy' }).evaluate(model.transform(features));
      assert.equal(acc, 1);
      // …and vectorToArray gives the same numbers back; toVector reads a collected vector cell.
      const back = await features.select(ml.vectorToArray('features').alias('a'), col('features')).limit(1).collect();
      assert.deepEqual(back[0]!.a, [SEPARABLE[0]!.x1, SEPARABLE[0]!.x2]);
      assert.deepEqual(ml.toVector(back[0]!.features).toArray(), [SEPARABLE[0]!.x1, SEPARABLE[0]!.x2]);
    } finally {
      await model.release();
    }
  });
});

// --- penguins (vega-datasets): species from bill and flipper measurements -------------

interface Penguin {
  Species: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
}
const PENGUINS_JSON = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/penguins.json', import.meta.url));
const RAW = JSON.parse(readFileSync(PENGUINS_JSON, 'utf8')) as Penguin[];
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];
const PENGUINS = RAW.filter((p) => p['Beak Length (mm)'] !== null && p['Beak Depth (mm)'] !== null && p['Flipper Length (mm)'] !== null).map((p, i) => ({
  id: i,
  bill_length: p['Beak Length (mm)']!,
  bill_depth: p['Beak Depth (mm)']!,
  flipper_length: p['Flipper Length (mm)']!,
  label: SPECIES.indexOf(p.Species),
}));

describe('RandomForestClassifier on penguins', () => {
  it('classifies held-out penguins; evaluator accuracy equals the accuracy computed here', async () => {
    assert.equal(PENGUINS.length, 342);
    const train = spark.createDataFrame(PENGUINS.filter((p) => p.id % 4 !== 0));
    const test = spark.createDataFrame(PENGUINS.filter((p) => p.id % 4 === 0));
    const pipeline = new ml.Pipeline({
      stages: [
        new ml.VectorAssembler({ inputCols: ['bill_length', 'bill_depth', 'flipper_length'], outputCol: 'features' }),
        new ml.RandomForestClassifier({ numTrees: 20, maxDepth: 5, seed: 42 }),
      ],
    });
    const model = await pipeline.fit(train);
    try {
      const rf = model.stages[1] as ml.RandomForestClassificationModel;
      assert.equal(rf.numClasses, 3);
      assert.equal(rf.numTrees, 20);
      assert.deepEqual(rf.treeWeights, new Array(20).fill(1));
      const imp = rf.featureImportances.toArray();
      assert.equal(imp.length, 3);
      assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-9);
      assert.ok(rf.summary.accuracy > 0.95, `training accuracy ${rf.summary.accuracy}`);
      assert.match(await rf.toDebugString(), /^RandomForestClassificationModel: uid=RandomForestClassifier_[0-9a-f]{12}, numTrees=20, numClasses=3, numFeatures=3\n  Tree 0 \(weight 1\.0\):\n/);

      const predictions = model.transform(test);
      const evaluated = await new ml.MulticlassClassificationEvaluator({ metricName: 'accuracy' }).evaluate(predictions);
      const rows = await predictions.select('label', 'prediction').collect();
      assert.equal(rows.length, 86);
      const correct = rows.filter((r) => r.label === r.prediction).length;
      assert.equal(evaluated, correct / rows.length);
      assert.ok(evaluated >= 0.93, `held-out accuracy ${evaluated}`);
      const f1 = await new ml.MulticlassClassificationEvaluator().evaluate(predictions);
      assert.ok(f1 > 0.9 && f1 <= 1, `f1 ${f1}`);
    } finally {
      await model.release();
    }
  });
});
