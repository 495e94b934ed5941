/**
 * Example (f): the sparklyr 1.7 transfer-learning demo for real — real photos, features
 * from a PRE-TRAINED convolutional network, Spark's LogisticRegression on top.
 *
 *   bash examples/pretrained/prepare.sh            # once: the network and the photos (cached)
 *   npx tsapply spark start
 *   npx tsx examples/pretrained-classifier.ts --remote sc://localhost:15002
 *
 * The pipeline, as the seed builds it with InceptionV3 (here EfficientNet-Lite0):
 * 1. read:       `spark.read.image(photos, { recursiveFileLookup: true, dropInvalid: true })`
 *                — GCompris' photos of fishes and tools (Debian's gcompris-qt-data);
 * 2. prepare:    `ml.ImageTransformer`: resize to 224×224, RGB, scale to [-1, 1];
 * 3. featurize:  a TypeScript stage (`ml.TsTransformer`) running the pre-trained network
 *                in onnxruntime-web beside the executors (pretrained/featurizer.ts), the
 *                model and WebAssembly shipped once per job, the session built once per worker;
 * 4. train:      `ml.arrayToVector` → Spark's `ml.LogisticRegression` on 70% of the photos;
 * 5. evaluate:   predictions on the other 30% vs their labels, and the accuracy from Spark's
 *                `MulticlassClassificationEvaluator`.
 * The embedded engine runs the same featurizer: pretrained/features-job.ts.
 */
import { basename } from 'node:path';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { formatTable } from '@tsapply/common';
import { ml, SparkSession, col, functions as F, type DataFrame } from 'tsapply';
import type { InferenceSession } from 'onnxruntime-web/wasm';
import { embed, loadNetwork, type NetworkContext } from './pretrained/featurizer.js';
import { networkContext, PRETRAINED_DIR } from './pretrained/features-job.js';

/** Label 0 and 1: the photo's folder. */
export const CLASSES = ['tools', 'fishes'] as const;

export interface PretrainedResult {
  trainRows: number;
  testRows: number;
  accuracy: number;
  predictions: { image: string; class: string; label: number; prediction: number; probability: number }[];
  /** Photos featurized per second, and the executor cores that did it. */
  imagesPerSecond: number;
  cores: number;
  /** From the first featurizing job's start to its last row (includes shipping the stage and the workers' start). */
  firstJobMs: number;
}

/** The images stage and the network stage of the pipeline (steps 2–3). */
export function featureStages(): [ml.ImageTransformer, ml.TsTransformer<NetworkContext, InferenceSession>] {
  const prepare = new ml.ImageTransformer({ inputCol: 'image', outputCol: 'pixels' }).resize(224, 224).colorFormat('RGB').normalize({ mean: 127, std: 128 });
  const network = new ml.TsTransformer(embed, { outputCols: 'embedding array<float>', init: loadNetwork, context: networkContext('pixels') });
  return [prepare, network];
}

/** The photos as Spark reads them, labelled by folder (absolute paths: the server resolves relative ones against its own folder). */
export function readPhotos(spark: SparkSession, dir = PRETRAINED_DIR): DataFrame {
  return spark.read
    .image(join(dir, 'photos'), { recursiveFileLookup: true, dropInvalid: true })
    .withColumn('class', F.when(col('image.origin').contains('/fishes/'), 'fishes').otherwise('tools'))
    .withColumn('label', F.when(col('class').eq('fishes'), 1.0).otherwise(0.0));
}

/** Steps 1–5 on Spark. */
export async function classifyPhotos(spark: SparkSession, dir = PRETRAINED_DIR): Promise<PretrainedResult> {
  const [train, test] = readPhotos(spark, dir).randomSplit([0.7, 0.3], 42);
  const featurize = await new ml.Pipeline({ stages: featureStages() }).fit(train!);
  const vectors = (df: DataFrame) => featurize.transform(df).select('image.origin', 'class', 'label', ml.arrayToVector('embedding').alias('features'));
  // The network runs once per photo: the features are cached before the fit iterates over them.
  const started = performance.now();
  const trainSet = await vectors(train!).cache();
  const trainRows = await trainSet.count();
  const firstJobMs = performance.now() - started;
  const testSet = await vectors(test!).cache();
  const testStarted = performance.now();
  const testRows = await testSet.count();
  const testMs = performance.now() - testStarted;
  const model = await new ml.LogisticRegression({ regParam: 0.01, maxIter: 100 }).fit(trainSet);
  try {
    const predictions = model.transform(testSet);
    const accuracy = await new ml.MulticlassClassificationEvaluator({ metricName: 'accuracy' }).evaluate(predictions);
    const rows = await predictions.select('origin', 'class', 'label', 'prediction', ml.vectorToArray('probability').alias('p')).orderBy('origin').collect();
    const cores = executorCores((await spark.conf.get('spark.master')) ?? '');
    return {
      trainRows: Number(trainRows),
      testRows: Number(testRows),
      accuracy,
      predictions: rows.map((r) => ({ image: basename(r.origin as string), class: r.class as string, label: r.label as number, prediction: r.prediction as number, probability: (r.p as number[])[1]! })),
      imagesPerSecond: Number(testRows) / (testMs / 1000),
      cores,
      firstJobMs,
    };
  } finally {
    await model.release();
    await trainSet.unpersist();
    await testSet.unpersist();
  }
}

/** Executor cores a master URL gives: local[N], local-cluster[executors, cores, memory]; else 1 (a cluster's own figure is in its UI). */
export function executorCores(master: string): number {
  const local = /^local\[(\d+)/.exec(master);
  if (local) return Number(local[1]);
  const cluster = /^local-cluster\[(\d+),\s*(\d+)/.exec(master);
  return cluster ? Number(cluster[1]) * Number(cluster[2]) : 1;
}

/** The report the command prints. */
export function formatPretrained(r: PretrainedResult): string {
  return [
    'Transfer learning: EfficientNet-Lite0 features (a TypeScript stage on the executors) + Spark ML LogisticRegression',
    `Trained on ${r.trainRows} photos (0 = tools, 1 = fishes); tested on ${r.testRows}:`,
    formatTable(
      ['image', 'class', 'label', 'prediction', 'P(fishes)'],
      r.predictions.map((p) => [p.image, p.class, String(p.label), String(p.prediction), p.probability.toFixed(3)]),
    ),
    `Test accuracy: ${r.accuracy.toFixed(3)}`,
    `Featurizing: ${(r.imagesPerSecond / r.cores).toFixed(1)} photos/s per executor core (${r.cores} cores); first job ${(r.firstJobMs / 1000).toFixed(1)} s including shipping the stage`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(join(PRETRAINED_DIR, 'efficientnet-lite0.onnx'))) {
    console.error(`No model in ${PRETRAINED_DIR}: run \`bash examples/pretrained/prepare.sh\` first (it fetches the network and the photos once).`);
    process.exit(1);
  }
  const at = process.argv.indexOf('--remote');
  const remote = at >= 0 ? process.argv[at + 1] : process.env.SPARK_REMOTE;
  const spark = await SparkSession.connect(remote);
  try {
    console.log(formatPretrained(await classifyPhotos(spark)));
  } finally {
    await spark.stop();
  }
}
