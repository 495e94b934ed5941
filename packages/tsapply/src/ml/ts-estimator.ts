/**
 * `ml.TsEstimator`: a TypeScript estimator in a Spark ML Pipeline. Fitting runs
 * TypeScript over the data where it lives and gives a `TsTransformer`:
 *
 * 1. `fit(batch, ctx)` runs on the executors over every batch (mapInArrow) and returns
 *    partial results as rows of `fitSchema` (counts, sums, a sample, a vocabulary…);
 * 2. `combine(rows, context)` runs here, on the driver, over all of them and returns the
 *    fitted state — plain data;
 * 3. the fitted stage is `new TsTransformer(transform, { outputCols, context: state })`:
 *    `transform(batch, ctx)` sees the state as `ctx.context`, shipped once per job.
 *
 * Both functions are captured when the estimator is created, as `mapInArrow` captures.
 */
import type { ApplyContext, ApplyResult, Batch } from '@tsapply/common';
import type { DataFrame } from '@tsapply/spark-connect';
import { ClientEstimator, type FitOptions } from '@tsapply/spark-connect/ml';
import { InvalidOptionError } from '../errors.js';
import { checkApplyOptions, SHIP_KEYS, shipSettings, type CheckedApplyOptions } from '../spark/apply-options.js';
import { planFunction, type FunctionPlan } from '../spark/function-payload.js';
import { mapPlanned } from '../spark/map-in-arrow.js';
import { parseOutputCols, plannedStage, TsTransformer, type StageFunction, type TsTransformerOptions } from './ts-transformer.js';

/** Options of `new ml.TsEstimator(options)`. */
export interface TsEstimatorOptions<Context = unknown, Fitted = unknown> extends Omit<TsTransformerOptions<Context>, 'init'> {
  /** Runs on the executors over every batch of the data; returns partial results, rows of `fitSchema`. */
  fit: (batch: Batch, ctx: ApplyContext<Context>) => ApplyResult | Promise<ApplyResult>;
  /** The columns of the partial results, as Spark DDL (`'n bigint, sum double'`). */
  fitSchema: string;
  /** Runs on the driver over all partial rows; returns the fitted state, handed to `transform` as `ctx.context`. */
  combine: (rows: Record<string, unknown>[], context: Context | undefined) => Fitted | Promise<Fitted>;
  /** The fitted stage's function: the output columns of each row; `ctx.context` is the fitted state. */
  transform: StageFunction<Fitted>;
}

const KEYS = ['fit', 'fitSchema', 'combine', 'transform', 'outputCols', 'context', 'serializer', ...SHIP_KEYS] as const;

export class TsEstimator<Context = unknown, Fitted = unknown> extends ClientEstimator {
  private readonly fitPlan: FunctionPlan;
  private readonly transformPlan: FunctionPlan;
  private readonly fitSchema: string;
  private readonly combine: TsEstimatorOptions<Context, Fitted>['combine'];
  private readonly outputCols: string;
  private readonly options: CheckedApplyOptions;
  /** The shipping options as the user gave them, for the fitted TsTransformer. */
  private readonly shipOptions: Record<string, unknown>;

  /** @param uid given when loading a saved stage. */
  constructor(options: TsEstimatorOptions<Context, Fitted>, uid?: string) {
    super('TsEstimator', undefined, {}, uid);
    const where = 'new ml.TsEstimator()';
    this.options = checkApplyOptions(options, KEYS, 'new ml.TsEstimator');
    const given = options as unknown as Record<string, unknown>;
    this.shipOptions = Object.fromEntries(SHIP_KEYS.filter((k) => given[k] !== undefined).map((k) => [k, given[k]]));
    const o = options as Partial<TsEstimatorOptions<Context, Fitted>>;
    for (const k of ['fit', 'combine', 'transform'] as const) {
      if (typeof o[k] !== 'function') throw new InvalidOptionError(`${where} needs ${k}: a function, got ${o[k] === null ? 'null' : typeof o[k]}.`, { option: k });
    }
    parseOutputCols(where, o.outputCols);
    if (typeof o.fitSchema !== 'string' || o.fitSchema.trim() === '') {
      throw new InvalidOptionError(`${where} needs fitSchema: the columns of the rows fit() returns, as Spark DDL such as 'n bigint, sum double'.`, { option: 'fitSchema' });
    }
    this.fitSchema = o.fitSchema;
    this.outputCols = o.outputCols!;
    this.combine = o.combine!;
    // Both captured now, with what they use, as at a mapInArrow call.
    this.fitPlan = planFunction(o.fit, undefined);
    this.transformPlan = planFunction(o.transform, undefined);
  }

  /** Runs `fit` over `dataset` on the executors, `combine` here, and returns the fitted TsTransformer. */
  async fit(dataset: DataFrame, _options?: FitOptions): Promise<TsTransformer<Fitted>> {
    const partial = await mapPlanned(dataset, this.fitPlan, {
      schema: this.fitSchema,
      context: this.options.context,
      ...(this.options.serializer !== undefined ? { serializer: this.options.serializer } : {}),
      ...shipSettings(this.options),
    });
    const fitted = await this.combine(await partial.collect(), this.options.context as Context | undefined);
    return new TsTransformer<Fitted>(plannedStage(this.transformPlan) as StageFunction<Fitted>, {
      outputCols: this.outputCols,
      context: fitted,
      ...(this.options.serializer !== undefined ? { serializer: this.options.serializer } : {}),
      ...this.shipOptions,
    });
  }

  override toString(): string {
    return `TsEstimator: uid=${this.uid}, outputCols=${this.outputCols}`;
  }
}
