/** Regression: `LinearRegression` and its model and training summary. */
import type { DataFrame } from '../data-frame.js';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import type { SparkSession } from '../spark-session.js';
import { SparkUsageError } from '../errors.js';
import { Estimator, Model, fetchMany, type FitOptions } from './base.js';
import { formatFields } from './format.js';
import type { DenseVector } from './linalg.js';
import type { ParamSpecs } from './params.js';
import * as P from './shared-params.js';
import { TrainingSummary } from './summary.js';

/** Options of `LinearRegression` (PySpark's keyword arguments; Spark's defaults). */
export interface LinearRegressionOptions extends P.LinearModelOptions {
  /** 'normal' (exact, with statistics), 'l-bfgs', or 'auto'. @default 'auto' */
  solver?: 'auto' | 'normal' | 'l-bfgs';
  /** 'squaredError' or 'huber' (robust). @default 'squaredError' */
  loss?: 'squaredError' | 'huber';
  /** Huber's shape parameter (> 1). @default 1.35 */
  epsilon?: number;
}

const MODEL_SPECS: ParamSpecs = { featuresCol: P.featuresCol, predictionCol: P.predictionCol };

const SPECS: ParamSpecs = {
  featuresCol: P.featuresCol,
  labelCol: P.labelCol,
  predictionCol: P.predictionCol,
  maxIter: P.maxIter,
  regParam: P.regParam,
  elasticNetParam: P.elasticNetParam,
  tol: P.tol,
  fitIntercept: P.fitIntercept,
  standardization: P.standardization,
  solver: { type: 'string', doc: "the solver algorithm for optimization: 'auto', 'normal' or 'l-bfgs'", default: 'auto', oneOf: ['auto', 'normal', 'l-bfgs'] },
  weightCol: P.weightCol,
  aggregationDepth: P.aggregationDepth,
  loss: { type: 'string', doc: "the loss function to be optimized: 'squaredError' or 'huber'", default: 'squaredError', oneOf: ['squaredError', 'huber'] },
  epsilon: { type: 'double', doc: "the shape parameter to control the amount of robustness (> 1.0), only for loss 'huber'", default: 1.35, check: (v) => (v > 1 ? undefined : 'must be > 1.0') },
  maxBlockSizeInMB: P.maxBlockSizeInMB,
};

/**
 * Linear regression (`org.apache.spark.ml.regression.LinearRegression`): least squares
 * with optional L1/L2 (elastic net) regularization, or Huber loss.
 */
export class LinearRegression extends Estimator<LinearRegressionModel> {
  readonly javaClass = 'org.apache.spark.ml.regression.LinearRegression';
  constructor(options?: LinearRegressionOptions) {
    super('LinearRegression', options, SPECS);
  }
  protected async createModel(session: SparkSession, refId: string, uid: string, options: FitOptions, training: Relation | undefined): Promise<LinearRegressionModel> {
    const [attrs, summary] = await Promise.all([
      fetchMany(session, refId, ['coefficients', 'intercept', 'numFeatures', 'scale', 'toString']),
      options.summary === false || training === undefined ? undefined : fetchMany(session, refId, LinearRegressionTrainingSummary.METRICS, [{ method: 'summary' }]),
    ]);
    return new LinearRegressionModel(session, refId, uid, attrs, summary && training && new LinearRegressionTrainingSummary(session, refId, training, summary));
  }
}

/** A fitted linear regression: `coefficients`, `intercept`, `summary`, `transform`. */
export class LinearRegressionModel extends Model {
  /** One weight per feature. */
  readonly coefficients: DenseVector;
  readonly intercept: number;
  readonly numFeatures: number;
  /** Huber loss's scale (1.0 for squared error). */
  readonly scale: number;
  private readonly description: string;
  private readonly trainingSummary: LinearRegressionTrainingSummary | undefined;

  /** @internal built by `LinearRegression.fit`. */
  constructor(session: SparkSession, refId: string, uid: string, attrs: Record<string, unknown>, summary: LinearRegressionTrainingSummary | undefined) {
    super(session, refId, uid, MODEL_SPECS);
    this.coefficients = attrs.coefficients as DenseVector;
    this.intercept = attrs.intercept as number;
    this.numFeatures = attrs.numFeatures as number;
    this.scale = attrs.scale as number;
    this.description = attrs['toString'] as unknown as string;
    this.trainingSummary = summary;
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== undefined;
  }

  /** Metrics on the training data (loaded by `fit`, unless `fit(df, { summary: false })`). */
  get summary(): LinearRegressionTrainingSummary {
    if (!this.trainingSummary) throw new SparkUsageError('This LinearRegressionModel has no training summary loaded: it was fitted with { summary: false }. Use an evaluator, or fit again without that option.');
    return this.trainingSummary;
  }

  /** Spark's one-line description, e.g. `LinearRegressionModel: uid=LinearRegression_…, numFeatures=2`. */
  override toString(): string {
    return this.description;
  }

  /** Multi-line: description, coefficients, intercept and the summary metrics. */
  describe(): string {
    const head = formatFields(this.description, [
      ['coefficients', this.coefficients],
      ['intercept', this.intercept],
    ]);
    const formula = this.formulaLines(this.coefficients.toArray(), this.intercept);
    const withFormula = formula.length > 0 ? `${head}\n${formula.join('\n')}` : head;
    return this.trainingSummary ? `${withFormula}\n${this.trainingSummary.toString()}` : withFormula;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.describe();
  }
}

/** Training metrics of a linear regression. */
export class LinearRegressionTrainingSummary extends TrainingSummary {
  static readonly METRICS = [
    'r2',
    'r2adj',
    'rootMeanSquaredError',
    'meanSquaredError',
    'meanAbsoluteError',
    'explainedVariance',
    'numInstances',
    'degreesOfFreedom',
    'totalIterations',
    'objectiveHistory',
  ] as const;

  constructor(session: SparkSession, refId: string, dataset: Relation, metrics: Record<string, unknown>) {
    super(session, refId, dataset, metrics);
  }
  /** Coefficient of determination R². */
  get r2(): number {
    return this.num('r2');
  }
  /** R² adjusted for the number of features. */
  get r2adj(): number {
    return this.num('r2adj');
  }
  get rootMeanSquaredError(): number {
    return this.num('rootMeanSquaredError');
  }
  get meanSquaredError(): number {
    return this.num('meanSquaredError');
  }
  get meanAbsoluteError(): number {
    return this.num('meanAbsoluteError');
  }
  get explainedVariance(): number {
    return this.num('explainedVariance');
  }
  /** Number of training rows (a Spark long, so a bigint). */
  get numInstances(): bigint {
    return this.metrics.numInstances as bigint;
  }
  get degreesOfFreedom(): bigint {
    return this.metrics.degreesOfFreedom as bigint;
  }
  /** Optimizer iterations (0 for the 'normal' solver). */
  get totalIterations(): number {
    return this.num('totalIterations');
  }
  /** Objective value per iteration. */
  get objectiveHistory(): number[] {
    return this.metrics.objectiveHistory as number[];
  }
}
