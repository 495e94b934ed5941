/**
 * The ML class hierarchy, as in PySpark: `Params` (a uid and user-set params validated
 * against typed specs) → `Estimator` (async `fit` → a `Model`), `Transformer` (sync
 * `transform` → a new lazy DataFrame), `Model` (a Transformer naming a fitted model in
 * the server's ML cache) and `Evaluator` (async `evaluate` → a number).
 *
 * Only params the user set are sent; Spark applies its own defaults, so behaviour equals
 * PySpark's. `transform` stays synchronous and lazy like every DataFrame transform.
 */
import { randomBytes } from 'node:crypto';
import { InvalidOptionError, readOptions } from '@tsapply/common';
import type { DataFrame } from '../data-frame.js';
import type { SparkSession } from '../spark-session.js';
import { SparkUsageError } from '../errors.js';
import { formatValue } from './format.js';
import { deleteObjects, evaluate, fetchAttribute, fitEstimator, transformWithModel, transformWithOperator, type MethodCall } from './ml-protocol.js';
import { toMlParams, validateParam, validateParams, type ParamSpecs } from './params.js';

/** `<ClassName>_<12 hex>`, PySpark's uid form. */
export function randomUid(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export abstract class Params {
  /** Unique id of this instance (sent to Spark as the operator's uid). */
  readonly uid: string;
  /** Params the user set, JVM name → normalized value. */
  protected readonly paramValues: Map<string, unknown>;

  /** The param specs of this class: JVM param name → type, doc, default. */
  readonly paramSpecs: ParamSpecs;

  protected constructor(uidPrefix: string, options: object | undefined, specs: ParamSpecs, uid?: string) {
    this.uid = uid ?? randomUid(uidPrefix);
    this.paramSpecs = specs;
    this.paramValues = validateParams(`new ${uidPrefix}()`, specs, options);
  }

  /** Sets params (same keys as the constructor options); returns `this` like PySpark's setters. */
  setParams(options: object): this {
    for (const [k, v] of validateParams(`${this.constructor.name}.setParams()`, this.paramSpecs, options)) this.paramValues.set(k, v);
    return this;
  }

  /** Sets one param by its JVM name. */
  set(name: string, value: unknown): this {
    const spec = this.paramSpecs[name];
    if (!spec) throw new InvalidOptionError(`${this.constructor.name} has no param "${name}". Valid params: ${Object.keys(this.paramSpecs).join(', ')}.`, { option: name });
    this.paramValues.set(name, validateParam(`${this.constructor.name}.set()`, name, spec, value));
    return this;
  }

  /** Whether the user set `name`. */
  isSet(name: string): boolean {
    return this.paramValues.has(name);
  }

  /** The value the user set, else Spark's default (undefined when Spark has none). */
  getOrDefault(name: string): unknown {
    if (!this.paramSpecs[name]) throw new InvalidOptionError(`${this.constructor.name} has no param "${name}". Valid params: ${Object.keys(this.paramSpecs).join(', ')}.`, { option: name });
    return this.paramValues.has(name) ? this.paramValues.get(name) : this.paramSpecs[name]!.default;
  }

  /** The params the user set, as a plain object. */
  extractParamMap(): Record<string, unknown> {
    return Object.fromEntries(this.paramValues);
  }

  /** One line per param: `name: doc (default: x, current: y)`, like PySpark. */
  explainParams(): string {
    return Object.entries(this.paramSpecs)
      .map(([k, s]) => {
        const parts = [s.default !== undefined ? `default: ${formatValue(s.default)}` : 'undefined', ...(this.paramValues.has(k) ? [`current: ${formatValue(this.paramValues.get(k))}`] : [])];
        return `${k}: ${s.doc} (${parts.join(', ')})`;
      })
      .join('\n');
  }

  protected mlParams() {
    return toMlParams(this.paramSpecs, this.paramValues);
  }
}

/** Something that turns a DataFrame into another DataFrame, lazily. */
export abstract class Transformer extends Params {
  abstract transform(dataset: DataFrame): DataFrame;
}

/** Something fitted on a DataFrame, giving a Model. */
export abstract class Estimator<M extends Model = Model> extends Params {
  /** JVM class of the estimator, e.g. `org.apache.spark.ml.regression.LinearRegression`. */
  abstract readonly javaClass: string;

  /** Builds the model object once the server fitted `refId`. */
  protected abstract createModel(dataset: DataFrame, refId: string, options: FitOptions): Promise<M>;

  /**
   * Fits on `dataset` (an `MlCommand.Fit`); resolves with the model once its attributes
   * (and, unless `summary: false`, its training summary's metrics) are loaded. Spark
   * errors (unknown column, wrong type) reject with Spark's `SparkError`.
   */
  async fit(dataset: DataFrame, options: FitOptions = {}): Promise<M> {
    validateFitOptions(options);
    const { refId, warning } = await fitEstimator(dataset, this.javaClass, this.uid, this.mlParams());
    if (warning) process.emitWarning(warning, { code: 'TSAPPLY_SPARK_ML' });
    try {
      const model = await this.createModel(dataset, refId, options);
      // Like PySpark's _copyValues: the model keeps the params the user set that it also has.
      for (const k of Object.keys(model.paramSpecs)) if (this.isSet(k)) model.set(k, this.getOrDefault(k));
      return model;
    } catch (e) {
      await deleteObjects(dataset.session, [refId]).catch(() => undefined);
      throw e;
    }
  }
}

/** Options of `Estimator.fit`. */
export interface FitOptions {
  /**
   * Load the training summary's metrics (r2, accuracy, …) with the model, so
   * `model.summary` can be read synchronously. Each metric is one small request (run
   * concurrently); set false to skip them for a model fitted on large data.
   * @default true
   */
  summary?: boolean;
}

/** Checks the options of `fit()` once (InvalidOptionError; the async `fit` rejects with it). */
function validateFitOptions(o: FitOptions): void {
  readOptions('fit()', o, ['summary']).boolean('summary');
}

/** A Transformer needing no fitting, run by Spark (`VectorAssembler`, …). */
export abstract class JavaTransformer extends Transformer {
  abstract readonly javaClass: string;
  transform(dataset: DataFrame): DataFrame {
    return transformWithOperator(dataset, this.javaClass, this.uid, this.mlParams());
  }
}

/**
 * A fitted model living in the session's server-side ML cache (`refId`). `transform`
 * works as long as the session lives; `release()` frees the server memory early.
 */
export abstract class Model extends Transformer {
  readonly session: SparkSession;
  /** Id of the model in the server's ML cache. */
  readonly refId: string;
  private released = false;

  protected constructor(session: SparkSession, refId: string, uid: string, specs: ParamSpecs) {
    super(uid.split('_')[0]!, undefined, specs, uid);
    this.session = session;
    this.refId = refId;
  }

  /** Adds the prediction columns (`MlRelation.Transform` with this model). */
  transform(dataset: DataFrame): DataFrame {
    this.assertLive();
    return transformWithModel(dataset, this.refId, this.mlParams());
  }

  /**
   * Calls an attribute or method of the server-side model by its JVM name (from Spark's
   * allow-list), e.g. `call('predict', new DenseVector([1, 2]))`, `call('summary', 'pValues')`
   * is `callChain([{method:'summary'},{method:'pValues'}])`.
   */
  async call(method: string, ...args: unknown[]): Promise<unknown> {
    return this.callChain([{ method, args }]);
  }

  /** Calls a method chain on the model, e.g. `[{ method: 'summary' }, { method: 'r2' }]`. */
  async callChain(calls: readonly MethodCall[]): Promise<unknown> {
    this.assertLive();
    return fetchAttribute(this.session, this.refId, calls);
  }

  /** Removes the model from the server's ML cache; later transforms throw. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await deleteObjects(this.session, [this.refId]);
  }

  get isReleased(): boolean {
    return this.released;
  }

  protected assertLive(): void {
    if (this.released) throw new SparkUsageError(`${this.constructor.name} ${this.uid} was released; fit it again to use it.`);
  }
}

/** Computes a metric over a DataFrame of predictions. */
export abstract class Evaluator extends Params {
  abstract readonly javaClass: string;
  /** Whether a larger metric is better (false for rmse/mse/mae, like Spark). */
  abstract isLargerBetter(): boolean;

  /** The metric (an `MlCommand.Evaluate`). */
  async evaluate(dataset: DataFrame): Promise<number> {
    return evaluate(dataset, this.javaClass, this.uid, this.mlParams());
  }
}

/** Fetches `names` on `refId` concurrently (each one MlCommand.Fetch), after `prefix` calls. */
export async function fetchMany(session: SparkSession, refId: string, names: readonly string[], prefix: readonly MethodCall[] = []): Promise<Record<string, unknown>> {
  const values = await Promise.all(names.map((n) => fetchAttribute(session, refId, [...prefix, { method: n }])));
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}
