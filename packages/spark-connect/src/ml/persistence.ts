/**
 * Saving and loading pipelines, and loading any saved stage, in Spark's own layout, so a
 * model saved here loads in PySpark or Scala and the other way round.
 *
 * A single stage is written and read by Spark's ML writer and reader on the server
 * (`MlCommand.Write` / `Read`, see `Params.save`). A pipeline, as in PySpark's Connect
 * client, is written by the client: `path/metadata` (one JSON line: class, uid, Spark
 * version, `paramMap.stageUids`) and each stage under `path/stages/<index>_<uid>`. The
 * metadata names the JVM class (`org.apache.spark.ml.PipelineModel`), which Scala's
 * `PipelineModel.load` requires and PySpark's reader accepts.
 */
import { InvalidOptionError } from '@tsapply/common';
import { MlOperator_OperatorType } from '../gen/spark/connect/ml_common_pb.js';
import type { SparkSession } from '../spark-session.js';
import { SparkUsageError } from '../errors.js';
import { Model, Params, Transformer, checkSaveOptions, existingPathError, javaClassOf, operatorType, randomUid, unsavable, type Estimator, type SaveOptions } from './base.js';
import * as generated from './generated/index.js';
import { SparkModel } from './generic-stage.js';
import { BinaryClassificationEvaluator, MulticlassClassificationEvaluator, RegressionEvaluator } from './evaluation.js';
import { VectorAssembler } from './feature.js';
import { LinearRegression } from './regression.js';
import { LogisticRegression, RandomForestClassifier } from './classification.js';
import { fetchAttribute, readMl } from './ml-protocol.js';
import { Pipeline, PipelineModel, type PipelineStage } from './pipeline.js';
import { loadTuningModel, TUNING_CLASSES } from './tuning-persistence.js';

const PIPELINE = 'org.apache.spark.ml.Pipeline';
const PIPELINE_MODEL = 'org.apache.spark.ml.PipelineModel';
/** The object id PySpark's Connect client calls for server-side helpers (`handleOverwrite`). */
const ML_CONNECT_HELPER_ID = '______ML_CONNECT_HELPER______';

type StageClass = new () => Params & { javaClass: string };

/** Every stage class tsapply has, by its JVM class name (built on first use). */
let operators: Map<string, StageClass> | undefined;
/** Fitted model classes with hand-written fields, by JVM class name → their estimator. */
const HAND_WRITTEN_MODELS: Record<string, () => Estimator> = {
  'org.apache.spark.ml.regression.LinearRegressionModel': () => new LinearRegression(),
  'org.apache.spark.ml.classification.LogisticRegressionModel': () => new LogisticRegression(),
  'org.apache.spark.ml.classification.RandomForestClassificationModel': () => new RandomForestClassifier(),
};

function operatorClasses(): Map<string, StageClass> {
  if (operators !== undefined) return operators;
  operators = new Map();
  const candidates: unknown[] = [
    ...Object.values(generated),
    VectorAssembler,
    LinearRegression,
    LogisticRegression,
    RandomForestClassifier,
    BinaryClassificationEvaluator,
    MulticlassClassificationEvaluator,
    RegressionEvaluator,
  ];
  for (const c of candidates) {
    if (typeof c !== 'function' || !(c.prototype instanceof Params)) continue;
    const javaClass = javaClassOf(new (c as StageClass)());
    if (javaClass !== undefined) operators.set(javaClass, c as StageClass);
  }
  return operators;
}

/** Strips trailing slashes; a saved pipeline's parts are `<path>/metadata` and `<path>/stages/…`. */
function child(path: string, ...parts: string[]): string {
  return [path.replace(/\/+$/, ''), ...parts].join('/');
}

/** `stages/<index padded to the digits of the count>_<uid>`, as Spark names them. */
function stagePath(path: string, uid: string, index: number, count: number): string {
  return child(path, 'stages', `${String(index).padStart(String(count).length, '0')}_${uid}`);
}

