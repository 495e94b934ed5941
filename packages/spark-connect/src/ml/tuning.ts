/**
 * Model selection: `ParamGridBuilder`, `CrossValidator` and `TrainValidationSplit`, as
 * in PySpark's Connect client, where tuning runs on the client: the data is split with
 * a `rand(seed)` column exactly as PySpark splits it, every point of the grid is fitted
 * on the server and evaluated, and the best one is fitted again on all the data. With the
 * same seed, grid and data, the metrics equal PySpark's.
 */
import { InvalidOptionError, readOptions } from '@tsapply/common';
import type { DataFrame } from '../data-frame.js';
import { callFunction } from '../column.js';
import { Estimator, Evaluator, Model, Params, Transformer, randomUid, type FitOptions, type SaveOptions } from './base.js';
import { formatValue } from './format.js';
import { Pipeline, PipelineModel } from './pipeline.js';

/** Param values for some stages: stage → { param name → value }. One point of a grid. */
export type ParamMap = ReadonlyMap<Params, Readonly<Record<string, unknown>>>;

/** Builds the cartesian product of param values (PySpark's `ParamGridBuilder`). */
export class ParamGridBuilder {
  private readonly grid: { stage: Params; param: string; values: unknown[] }[] = [];

  /** Tries each of `values` for `stage`'s param `param` (checked now, as the stage checks it). */
  addGrid(stage: Params, param: string, values: readonly unknown[]): this {
    if (!(stage instanceof Params)) throw new InvalidOptionError(`ParamGridBuilder.addGrid(): the first argument must be an ML stage (an estimator, transformer or evaluator), got ${typeof stage}.`, { option: 'stage' });
    if (!Array.isArray(values) || values.length === 0) throw new InvalidOptionError(`ParamGridBuilder.addGrid(): values for "${param}" must be a non-empty array.`, { option: 'values' });
    for (const v of values) stage.copy({ [param]: v }); // throws the stage's own message for a wrong name or value
    this.grid.push({ stage, param, values: [...values] });
    return this;
  }

  /** Sets one value for a param in every point (PySpark's `baseOn`). */
  baseOn(stage: Params, param: string, value: unknown): this {
    return this.addGrid(stage, param, [value]);
  }

  /** Every combination, as param maps. */
  build(): ParamMap[] {
    let maps: Map<Params, Record<string, unknown>>[] = [new Map()];
    for (const { stage, param, values } of this.grid) {
      maps = maps.flatMap((m) =>
        values.map((v) => {
          const next = new Map([...m].map(([s, p]) => [s, { ...p }]));
          next.set(stage, { ...(next.get(stage) ?? {}), [param]: v });
          return next;
        }),
      );
    }
    return maps;
  }
}

/** What the tuner fits: an estimator, or a pipeline whose stages the grid may name. */
export type Tunable = Estimator | Pipeline;

/** Options shared by `CrossValidator` and `TrainValidationSplit`. */
export interface TuningOptions {
  /** What to fit for every point of the grid. */
  estimator: Tunable;
  /** The grid (`new ParamGridBuilder()…build()`); `[new Map()]` fits the estimator as it is. */
  estimatorParamMaps: ParamMap[];
  /** How a fitted point is scored on the held-out data. */
  evaluator: Evaluator;
  /** Seed of the random split. @default a fixed value, so runs repeat */
  seed?: number;
  /** How many fits run at once on the server. @default 1 */
  parallelism?: number;
  /** Keep every fitted model (`subModels`); otherwise each is released once scored. @default false */
  collectSubModels?: boolean;
}

const DEFAULT_SEED = 7_041_315_312_983_297;

function seedOf(where: string, v: unknown): number {
  if (v === undefined) return DEFAULT_SEED;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new InvalidOptionError(`${where}: seed must be an integer, got ${JSON.stringify(v) ?? String(v)}.`, { option: 'seed' });
  return v;
}

