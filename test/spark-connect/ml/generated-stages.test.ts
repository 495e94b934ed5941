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

/** A 0/1 label (more than four cylinders), for the binary classifiers. */
const BINARY_LABEL = () => new ml.SQLTransformer({ statement: 'SELECT *, CAST(Cylinders > 4 AS DOUBLE) AS label FROM __THIS__' });
const PY_BINARY_LABEL = "SQLTransformer(statement='SELECT *, CAST(Cylinders > 4 AS DOUBLE) AS label FROM __THIS__')";
/** Every car's mileage observed (censor 1), for the survival regression. */
const CENSOR = () => new ml.SQLTransformer({ statement: 'SELECT *, 1.0D AS censor FROM __THIS__' });
const PY_CENSOR = "SQLTransformer(statement='SELECT *, 1.0D AS censor FROM __THIS__')";

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
  { name: 'GBTRegressor', build: () => [FEATURES(), new ml.GBTRegressor({ labelCol: 'Miles_per_Gallon', maxIter: 5, maxDepth: 3, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, GBTRegressor(labelCol='Miles_per_Gallon', maxIter=5, maxDepth=3, seed=1, predictionCol='out')]`, output: 'out' },
  { name: 'GBTClassifier', build: () => [FEATURES(), BINARY_LABEL(), new ml.GBTClassifier({ maxIter: 5, maxDepth: 2, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, ${PY_BINARY_LABEL}, GBTClassifier(maxIter=5, maxDepth=2, seed=1, predictionCol='out')]`, output: 'out' },
  { name: 'RandomForestRegressor', build: () => [FEATURES(), new ml.RandomForestRegressor({ labelCol: 'Miles_per_Gallon', numTrees: 5, maxDepth: 3, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, RandomForestRegressor(labelCol='Miles_per_Gallon', numTrees=5, maxDepth=3, seed=1, predictionCol='out')]`, output: 'out' },
  { name: 'GeneralizedLinearRegression', build: () => [FEATURES(), new ml.GeneralizedLinearRegression({ labelCol: 'Miles_per_Gallon', family: 'poisson', link: 'log', predictionCol: 'out' })], python: `[${PY_FEATURES}, GeneralizedLinearRegression(labelCol='Miles_per_Gallon', family='poisson', link='log', predictionCol='out')]`, output: 'out' },
  { name: 'IsotonicRegression', build: () => [FEATURES(), new ml.IsotonicRegression({ labelCol: 'Miles_per_Gallon', featureIndex: 0, isotonic: false, predictionCol: 'out' })], python: `[${PY_FEATURES}, IsotonicRegression(labelCol='Miles_per_Gallon', featureIndex=0, isotonic=False, predictionCol='out')]`, output: 'out' },
  { name: 'AFTSurvivalRegression', build: () => [FEATURES(), CENSOR(), new ml.AFTSurvivalRegression({ labelCol: 'Miles_per_Gallon', censorCol: 'censor', predictionCol: 'out' })], python: `[${PY_FEATURES}, ${PY_CENSOR}, AFTSurvivalRegression(labelCol='Miles_per_Gallon', censorCol='censor', predictionCol='out')]`, output: 'out' },
  { name: 'BisectingKMeans', build: () => [FEATURES(), new ml.BisectingKMeans({ k: 3, seed: 1, predictionCol: 'out' })], python: `[${PY_FEATURES}, BisectingKMeans(k=3, seed=1, predictionCol='out')]`, output: 'out' },
  { name: 'Tokenizer+Word2Vec', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.Word2Vec({ inputCol: 'words', outputCol: 'out', vectorSize: 4, minCount: 1, maxIter: 1, seed: 7 })], python: "[Tokenizer(inputCol='Name', outputCol='words'), Word2Vec(inputCol='words', outputCol='out', vectorSize=4, minCount=1, maxIter=1, seed=7)]", output: 'out' },
  { name: 'Tokenizer+CountVectorizer', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.CountVectorizer({ inputCol: 'words', outputCol: 'out', vocabSize: 16, minDF: 2 })], python: "[Tokenizer(inputCol='Name', outputCol='words'), CountVectorizer(inputCol='words', outputCol='out', vocabSize=16, minDF=2.0)]", output: 'out' },
  { name: 'Imputer', build: () => [new ml.Imputer({ inputCols: ['Horsepower'], outputCols: ['out'], strategy: 'median' })], python: "[Imputer(inputCols=['Horsepower'], outputCols=['out'], strategy='median')]", output: 'out' },
  { name: 'MaxAbsScaler', build: () => [FEATURES(), new ml.MaxAbsScaler({ inputCol: 'features', outputCol: 'out' })], python: `[${PY_FEATURES}, MaxAbsScaler(inputCol='features', outputCol='out')]`, output: 'out' },
  { name: 'RobustScaler', build: () => [FEATURES(), new ml.RobustScaler({ inputCol: 'features', outputCol: 'out', relativeError: 0 })], python: `[${PY_FEATURES}, RobustScaler(inputCol='features', outputCol='out', relativeError=0.0)]`, output: 'out' },
  { name: 'Normalizer', build: () => [FEATURES(), new ml.Normalizer({ inputCol: 'features', outputCol: 'out', p: 1 })], python: `[${PY_FEATURES}, Normalizer(inputCol='features', outputCol='out', p=1.0)]`, output: 'out' },
  { name: 'PolynomialExpansion', build: () => [FEATURES(), new ml.PolynomialExpansion({ inputCol: 'features', outputCol: 'out', degree: 2 })], python: `[${PY_FEATURES}, PolynomialExpansion(inputCol='features', outputCol='out', degree=2)]`, output: 'out' },
  { name: 'DCT', build: () => [FEATURES(), new ml.DCT({ inputCol: 'features', outputCol: 'out', inverse: false })], python: `[${PY_FEATURES}, DCT(inputCol='features', outputCol='out', inverse=False)]`, output: 'out' },
  { name: 'Tokenizer+NGram', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.NGram({ inputCol: 'words', outputCol: 'out', n: 2 })], python: "[Tokenizer(inputCol='Name', outputCol='words'), NGram(inputCol='words', outputCol='out', n=2)]", output: 'out' },
  { name: 'FeatureHasher', build: () => [new ml.FeatureHasher({ inputCols: ['Origin', 'Cylinders', 'Acceleration'], outputCol: 'out', numFeatures: 32 })], python: "[FeatureHasher(inputCols=['Origin', 'Cylinders', 'Acceleration'], outputCol='out', numFeatures=32)]", output: 'out' },
  { name: 'VectorIndexer', build: () => [new ml.VectorAssembler({ inputCols: ['Cylinders', 'Acceleration'], outputCol: 'features' }), new ml.VectorIndexer({ inputCol: 'features', outputCol: 'out', maxCategories: 6 })], python: "[VectorAssembler(inputCols=['Cylinders', 'Acceleration'], outputCol='features'), VectorIndexer(inputCol='features', outputCol='out', maxCategories=6)]", output: 'out' },
  { name: 'Binarizer', build: () => [new ml.Binarizer({ inputCol: 'Acceleration', outputCol: 'out', threshold: 15 })], python: "[Binarizer(inputCol='Acceleration', outputCol='out', threshold=15.0)]", output: 'out' },
  { name: 'BucketedRandomProjectionLSH', build: () => [FEATURES(), new ml.BucketedRandomProjectionLSH({ inputCol: 'features', outputCol: 'out', bucketLength: 500, numHashTables: 2, seed: 3 })], python: `[${PY_FEATURES}, BucketedRandomProjectionLSH(inputCol='features', outputCol='out', bucketLength=500.0, numHashTables=2, seed=3)]`, output: 'out' },
  { name: 'MinHashLSH', build: () => [new ml.Tokenizer({ inputCol: 'Name', outputCol: 'words' }), new ml.HashingTF({ inputCol: 'words', outputCol: 'tf', numFeatures: 64 }), new ml.MinHashLSH({ inputCol: 'tf', outputCol: 'out', numHashTables: 2, seed: 5 })], python: "[Tokenizer(inputCol='Name', outputCol='words'), HashingTF(inputCol='words', outputCol='tf', numFeatures=64), MinHashLSH(inputCol='tf', outputCol='out', numHashTables=2, seed=5)]", output: 'out' },
  { name: 'StringIndexer+IndexToString', build: () => [new ml.StringIndexer({ inputCol: 'Origin', outputCol: 'idx' }), new ml.IndexToString({ inputCol: 'idx', outputCol: 'out', labels: ['a', 'b', 'c'] })], python: "[StringIndexer(inputCol='Origin', outputCol='idx'), IndexToString(inputCol='idx', outputCol='out', labels=['a', 'b', 'c'])]", output: 'out' },
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
    plain = lambda v: v.toArray().tolist() if isinstance(v, Vector) else [plain(x) for x in v] if isinstance(v, list) else v
    out[name] = [plain(r[0]) for r in rows]
print(json.dumps(out))
spark.stop()
`;

/** Vectors inside a collected value (an LSH model's array of hashes) as arrays of numbers, as the Python side prints them. */
function plainVectors(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainVectors);
  if (ml.isVector(v)) return v.toArray();
  if (v !== null && typeof v === 'object' && 'type' in v && 'values' in v) return ml.toVector(v).toArray();
  return v;
}

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
      assertClose(ours.map((r) => plainVectors(Object.values(r)[0])), theirs[c.name], c.name);
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
