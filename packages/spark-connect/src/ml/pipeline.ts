/**
 * `Pipeline` / `PipelineModel`. As in PySpark's Connect client, the pipeline runs on the
 * client: `fit` walks the stages, fitting each estimator on the data transformed by the
 * stages before it (one `MlCommand.Fit` per estimator); the fitted PipelineModel's
 * `transform` chains every stage's (lazy) transform into one plan.
 */
import { InvalidOptionError, readOptions } from '@tsapply/common';
import { randomUid } from './base.js';
import type { DataFrame } from '../data-frame.js';
import type { SparkSession } from '../spark-session.js';
import { ClientEstimator, Estimator, Model, Transformer, type FitOptions, type SaveOptions } from './base.js';

export type PipelineStage = Estimator | ClientEstimator | Transformer;

function isEstimator(s: PipelineStage): s is Estimator | ClientEstimator {
  return s instanceof Estimator || s instanceof ClientEstimator;
}

/** Options of `Pipeline`. */
export interface PipelineOptions {
  /** The stages, run in order. @default [] */
  stages?: PipelineStage[];
}

function checkStages(where: string, stages: unknown): PipelineStage[] {
  if (!Array.isArray(stages)) throw new InvalidOptionError(`${where}: stages must be an array of estimators and transformers, got ${typeof stages}.`, { option: 'stages' });
  stages.forEach((s, i) => {
    if (!(s instanceof Estimator) && !(s instanceof ClientEstimator) && !(s instanceof Transformer)) {
      throw new InvalidOptionError(`${where}: stage ${i} is not an Estimator or Transformer from tsapply's ml module (got ${s === null ? 'null' : (s?.constructor?.name ?? typeof s)}).`, { option: 'stages' });
    }
  });
  return [...stages];
}

export class Pipeline {
  readonly uid: string;
  private stages: PipelineStage[];

  /** @param uid given when loading a saved pipeline. */
  constructor(options: PipelineOptions = {}, uid?: string) {
    const o = readOptions('new Pipeline()', options, ['stages']);
    this.uid = uid ?? randomUid('Pipeline');
    this.stages = checkStages('new Pipeline()', o.get('stages') ?? []);
  }

  getStages(): PipelineStage[] {
    return [...this.stages];
  }

  setStages(stages: PipelineStage[]): this {
    this.stages = checkStages('Pipeline.setStages()', stages);
    return this;
  }

  /**
   * Fits every estimator in order, each on the data transformed by the stages before it.
   * Every stage's transform is built with `transformAsync`, so a TypeScript stage is
   * shipped and bound to its input here, once, and the fitted PipelineModel's plain
   * `transform` works on data with the same columns. On failure, models fitted so far are
   * released and the error (e.g. Spark's) is rethrown.
   */
  async fit(dataset: DataFrame, options?: FitOptions): Promise<PipelineModel> {
    const fitted: Transformer[] = [];
    let data = dataset;
    try {
      for (const [i, stage] of this.stages.entries()) {
        const t = isEstimator(stage) ? await stage.fit(data, options) : stage;
        fitted.push(t);
        if (i < this.stages.length - 1 || !(t instanceof Model)) data = await t.transformAsync(data);
      }
    } catch (e) {
      await Promise.all(fitted.map((t) => (t instanceof Model ? t.release().catch(() => undefined) : undefined)));
      throw e;
    }
    return new PipelineModel(fitted, this.uid);
  }

  /** Loads a Pipeline saved at `path` (here, by PySpark or by Scala). */
  static async load(spark: SparkSession, path: string): Promise<Pipeline> {
    const { load } = await import('./persistence.js'); // persistence imports this module
    return load(spark, path, Pipeline);
  }

  /**
   * Saves the pipeline (its stages unfitted) in Spark's layout: `path/metadata` and every
   * stage under `path/stages/`. `ml.load(spark, path)`, PySpark's and Scala's
   * `Pipeline.load` read it back.
   */
  async save(path: string, options?: SaveOptions): Promise<void> {
    const { savePipeline } = await import('./persistence.js'); // persistence imports this module
    await savePipeline(this, path, options);
  }
}

/** The fitted pipeline: a chain of transformers (fitted models and plain transformers). */
export class PipelineModel extends Transformer {
  readonly stages: readonly Transformer[];

  constructor(stages: Transformer[], uid?: string) {
    super('PipelineModel', undefined, {}, uid ?? randomUid('PipelineModel'));
    this.stages = Object.freeze(checkStages('new PipelineModel()', stages) as Transformer[]);
  }

  transform(dataset: DataFrame): DataFrame {
    return this.stages.reduce((df, s) => s.transform(df), dataset);
  }

  /** `transform` with every stage's `transformAsync`: binds TypeScript stages to `dataset`'s columns first. */
  override async transformAsync(dataset: DataFrame): Promise<DataFrame> {
    let df = dataset;
    for (const s of this.stages) df = await s.transformAsync(df);
    return df;
  }

  override get savable(): boolean {
    return this.stages.every((s) => s.savable);
  }

  /** Saves the fitted pipeline in Spark's layout (see `Pipeline.save`); PySpark's and Scala's `PipelineModel.load` read it. */
  override async save(path: string, options?: SaveOptions): Promise<void> {
    const { savePipeline } = await import('./persistence.js'); // persistence imports this module
    await savePipeline(this, path, options);
  }

  /** Releases every fitted model of the pipeline on the server. */
  async release(): Promise<void> {
    await Promise.all(this.stages.map((s) => (s instanceof Model ? s.release() : undefined)));
  }

  override toString(): string {
    return `PipelineModel: uid=${this.uid}, numStages=${this.stages.length}`;
  }
}