function checkTuning(where: string, options: TuningOptions, extra: readonly string[]) {
  const o = readOptions(where, options, ['estimator', 'estimatorParamMaps', 'evaluator', 'seed', 'parallelism', 'collectSubModels', ...extra]);
  const estimator = o.get('estimator');
  if (!(estimator instanceof Estimator) && !(estimator instanceof Pipeline)) {
    throw new InvalidOptionError(`${where}: estimator must be an estimator or a Pipeline from tsapply's ml module.`, { option: 'estimator' });
  }
  const evaluator = o.get('evaluator');
  if (!(evaluator instanceof Evaluator)) throw new InvalidOptionError(`${where}: evaluator must be an evaluator from tsapply's ml module (e.g. new ml.RegressionEvaluator()).`, { option: 'evaluator' });
  const maps = o.get('estimatorParamMaps');
  if (!Array.isArray(maps) || maps.length === 0 || !maps.every((m) => m instanceof Map)) {
    throw new InvalidOptionError(`${where}: estimatorParamMaps must be a non-empty array of param maps (new ml.ParamGridBuilder().addGrid(…).build()).`, { option: 'estimatorParamMaps' });
  }
  const stages = estimator instanceof Pipeline ? estimator.getStages() : [estimator];
  for (const m of maps as ParamMap[]) {
    for (const stage of m.keys()) {
      if (!stages.includes(stage as never)) {
        throw new InvalidOptionError(`${where}: the grid sets params of ${stage.uid}, which is not the estimator or one of its pipeline's stages.`, { option: 'estimatorParamMaps' });
      }
    }
  }
  return {
    o,
    estimator: estimator as Tunable,
    evaluator,
    maps: maps as ParamMap[],
    seed: seedOf(where, o.get('seed')),
    parallelism: o.positiveInteger('parallelism') ?? 1,
    collectSubModels: o.boolean('collectSubModels') ?? false,
  };
}

/** The estimator with one grid point's params (copies; the original stages stay untouched). */
function withParams(estimator: Tunable, map: ParamMap): Tunable {
  if (estimator instanceof Pipeline) {
    return new Pipeline({ stages: estimator.getStages().map((s) => (map.has(s) ? s.copy(map.get(s)) : s)) }, estimator.uid);
  }
  return estimator.copy(map.get(estimator) ?? {});
}

export type Fitted = Model | PipelineModel;

/** What a tuning result keeps of its tuner, to be saved (and what a loaded one gets back). */
export interface TuningSpec {
  estimator: Tunable;
  evaluator: Evaluator;
  estimatorParamMaps: ParamMap[];
  seed: number;
  parallelism: number;
  collectSubModels: boolean;
  /** CrossValidator's. */
  numFolds?: number;
  /** TrainValidationSplit's. */
  trainRatio?: number;
}

function specOf(settings: ReturnType<typeof checkTuning>, extra: { numFolds: number } | { trainRatio: number }): TuningSpec {
  const { estimator, evaluator, maps, seed, parallelism, collectSubModels } = settings;
  return { estimator, evaluator, estimatorParamMaps: maps, seed, parallelism, collectSubModels, ...extra };
}

/** Index of the best metric; the evaluator says which way is better. */
export function bestIndexOf(metrics: readonly number[], largerIsBetter: boolean): number {
  return metrics.reduce((b, m, i) => ((largerIsBetter ? m > metrics[b]! : m < metrics[b]!) ? i : b), 0);
}

async function release(model: Fitted | undefined): Promise<void> {
  await model?.release().catch(() => undefined);
}

/** Fits and scores every grid point on one split, `parallelism` at a time; the metrics in grid order. */
async function scoreGrid(
  settings: ReturnType<typeof checkTuning>,
  train: DataFrame,
  validation: DataFrame,
  options: FitOptions,
  keep: (index: number, model: Fitted) => void,
): Promise<number[]> {
  const metrics = new Array<number>(settings.maps.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < settings.maps.length; i = next++) {
      const model = (await withParams(settings.estimator, settings.maps[i]!).fit(train, { summary: false, ...options })) as Fitted;
      try {
        metrics[i] = await settings.evaluator.evaluate(model.transform(validation));
      } finally {
        if (settings.collectSubModels) keep(i, model);
        else await release(model);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.parallelism, settings.maps.length) }, worker));
  return metrics;
}

/** The grid point whose metric is best (the evaluator says which way), fitted again on all of `dataset`. */
async function fitBest(settings: ReturnType<typeof checkTuning>, metrics: readonly number[], dataset: DataFrame, options: FitOptions): Promise<{ best: number; bestModel: Fitted }> {
  const best = bestIndexOf(metrics, settings.evaluator.isLargerBetter());
  return { best, bestModel: (await withParams(settings.estimator, settings.maps[best]!).fit(dataset, options)) as Fitted };
}