/** Saves a Pipeline or PipelineModel: its metadata line, then every stage. */
export async function savePipeline(pipeline: Pipeline | PipelineModel, path: string, options: SaveOptions = {}): Promise<void> {
  const where = `${pipeline.constructor.name}.save()`;
  const stages: readonly PipelineStage[] = pipeline instanceof PipelineModel ? pipeline.stages : pipeline.getStages();
  const own = stages.find((s): s is Model => s instanceof Model)?.session;
  const { session, overwrite } = checkSaveOptions(where, path, options, own);
  // Checked before anything is written, so a refused pipeline leaves no half-written folder.
  const refused = stages.find((s) => !s.savable);
  if (refused !== undefined) throw unsavable(where, refused);
  const className = pipeline instanceof PipelineModel ? PIPELINE_MODEL : PIPELINE;
  await writePipeline(where, className, pipeline.uid, stages, path, session, overwrite, (s, at) => s.save(at, { session }));
}

/** A model fitted with a formula, saved as sparklyr saves one: a PipelineModel of the fitted RFormula and the model. */
export async function saveFormulaModel(rformula: Model, model: Model, path: string, options: { session: SparkSession; overwrite: boolean }): Promise<void> {
  const where = `${model.constructor.name}.save()`;
  await writePipeline(where, PIPELINE_MODEL, randomUid('PipelineModel'), [rformula, model], path, options.session, options.overwrite, (s, at) =>
    s === model ? model.writeStage(where, options.session, at, false) : s.save(at, { session: options.session }),
  );
}

async function writePipeline(
  where: string,
  className: string,
  uid: string,
  stages: readonly PipelineStage[],
  path: string,
  session: SparkSession,
  overwrite: boolean,
  saveStage: (stage: PipelineStage, path: string) => Promise<void>,
): Promise<void> {
  await writeMetadata(where, session, path, { class: className, uid, paramMap: { stageUids: stages.map((s) => s.uid) }, defaultParamMap: {} }, overwrite);
  for (const [i, s] of stages.entries()) await saveStage(s, stagePath(path, s.uid, i, stages.length));
}

/**
 * Writes `path/metadata`, the one JSON line Spark's readers (and `ml.load`) look at first:
 * `fields` plus the time and the server's Spark version. With `overwrite`, Spark's helper
 * first removes what is at `path`, so nothing of an older save stays; without it, an
 * existing path is refused.
 */
export async function writeMetadata(where: string, session: SparkSession, path: string, fields: { class: string; uid: string } & Record<string, unknown>, overwrite: boolean): Promise<void> {
  if (overwrite) await fetchAttribute(session, ML_CONNECT_HELPER_ID, [{ method: 'handleOverwrite', args: [path, true] }]);
  const { class: className, uid, ...rest } = fields;
  const metadata = { class: className, timestamp: Date.now(), sparkVersion: await session.version, uid, ...rest };
  await session
    .createDataFrame([{ value: JSON.stringify(metadata) }], 'value string')
    .coalesce(1)
    .write.mode('errorifexists')
    .text(child(path, 'metadata'))
    .catch((e: unknown) => {
      throw existingPathError(where, path, e);
    });
}

/** A saved stage's `metadata` line, as written: its class and uid, and whatever else the stage keeps there. */
export type StageMetadata = SavedMetadata & Record<string, unknown>;

/** Loads a stage tsapply's own layers save (a TypeScript stage), from its folder and metadata line. */
export type StageLoader = (spark: SparkSession, path: string, metadata: StageMetadata, where: string) => Promise<Params>;

/** Loaders of stages that exist only in tsapply, by the class their metadata names. */
const stageLoaders = new Map<string, StageLoader>();

/** @internal Lets `ml.load` and pipeline loading read a stage class Spark does not have (`tsapply.ml.TsTransformer`). */
export function registerStageLoader(className: string, loader: StageLoader): void {
  stageLoaders.set(className, loader);
}

/** `path/<parts>`, as the saved layout names a stage's files. */
export function savedPart(path: string, ...parts: string[]): string {
  return child(path, ...parts);
}

/**
 * Loads what `save()` (here, in PySpark or in Scala) wrote at `path`: a Pipeline,
 * PipelineModel, estimator, transformer, evaluator or fitted model, as the tsapply class
 * for its Spark class. Pass `expected` (e.g. `ml.PipelineModel`) to have anything else
 * refused with a message naming what was found.
 */
