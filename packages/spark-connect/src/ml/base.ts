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
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import { SparkSession } from '../spark-session.js';
import { MlOperator_OperatorType } from '../gen/spark/connect/ml_common_pb.js';
import { SparkUsageError } from '../errors.js';
import { formatValue } from './format.js';
import { deleteObjects, evaluate, fetchAttribute, fitEstimator, transformWithModel, transformWithOperator, writeMl, type MethodCall, type MlWriteTarget } from './ml-protocol.js';
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

  /** A predictor's R formula (`{ formula: 'mpg ~ .' }`): fitted through Spark's RFormula first. */
  protected formula: string | undefined;

  protected constructor(uidPrefix: string, options: object | undefined, specs: ParamSpecs, uid?: string) {
    this.uid = uid ?? randomUid(uidPrefix);
    this.paramSpecs = specs;
    let params = options;
    if (options !== null && typeof options === 'object' && 'formula' in options && isPredictor(specs)) {
      const { formula, ...rest } = options as { formula?: unknown };
      if (typeof formula !== 'string' || !formula.includes('~')) {
        throw new InvalidOptionError(`Invalid value for option "formula" in new ${uidPrefix}(): expected an R formula such as 'mpg ~ .' or 'y ~ x1 + x2', got ${JSON.stringify(formula) ?? String(formula)}.`, { option: 'formula' });
      }
      this.formula = formula;
      params = rest;
    }
    this.paramValues = validateParams(`new ${uidPrefix}()`, specs, params);
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

  /**
   * A copy with the same uid and params, plus `extra` (PySpark's `copy(extra)`): what a
   * tuning run fits for each point of its grid, leaving this instance untouched.
   */
  copy(extra: Readonly<Record<string, unknown>> = {}): this {
    const clone = Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this);
    (clone as unknown as { paramValues: Map<string, unknown> }).paramValues = new Map(this.paramValues);
    for (const [k, v] of Object.entries(extra)) clone.set(k, v);
    return clone;
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

  /**
   * Saves this stage to `path` with Spark's own ML writer (`MlCommand.Write`), in the
   * layout Spark's readers load: `ml.load(spark, path)` here, `LinearRegressionModel.load`
   * in PySpark or Scala. The server writes, so `path` is on the server's (or cluster's)
   * file system. Like Spark, an existing path is refused unless `overwrite: true`.
   */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    const where = `${this.constructor.name}.save()`;
    const { session, overwrite } = checkSaveOptions(where, path, options, this instanceof Model ? this.session : undefined);
    if (this instanceof Model && this.fittedFormula !== undefined) {
      // As sparklyr saves a formula model: a PipelineModel of the fitted RFormula and the model.
      const { saveFormulaModel } = await import('./persistence.js'); // persistence imports this module
      await saveFormulaModel(this.fittedFormula.rformula, this, path, { session, overwrite });
      return;
    }
    await this.writeStage(where, session, path, overwrite);
  }

  /**
   * Loads a stage of this class saved at `path` (PySpark's `LinearRegressionModel.load(path)`):
   * `await ml.LinearRegressionModel.load(spark, path)`. Anything else found there is refused,
   * naming what it is; `ml.load(spark, path)` takes whatever was saved.
   */
  static async load<T extends Params>(this: abstract new (...args: never[]) => T, spark: SparkSession, path: string): Promise<T> {
    const { load } = await import('./persistence.js'); // persistence imports this module
    return load(spark, path, this);
  }

  /**
   * Whether Spark can save this stage: a fitted model, or a stage with a Spark class.
   * A stage that exists only in tsapply (a CrossValidatorModel) cannot be.
   */
  get savable(): boolean {
    return this instanceof Model || javaClassOf(this) !== undefined;
  }

  /** What to save instead, when this stage cannot be saved (ends the refusal's message). */
  get saveAdvice(): string {
    return "Save the Spark stages it holds instead (a tuning result's bestModel, a pipeline's stages).";
  }

  /** @internal This stage alone (never its formula) through Spark's ML writer. */
  async writeStage(where: string, session: SparkSession, path: string, overwrite: boolean): Promise<void> {
    const javaClass = javaClassOf(this);
    if (!(this instanceof Model) && javaClass === undefined) throw unsavable(where, this);
    const target: MlWriteTarget = this instanceof Model ? { refId: (this.assertLive(), this.refId) } : { className: javaClass!, uid: this.uid, type: operatorType(this) };
    await writeMl(session, target, this.mlParams(), path, overwrite).catch((e: unknown) => {
      throw existingPathError(where, path, e);
    });
  }
}

/** The Spark class of an estimator, transformer or evaluator (`javaClass`), if it has one. */
export function javaClassOf(stage: object): string | undefined {
  const c = (stage as { javaClass?: unknown }).javaClass;
  return typeof c === 'string' ? c : undefined;
}