/** The held-out rows get `rand(seed)` in [lower, upper); both parts cached while the grid runs. */
async function withSplit<T>(dataset: DataFrame, uid: string, seed: number, lower: number, upper: number, run: (train: DataFrame, validation: DataFrame) => Promise<T>): Promise<T> {
  const r = `${uid}_rand`;
  // A long literal, as PySpark's lit(seed) for a seed past int32 (the same rand values for any seed).
  const df = dataset.select('*', callFunction('rand', [BigInt(seed)]).alias(r));
  const held = df.col(r).ge(lower).and(df.col(r).lt(upper));
  const train = await df.filter(held.not()).cache();
  const validation = await df.filter(held).cache();
  try {
    return await run(train, validation);
  } finally {
    await Promise.all([train.unpersist(), validation.unpersist()]).catch(() => undefined);
  }
}

/** A tuning result saves when it knows its tuner and every part has a Spark class (or saves itself). */
function tuningSavable(model: { spec?: TuningSpec; bestModel: Fitted }): boolean {
  const spec = model.spec;
  if (spec === undefined) return false;
  const stages = spec.estimator instanceof Pipeline ? spec.estimator.getStages() : [spec.estimator];
  return model.bestModel.savable && spec.evaluator.savable && stages.every((s) => s.savable);
}

/** Options of `CrossValidator`. */
export interface CrossValidatorOptions extends TuningOptions {
  /** Number of folds (>= 2). @default 3 */
  numFolds?: number;
}

/** k-fold cross-validation over a param grid (PySpark's `CrossValidator`). */
export class CrossValidator {
  readonly uid = randomUid('CrossValidator');
  private readonly settings: ReturnType<typeof checkTuning>;
  readonly numFolds: number;

  constructor(options: CrossValidatorOptions) {
    this.settings = checkTuning('new CrossValidator()', options, ['numFolds']);
    const folds = this.settings.o.positiveInteger('numFolds') ?? 3;
    if (folds < 2) this.settings.o.fail('numFolds', 'an integer >= 2');
    this.numFolds = folds;
  }

  /** Scores every grid point on every fold, then fits the best on all of `dataset`. */
  async fit(dataset: DataFrame, options: FitOptions = {}): Promise<CrossValidatorModel> {
    const s = this.settings;
    const perFold: number[][] = [];
    const subModels: Fitted[][] = [];
    for (let f = 0; f < this.numFolds; f++) {
      const models: Fitted[] = [];
      perFold.push(await withSplit(dataset, this.uid, s.seed, f / this.numFolds, (f + 1) / this.numFolds, (train, validation) => scoreGrid(s, train, validation, options, (i, m) => (models[i] = m))));
      if (s.collectSubModels) subModels.push(models);
    }
    const avgMetrics = s.maps.map((_, i) => perFold.reduce((sum, m) => sum + m[i]!, 0) / this.numFolds);
    const stdMetrics = s.maps.map((_, i) => Math.sqrt(perFold.reduce((sum, m) => sum + (m[i]! - avgMetrics[i]!) ** 2, 0) / this.numFolds));
    const { best, bestModel } = await fitBest(s, avgMetrics, dataset, options);
    return new CrossValidatorModel(bestModel, avgMetrics, stdMetrics, best, s.collectSubModels ? subModels : undefined, specOf(s, { numFolds: this.numFolds }));
  }
}

/**
 * What both tuners give: the best model (whose predictions `transform` returns), any
 * sub-models, and the tuner's estimator, evaluator, grid and settings, which `save` writes
 * as PySpark's Connect client saves a tuning result — `metadata` (the grid, seed and
 * metrics), `estimator`, `evaluator` and `bestModel` — so PySpark's `load` reads it and
 * `ml.load` reads PySpark's (sub-models are not saved).
 */
export abstract class TuningModel extends Transformer {
  protected constructor(
    name: string,
    readonly bestModel: Fitted,
    /** Index of the best grid point. */
    readonly bestIndex: number,
    /** The tuner's estimator, evaluator, grid and settings, which `save` writes. */
    readonly spec: TuningSpec | undefined,
    uid: string | undefined,
  ) {
    super(name, undefined, {}, uid);
  }

