/**
 * The ML classes generated from Spark's definitions, each fitted/applied with the same
 * params on the same data (vega-datasets' cars) by tsapply and by PySpark's own Connect
 * client on the same server; the outputs must agree (to 1e-9 relative where numeric).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SparkSession, ml, type DataFrame } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';
import { CARS, readCars, assertClose, runPySpark } from '../pyspark-client.js';

/** One case: the stages, applied in order (estimators fitted), and the output column read. */
interface Case {
  name: string;
  build: () => (ml.Transformer | ml.Estimator)[];
  python: string;
  output: string;
}

const FEATURES = () => new ml.VectorAssembler({ inputCols: ['Weight_in_lbs', 'Acceleration', 'Displacement'], outputCol: 'features' });
const PY_FEATURES = "VectorAssembler(inputCols=['Weight_in_lbs', 'Acceleration', 'Displacement'], outputCol='features')";

const CASES: Case[] = [
  { name: 'StringIndexer', build: () => [new ml.StringIndexer({ inputCol: 'Origin', outputCol: 'out', stringOrderType: 'alphabetAsc' })], python: "[StringIndexer(inputCol='Origin', outputCol='out', stringOrderType='alphabetAsc')]", output: 'out' },
  { name: 'OneHotEncoder', build: () => [new ml.OneHotEncoder({ inputCols: ['Cylinders'], outputCols: ['out'] })], python: "[OneHotEncoder(inputCols=['Cylinders'], outputCols=['out'])]", output: 'out' },
  { name: 'StandardScaler', build: () => [FEATURES(), new ml.StandardScaler({ inputCol: 'features', outputCol: 'out', withMean: true })], python: `[${PY_FEATURES}, StandardScaler(inputCol='features', outputCol='out', withMean=True)]`, output: 'out' },
  { name: 'MinMaxScaler', build: () => [FEATURES(), new ml.MinMaxScaler({ inputCol: 'features', outputCol: 'out' })], python: `[${PY_FEATURES}, MinMaxScaler(inputCol='features', outputCol='out')]`, output: 'out' },
  { name: 'Tokenizer+HashingTF+IDF', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.HashingTF({ inputCol: 'words', outputCol: 'tf', numFeatures: 64 }), new ml.IDF({ inputCol: 'tf', outputCol: 'out' })], python: "[Tokenizer(inputCol='Name', outputCol='words'), HashingTF(inputCol='words', outputCol='tf', numFeatures=64), IDF(inputCol='tf', outputCol='out')]", output: 'out' },
  { name: 'Bucketizer', build: () => [new ml.Bucketizer({ inputCol: 'Weight_in_lbs', outputCol: 'out', splits: [-Infinity, 2500, 3500, Infinity] })], python: "[Bucketizer(inputCol='Weight_in_lbs', outputCol='out', splits=[float('-inf'), 2500.0, 3500.0, float('inf')])]", output: 'out' },
  { name: 'QuantileDiscretizer', build: () => [new ml.QuantileDiscretizer({ inputCol: 'Weight_in_lbs', outputCol: 'out', numBuckets: 4, relativeError: 0 })], python: "[QuantileDiscretizer(inputCol='Weight_in_lbs', outputCol='out', numBuckets=4, relativeError=0.0)]", output: 'out' },
  { name: 'PCA', build: () => [FEATURES(), new ml.PCA({ inputCol: 'features', outputCol: 'out', k: 2 })], python: `[${PY_FEATURES}, PCA(inputCol='features', outputCol='out', k=2)]`, output: 'out' },
  { name: 'KMeans', build: () => [FEATURES(), new ml.KMeans({ k: 3, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, KMeans(k=3, seed=1, predictionCol='out')]`, output: 'out' },
  { name: 'DecisionTreeRegressor', build: () => [FEATURES(), new ml.DecisionTreeRegressor({ labelCol: 'Miles_per_Gallon', maxDepth: 3, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, DecisionTreeRegressor(labelCol='Miles_per_Gallon', maxDepth=3, seed=1, predictionCol='out')]`, output: 'out' },
  { name: 'DecisionTreeClassifier', build: () => [FEATURES(), new ml.StringIndexer({ inputCol: 'Origin', outputCol: 'label', stringOrderType: 'alphabetAsc' }), new ml.DecisionTreeClassifier({ maxDepth: 4, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, StringIndexer(inputCol='Origin', outputCol='label', stringOrderType='alphabetAsc'), DecisionTreeClassifier(maxDepth=4, seed=1, predictionCol='out')]`, output: 'out' },
  // Params of the other kinds: a word list default left to Spark, a vector, int lists, nested number lists, an untyped boolean.
  { name: 'Tokenizer+StopWordsRemover', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.StopWordsRemover({ inputCol: 'words', outputCol: 'out', stopWords: ['ford', 'chevrolet'] })], python: "[Tokenizer(inputCol='Name', outputCol='words'), StopWordsRemover(inputCol='words', outputCol='out', stopWords=['ford', 'chevrolet'])]", output: 'out' },
  { name: 'StopWordsRemover (English default)', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.StopWordsRemover({ inputCol: 'words', outputCol: 'out' })], python: "[Tokenizer(inputCol='Name', outputCol='words'), StopWordsRemover(inputCol='words', outputCol='out')]", output: 'out' },
  { name: 'ElementwiseProduct', build: () => [FEATURES(), new ml.ElementwiseProduct({ inputCol: 'features', outputCol: 'out', scalingVec: [0.5, 2, -1] })], python: `[${PY_FEATURES}, ElementwiseProduct(inputCol='features', outputCol='out', scalingVec=Vectors.dense([0.5, 2.0, -1.0]))]`, output: 'out' },
  { name: 'Bucketizer splitsArray', build: () => [new ml.Bucketizer({ inputCols: ['Weight_in_lbs'], outputCols: ['out'], splitsArray: [[-Infinity, 3000, Infinity]] })], python: "[Bucketizer(inputCols=['Weight_in_lbs'], outputCols=['out'], splitsArray=[[float('-inf'), 3000.0, float('inf')]])]", output: 'out' },
  { name: 'QuantileDiscretizer numBucketsArray', build: () => [new ml.QuantileDiscretizer({ inputCols: ['Horsepower'], outputCols: ['out'], numBucketsArray: [3], relativeError: 0 })], python: "[QuantileDiscretizer(inputCols=['Horsepower'], outputCols=['out'], numBucketsArray=[3], relativeError=0.0)]", output: 'out' },
  { name: 'VectorSlicer', build: () => [FEATURES(), new ml.VectorSlicer({ inputCol: 'features', outputCol: 'out', indices: [2, 0] })], python: `[${PY_FEATURES}, VectorSlicer(inputCol='features', outputCol='out', indices=[2, 0])]`, output: 'out' },
  { name: 'RegexTokenizer gaps=false', build: () => [new ml.RegexTokenizer({ inputCol: 'Name', outputCol: 'out', pattern: '[a-z]+', gaps: false })], python: "[RegexTokenizer(inputCol='Name', outputCol='out', pattern='[a-z]+', gaps=False)]", output: 'out' },
];

const PYTHON = `
import json, sys
from pyspark.sql import SparkSession
from pyspark.ml.feature import *
from pyspark.ml.regression import *
from pyspark.ml.classification import *
from pyspark.ml.clustering import *
from pyspark.ml.linalg import Vector, Vectors
spark = SparkSession.builder.remote(sys.argv[1]).getOrCreate()
cars = spark.read.json(sys.argv[2], multiLine=True).na.drop()
out = {}
for name, stages in json.loads(sys.argv[3]):
    df = cars
    print(name, file=sys.stderr, flush=True)
    for stage in eval(stages):
        df = stage.fit(df).transform(df) if hasattr(stage, 'fit') else stage.transform(df)
    rows = df.orderBy('Name', 'Year', 'Weight_in_lbs').select('out').collect()
    out[name] = [r[0].toArray().tolist() if isinstance(r[0], Vector) else r[0] for r in rows]
print(json.dumps(out))
spark.stop()
`;

let spark: SparkSession;
let cars: DataFrame;
before(async () => {
  spark = await connect();
  cars = readCars(spark);
});
after(async () => {
  await spark.stop();
});

describe('generated ML classes against PySpark on the same server', () => {
  it('each case gives PySpark\'s output, row for row', { timeout: 600_000 }, async () => {
    const theirs = JSON.parse(runPySpark(PYTHON, [CARS, JSON.stringify(CASES.map((c) => [c.name, c.python]))])) as Record<string, unknown[]>;
    for (const c of CASES) {
      let df = cars;
      for (const stage of c.build()) df = stage instanceof ml.Estimator ? (await stage.fit(df)).transform(df) : stage.transform(df);
      const ours = (await df.orderBy('Name', 'Year', 'Weight_in_lbs').select(ml.vectorToArray(c.output).alias('out')).collect().catch(() => null)) ?? (await df.orderBy('Name', 'Year', 'Weight_in_lbs').select(c.output).collect());
      assertClose(ours.map((r) => Object.values(r)[0]), theirs[c.name], c.name);
    }
  });

  it('a fitted generated model reads its attributes; bad params are refused before Spark', async () => {
    const features = FEATURES().transform(cars);
    const model = await new ml.KMeans({ k: 2, seed: 3 }).fit(features);
    const centers = (await model.get('clusterCenterMatrix')) as { numRows: number };
    assert.equal(centers.numRows, 2);
    assert.match(String(model), /^KMeansModel: uid=KMeans_/);
    const silhouette = await new ml.ClusteringEvaluator().evaluate(model.transform(features));
    assert.ok(silhouette > 0 && silhouette <= 1);
    assert.throws(() => new ml.KMeans({ k: 'two' as never }), /Invalid value for param "k" in new KMeans\(\): expected an integer/);
    assert.throws(() => new ml.Tokenizer({ inputCols: ['a'] } as never), /inputCols/);
    assert.throws(() => new ml.VectorSlicer({ indices: [1.5] }), /param "indices" in new VectorSlicer\(\): expected an array of integers \(int32\), got array \[number 1.5\]/);
    assert.throws(() => new ml.Bucketizer({ splitsArray: [1, 2] as never }), /expected an array of arrays of numbers/);
    assert.throws(() => new ml.ElementwiseProduct({ scalingVec: 'x' as never }), /expected a DenseVector, SparseVector or an array of numbers/);
  });

  it('the spec and the generated classes agree (the generator was run after the last extraction)', () => {
    execFileSync(process.execPath, [join(process.cwd(), 'packages/spark-connect/scripts/generate-ml.mjs'), '--check'], { stdio: 'pipe' });
  });
});