/** The refusal to save a stage Spark has no class for, naming it and what to save instead. */
export function unsavable(where: string, stage: Params): SparkUsageError {
  return new SparkUsageError(
    `${where}: ${stage.constructor.name} ${stage.uid} has no Spark ML class, so Spark cannot save it. ${stage.saveAdvice}`,
  );
}

/** Spark's "already exists … use write.overwrite()" (Scala and Python advice) in tsapply's words; other errors unchanged. */
export function existingPathError(where: string, path: string, e: unknown): unknown {
  if (!(e instanceof Error) || !/already exists/i.test(e.message)) return e;
  return new SparkUsageError(`${where}: ${path} already exists. Pass { overwrite: true } to replace it.`, {}, { cause: e });
}

/** Options of `save()`. */
export interface SaveOptions {
  /** Replace what is at `path` (Spark refuses an existing path otherwise). @default false */
  overwrite?: boolean;
  /** The session whose server writes. @default the model's own session, else `SparkSession.getActiveSession()` */
  session?: SparkSession;
}

/** Checks `save()`'s arguments once; the session to write with. */
export function checkSaveOptions(where: string, path: unknown, options: SaveOptions, own: SparkSession | undefined): { session: SparkSession; overwrite: boolean } {
  if (typeof path !== 'string' || path.trim() === '') throw new InvalidOptionError(`${where} needs a path (a non-empty string), got ${JSON.stringify(path) ?? String(path)}.`, { option: 'path' });
  const o = readOptions(where, options, ['overwrite', 'session']);
  const overwrite = o.boolean('overwrite') ?? false;
  const given = o.get('session');
  if (given !== undefined && !(given instanceof SparkSession)) throw new InvalidOptionError(`${where}: session must be a SparkSession.`, { option: 'session' });
  const session = (given as SparkSession | undefined) ?? own ?? SparkSession.getActiveSession();
  if (session === undefined) throw new SparkUsageError(`${where} needs a Spark session: connect one first (SparkSession.connect()) or pass { session }.`);
  return { session, overwrite };
}

/** The protocol's kind of a stage that is not a fitted model. */
export function operatorType(stage: Params): MlOperator_OperatorType {
  if (stage instanceof Estimator) return MlOperator_OperatorType.ESTIMATOR;
  if (stage instanceof Evaluator) return MlOperator_OperatorType.EVALUATOR;
  return MlOperator_OperatorType.TRANSFORMER;
}

/** Something that turns a DataFrame into another DataFrame, lazily. */
export abstract class Transformer extends Params {
  abstract transform(dataset: DataFrame): DataFrame;

  /**
   * `transform`, for stages that must ask the server first: a TypeScript stage (tsapply's
   * `ml.TsTransformer`) reads its input's schema and ships its function before it can
   * build the plan. Spark's own stages need nothing, so by default this is `transform`.
   * A Pipeline's `fit` and a PipelineModel's `transformAsync` call it on every stage.
   */
  transformAsync(dataset: DataFrame): Promise<DataFrame> {
    return Promise.resolve().then(() => this.transform(dataset));
  }
}

/**
 * An estimator whose `fit` runs on the client instead of as Spark's `MlCommand.Fit`, and
 * may give any Transformer: tsapply's TypeScript estimators (`ml.TsEstimator`). A
 * Pipeline fits it in its place like Spark's estimators.
 */
export abstract class ClientEstimator extends Params {
  abstract fit(dataset: DataFrame, options?: FitOptions): Promise<Transformer>;

  /** A client estimator has no Spark class, so Spark cannot save it (its fitted stage may be savable). */
  override get savable(): boolean {
    return false;
  }

  override get saveAdvice(): string {
    return "Fit it and save what the fit gives (a Pipeline's fitted PipelineModel saves its TypeScript stages).";
  }
}

/** Something fitted on a DataFrame, giving a Model. */
export abstract class Estimator<M extends Model = Model> extends Params {
  /** JVM class of the estimator, e.g. `org.apache.spark.ml.regression.LinearRegression`. */
  abstract readonly javaClass: string;

  /**
   * Builds the model object once the server fitted (or loaded) `refId`. `training` is the
   * fitted dataset's plan, for the training summary; a loaded model has none.
   */
  protected abstract createModel(session: SparkSession, refId: string, uid: string, options: FitOptions, training: Relation | undefined): Promise<M>;

  /** @internal The model object for `refId`, a model Spark loaded from a path (no training summary). */
  modelFromCache(session: SparkSession, refId: string, uid: string): Promise<M> {
    return this.createModel(session, refId, uid, { summary: false }, undefined);
  }

  /**
   * Fits on `dataset` (an `MlCommand.Fit`); resolves with the model once its attributes
   * (and, unless `summary: false`, its training summary's metrics) are loaded. Spark
   * errors (unknown column, wrong type) reject with Spark's `SparkError`.
   */
  async fit(dataset: DataFrame, options: FitOptions = {}): Promise<M> {
    validateFitOptions(options);
    if (this.formula !== undefined) return this.fitFormula(this.formula, dataset, options);
    return this.fitOn(dataset, options);
  }