  /** Every sub-model kept (`collectSubModels`), in one list. */
  protected abstract allSubModels(): readonly Fitted[];

  override get savable(): boolean {
    return tuningSavable(this);
  }

  override async save(path: string, options: SaveOptions = {}): Promise<void> {
    const { saveTuningModel } = await import('./tuning-persistence.js'); // it imports this module
    await saveTuningModel(this, path, options);
  }

  /** The best model's predictions. */
  transform(dataset: DataFrame): DataFrame {
    return this.bestModel.transform(dataset);
  }

  /** Releases the best model and any sub-models on the server. */
  async release(): Promise<void> {
    await Promise.all([this.bestModel, ...this.allSubModels()].map(release));
  }
}

/** The best model of a cross-validation and every grid point's metric. */
export class CrossValidatorModel extends TuningModel {
  constructor(
    bestModel: Fitted,
    /** Mean metric over the folds, per grid point (in grid order). */
    readonly avgMetrics: readonly number[],
    /** Standard deviation of the metric over the folds, per grid point. */
    readonly stdMetrics: readonly number[],
    bestIndex: number,
    /** With `collectSubModels`: the model of every fold (outer) and grid point (inner). */
    readonly subModels: readonly (readonly Fitted[])[] | undefined,
    spec?: TuningSpec,
    uid?: string,
  ) {
    super('CrossValidatorModel', bestModel, bestIndex, spec, uid);
  }

  protected allSubModels(): readonly Fitted[] {
    return (this.subModels ?? []).flat();
  }

  override toString(): string {
    return `CrossValidatorModel: uid=${this.uid}, bestIndex=${this.bestIndex}, avgMetrics=${formatValue([...this.avgMetrics])}`;
  }
}

/** Options of `TrainValidationSplit`. */
export interface TrainValidationSplitOptions extends TuningOptions {
  /** Share of the rows used for training, in (0, 1). @default 0.75 */
  trainRatio?: number;
}

/** One random train/validation split over a param grid (PySpark's `TrainValidationSplit`). */
export class TrainValidationSplit {
  readonly uid = randomUid('TrainValidationSplit');
  private readonly settings: ReturnType<typeof checkTuning>;
  readonly trainRatio: number;

  constructor(options: TrainValidationSplitOptions) {
    this.settings = checkTuning('new TrainValidationSplit()', options, ['trainRatio']);
    const ratio = this.settings.o.nonNegativeNumber('trainRatio', 'a number between 0 and 1 (exclusive)') ?? 0.75;
    if (!(ratio > 0 && ratio < 1)) this.settings.o.fail('trainRatio', 'a number between 0 and 1 (exclusive)');
    this.trainRatio = ratio;
  }

  async fit(dataset: DataFrame, options: FitOptions = {}): Promise<TrainValidationSplitModel> {
    const s = this.settings;
    const models: Fitted[] = [];
    // PySpark validates on rand >= trainRatio and trains on the rest.
    const metrics = await withSplit(dataset, this.uid, s.seed, this.trainRatio, Number.POSITIVE_INFINITY, (train, validation) => scoreGrid(s, train, validation, options, (i, m) => (models[i] = m)));
    const { best, bestModel } = await fitBest(s, metrics, dataset, options);
    return new TrainValidationSplitModel(bestModel, metrics, best, s.collectSubModels ? models : undefined, specOf(s, { trainRatio: this.trainRatio }));
  }
}

/** The best model of a train/validation split and every grid point's metric. */
export class TrainValidationSplitModel extends TuningModel {
  constructor(
    bestModel: Fitted,
    /** The metric of every grid point on the validation rows (in grid order). */
    readonly validationMetrics: readonly number[],
    bestIndex: number,
    readonly subModels: readonly Fitted[] | undefined,
    spec?: TuningSpec,
    uid?: string,
  ) {
    super('TrainValidationSplitModel', bestModel, bestIndex, spec, uid);
  }

  protected allSubModels(): readonly Fitted[] {
    return this.subModels ?? [];
  }

  override toString(): string {
    return `TrainValidationSplitModel: uid=${this.uid}, bestIndex=${this.bestIndex}, validationMetrics=${formatValue([...this.validationMetrics])}`;
  }
}