export async function load<T extends Params | Pipeline = Params | Pipeline>(spark: SparkSession, path: string, expected?: abstract new (...args: never[]) => T): Promise<T> {
  // Messages name the call the user wrote: ml.load() or ml.PipelineModel.load().
  const where = expected !== undefined ? `${expected.name}.load()` : 'ml.load()';
  if (typeof path !== 'string' || path.trim() === '') throw new InvalidOptionError(`${where} needs a path (a non-empty string), got ${JSON.stringify(path) ?? String(path)}.`, { option: 'path' });
  const loaded = await loadAt(spark, path, where);
  if (expected !== undefined && !(loaded instanceof expected)) {
    const found = loaded instanceof SparkModel ? loaded.modelName : loaded.constructor.name;
    throw new SparkUsageError(`${where}: ${path} holds a ${found}, not a ${expected.name}. Load it with ml.load(spark, path) or the ${found} class.`);
  }
  return loaded as T;
}

/** A saved stage's `metadata` line: its class, uid and (for a pipeline) its stages' uids. */
interface SavedMetadata {
  class: string;
  uid: string;
  paramMap?: { stageUids?: string[] };
}

async function readMetadata(spark: SparkSession, path: string, where: string): Promise<SavedMetadata> {
  const rows = await spark.read
    .text(child(path, 'metadata'))
    .limit(1)
    .collect()
    .catch((e: unknown) => {
      if (!(e instanceof Error) || !/PATH_NOT_FOUND/.test(e.message)) throw e;
      throw new SparkUsageError(`${where}: nothing was saved at ${path} (Spark finds no ${child(path, 'metadata')}). Check the path: the server reads it, on its own file system.`, {}, { cause: e });
    });
  const line = rows[0]?.value;
  if (typeof line !== 'string') throw new SparkUsageError(`${where}: ${path}/metadata is empty; ${path} is not a saved Spark ML stage.`);
  return JSON.parse(line) as SavedMetadata;
}

async function loadAt(spark: SparkSession, path: string, where: string): Promise<Params | Pipeline> {
  const metadata = await readMetadata(spark, path, where);
  // PySpark names its own pipeline classes; Scala's are the JVM names.
  const className = metadata.class.replace(/^pyspark\.ml\.pipeline\./, 'org.apache.spark.ml.');
  if (className === PIPELINE || className === PIPELINE_MODEL) {
    const uids = metadata.paramMap?.stageUids ?? [];
    const stages: (Params | Pipeline)[] = [];
    for (const [i, uid] of uids.entries()) stages.push(await loadAt(spark, stagePath(path, uid, i, uids.length), where));
    if (className === PIPELINE) return new Pipeline({ stages: stages as PipelineStage[] }, metadata.uid);
    return new PipelineModel(stages as Transformer[], metadata.uid);
  }
  if ([...TUNING_CLASSES.crossValidator, ...TUNING_CLASSES.trainValidationSplit].includes(className as never)) {
    return loadTuningModel(spark, path, metadata as StageMetadata, where, loadAt);
  }
  const custom = stageLoaders.get(className);
  if (custom !== undefined) return custom(spark, path, metadata as StageMetadata, where);
  const operator = operatorClasses().get(className);
  if (operator !== undefined) {
    const instance = new operator();
    const read = await readMl(spark, className, operatorType(instance), path);
    Object.defineProperty(instance, 'uid', { value: read.uid || metadata.uid });
    for (const [k, v] of Object.entries(read.params)) if (k in instance.paramSpecs && v !== null) instance.set(k, v);
    return instance;
  }
  // Anything else saved by Spark is a fitted model (or a transformer tsapply has no class for).
  const read = await readMl(spark, className, MlOperator_OperatorType.MODEL, path);
  if (read.refId === undefined) throw new SparkUsageError(`${where}: Spark loaded ${className} from ${path} but returned no model; tsapply has no class for it.`);
  const uid = read.uid || metadata.uid;
  const estimator = HAND_WRITTEN_MODELS[className]?.();
  if (estimator !== undefined) return estimator.modelFromCache(spark, read.refId, uid);
  return new SparkModel(spark, read.refId, uid, {}, className.split('.').pop()!);
}