  /** The fit itself (`MlCommand.Fit`), without a formula. */
  private async fitOn(dataset: DataFrame, options: FitOptions): Promise<M> {
    const { refId, warning } = await fitEstimator(dataset, this.javaClass, this.uid, this.mlParams());
    if (warning) process.emitWarning(warning, { code: 'TSAPPLY_SPARK_ML' });
    try {
      const model = await this.createModel(dataset.session, refId, this.uid, options, dataset.relation);
      // Like PySpark's _copyValues: the model keeps the params the user set that it also has.
      for (const k of Object.keys(model.paramSpecs)) if (this.isSet(k)) model.set(k, this.getOrDefault(k));
      return model;
    } catch (e) {
      await deleteObjects(dataset.session, [refId]).catch(() => undefined);
      throw e;
    }
  }

  /** Fits Spark's RFormula on `dataset`, then this estimator (without the formula) on its output. */
  private async fitFormula(formula: string, dataset: DataFrame, options: FitOptions): Promise<M> {
    const { RFormula } = await import('./generated/feature.js'); // generated classes import this module
    const rformula = await new RFormula({ formula, featuresCol: this.getOrDefault('featuresCol') as string, labelCol: this.getOrDefault('labelCol') as string }).fit(dataset);
    try {
      const prepared = rformula.transform(dataset);
      const model = await this.fitOn(prepared, options);
      model.fittedFormula = { rformula, text: formula, featureNames: await featureNames(prepared, this.getOrDefault('featuresCol') as string) };
      return model;
    } catch (e) {
      await rformula.release().catch(() => undefined);
      throw e;
    }
  }
}

/** A predictor (label, features and prediction columns; not RFormula itself) takes a formula. */
export function isPredictor(specs: ParamSpecs): boolean {
  return specs.labelCol !== undefined && specs.featuresCol !== undefined && specs.predictionCol !== undefined && specs.formula === undefined;
}

/**
 * The names Spark ML gave the slots of a vector column (its `ml_attr` metadata: numeric,
 * binary and nominal attributes by index), e.g. `Origin_USA` for a one-hot slot.
 */
export async function featureNames(df: DataFrame, column: string): Promise<string[]> {
  const attr = (await df.schema()).metadata[column]?.ml_attr as { attrs?: Record<string, { idx: number; name?: string }[]>; num_attrs?: number } | undefined;
  const names: string[] = [];
  for (const group of Object.values(attr?.attrs ?? {})) for (const a of group) names[a.idx] = a.name ?? `${column}_${a.idx}`;
  return Array.from({ length: attr?.num_attrs ?? names.length }, (_, i) => names[i] ?? `${column}_${i}`);
}

/** Options of a predictor that takes an R formula, as sparklyr's `ml_linear_regression(mpg ~ .)`. */
export interface FormulaOptions {
  /**
   * An R model formula (`'mpg ~ .'`, `'y ~ x1 + x2 + x1:x2'`): Spark's RFormula builds the
   * label and features columns (`labelCol`, `featuresCol`) from the data's own columns,
   * one-hot encoding strings, before the fit; the fitted model applies it again on transform.
   */
  formula?: string;
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

  /**
   * Set by a fit with a formula: the fitted RFormula (applied before this model on
   * transform), the formula, and the feature each coefficient belongs to (as RFormula
   * named them).
   */
  fittedFormula: { rformula: Model; text: string; featureNames: readonly string[] } | undefined;

  /**
   * For `describe()` of a model fitted with a formula: the formula and one line per
   * coefficient under its feature's name, as sparklyr prints a formula model.
   */
  protected formulaLines(coefficients: ArrayLike<number> | undefined, intercept: number | undefined): string[] {
    const f = this.fittedFormula;
    if (f === undefined) return [];
    const named: [string, number][] = [...(intercept !== undefined ? [['(Intercept)', intercept] as [string, number]] : [])];
    if (coefficients !== undefined && coefficients.length === f.featureNames.length) f.featureNames.forEach((n, i) => named.push([n, coefficients[i]!]));
    const width = Math.max(0, ...named.map(([n]) => n.length));
    return [`Formula: ${f.text}`, ...(named.length > 0 ? ['Coefficients:', ...named.map(([n, v]) => `  ${n.padEnd(width)}  ${v}`)] : [])];
  }

  /** Adds the prediction columns (`MlRelation.Transform` with this model, after its formula's). */
  transform(dataset: DataFrame): DataFrame {
    this.assertLive();
    const input = this.fittedFormula !== undefined ? this.fittedFormula.rformula.transform(dataset) : dataset;
    return transformWithModel(input, this.refId, this.mlParams());
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
    await deleteObjects(this.session, [this.refId, ...(this.fittedFormula !== undefined ? [this.fittedFormula.rformula.refId] : [])]);
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** @internal Throws when the model was released. */
  assertLive(): void {
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
