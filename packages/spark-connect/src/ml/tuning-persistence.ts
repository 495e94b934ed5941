/**
 * Saving and loading tuning results — `CrossValidatorModel`, `TrainValidationSplitModel` —
 * in the layout PySpark's Connect client writes (pyspark.ml.tuning's
 * `_ValidatorSharedReadWrite`): `path/metadata` with the tuner's params (the grid as
 * `estimatorParamMaps`, each param named by its stage's uid and its name, its value as
 * JSON), the metrics and `persistSubModels`; then `path/evaluator`, `path/estimator` and
 * `path/bestModel`, each saved as that stage saves itself. PySpark reads what is written
 * here, and `ml.load` reads PySpark's (and Scala's, whose params hold JSON in strings).
 * Sub-models are not saved (PySpark saves them only on request).
 */
import { SparkUsageError } from '../errors.js';
import type { SparkSession } from '../spark-session.js';
import { checkSaveOptions, Evaluator, Model, unsavable, type Params, type SaveOptions } from './base.js';
import { savedPart, writeMetadata, type StageMetadata } from './persistence.js';
import { Pipeline, PipelineModel } from './pipeline.js';
import { bestIndexOf, CrossValidatorModel, TrainValidationSplitModel, type Fitted, type ParamMap, type Tunable, type TuningModel, type TuningSpec } from './tuning.js';

/** The classes PySpark's and Scala's writers name, by the tsapply class that reads them. */
export const TUNING_CLASSES = {
  crossValidator: ['pyspark.ml.tuning.CrossValidatorModel', 'org.apache.spark.ml.tuning.CrossValidatorModel'],
  trainValidationSplit: ['pyspark.ml.tuning.TrainValidationSplitModel', 'org.apache.spark.ml.tuning.TrainValidationSplitModel'],
} as const;

/** One saved param of a grid point. */
interface SavedParam {
  parent: string;
  name: string;
  value: string;
  isJson?: boolean | string;
}

function sessionOf(model: Fitted): SparkSession | undefined {
  if (model instanceof Model) return model.session;
  return model.stages.find((s): s is Model => s instanceof Model)?.session;
}

export async function saveTuningModel(model: TuningModel, path: string, options: SaveOptions): Promise<void> {
  const where = `${model.constructor.name}.save()`;
  const { session, overwrite } = checkSaveOptions(where, path, options, sessionOf(model.bestModel));
  const spec = model.spec;
  // Checked before anything is written, so a refused save leaves no half-written folder.
  if (spec === undefined || !model.savable) throw unsavable(where, model);
  const crossValidation = model instanceof CrossValidatorModel;
  const estimatorParamMaps = spec.estimatorParamMaps.map((map) =>
    [...map].flatMap(([stage, params]) => Object.entries(params).map(([name, value]): SavedParam => ({ parent: stage.uid, name, value: JSON.stringify(value), isJson: true }))),
  );
  await writeMetadata(
    where,
    session,
    path,
    {
      class: (crossValidation ? TUNING_CLASSES.crossValidator : TUNING_CLASSES.trainValidationSplit)[0],
      uid: model.uid,
      // Only the params PySpark's model classes have (a tuner's parallelism and
      // collectSubModels are not among them).
      paramMap: { seed: spec.seed, ...(crossValidation ? { numFolds: spec.numFolds } : { trainRatio: spec.trainRatio }), estimatorParamMaps },
      defaultParamMap: crossValidation ? { numFolds: 3, foldCol: '' } : { trainRatio: 0.75 },
      ...(crossValidation ? { avgMetrics: [...model.avgMetrics], stdMetrics: [...model.stdMetrics] } : { validationMetrics: [...(model as TrainValidationSplitModel).validationMetrics] }),
      persistSubModels: false,
    },
    overwrite,
  );
  await spec.evaluator.save(savedPart(path, 'evaluator'), { session });
  await spec.estimator.save(savedPart(path, 'estimator'), { session });
  await model.bestModel.save(savedPart(path, 'bestModel'), { session });
}

/** The stages a saved grid may name, by uid: the estimator (or its pipeline's stages) and the evaluator. */
function stagesByUid(estimator: Tunable, evaluator: Evaluator): Map<string, Params> {
  const stages: Params[] = estimator instanceof Pipeline ? estimator.getStages() : [estimator];
  return new Map([...stages, evaluator].map((s) => [s.uid, s]));
}

export async function loadTuningModel(
  spark: SparkSession,
  path: string,
  metadata: StageMetadata,
  where: string,
  loadAt: (spark: SparkSession, path: string, where: string) => Promise<unknown>,
): Promise<CrossValidatorModel | TrainValidationSplitModel> {
  const crossValidation = (TUNING_CLASSES.crossValidator as readonly string[]).includes(metadata.class);
  const evaluator = await loadAt(spark, savedPart(path, 'evaluator'), where);
  const estimator = await loadAt(spark, savedPart(path, 'estimator'), where);
  const bestModel = await loadAt(spark, savedPart(path, 'bestModel'), where);
  if (!(evaluator instanceof Evaluator) || !(bestModel instanceof Model || bestModel instanceof PipelineModel)) {
    throw new SparkUsageError(`${where}: ${path} is not a whole ${metadata.class}: its evaluator or bestModel is missing or of another kind.`);
  }
  const uids = stagesByUid(estimator as Tunable, evaluator);
  // Scala's writer keeps each param's fields as JSON text; PySpark's as plain values.
  const python = metadata.class.startsWith('pyspark.');
  const paramMap = (metadata.paramMap ?? {}) as Record<string, unknown>;
  const saved = (paramMap.estimatorParamMaps ?? []) as SavedParam[][];
  const estimatorParamMaps: ParamMap[] = saved.map((point) => {
    const map = new Map<Params, Record<string, unknown>>();
    for (const p of point) {
      const stage = uids.get(p.parent);
      const isJson = p.isJson === undefined ? true : python ? p.isJson : JSON.parse(String(p.isJson));
      if (stage === undefined || !isJson) {
        throw new SparkUsageError(`${where}: the grid saved at ${path} sets ${p.name} of ${p.parent}, ${stage === undefined ? 'a stage its estimator does not have' : 'with a stage as the value, which tsapply does not load'}.`);
      }
      map.set(stage, { ...(map.get(stage) ?? {}), [p.name]: JSON.parse(p.value) });
    }
    return map;
  });
  const numberOr = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  const spec: TuningSpec = {
    estimator: estimator as Tunable,
    evaluator,
    estimatorParamMaps,
    seed: numberOr(paramMap.seed, 0),
    parallelism: numberOr(paramMap.parallelism, 1),
    collectSubModels: paramMap.collectSubModels === true,
    ...(crossValidation ? { numFolds: numberOr(paramMap.numFolds, 3) } : { trainRatio: numberOr(paramMap.trainRatio, 0.75) }),
  };
  const larger = evaluator.isLargerBetter();
  if (crossValidation) {
    const avg = (metadata.avgMetrics ?? []) as number[];
    return new CrossValidatorModel(bestModel, avg, (metadata.stdMetrics ?? []) as number[], bestIndexOf(avg, larger), undefined, spec, metadata.uid);
  }
  const metrics = (metadata.validationMetrics ?? []) as number[];
  return new TrainValidationSplitModel(bestModel, metrics, bestIndexOf(metrics, larger), undefined, spec, metadata.uid);
}
