/**
 * Classification: `LogisticRegression` (binomial and multinomial) and
 * `RandomForestClassifier`, their models and training summaries.
 */
import type { DataFrame } from '../data-frame.js';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import type { SparkSession } from '../spark-session.js';
import { SparkUsageError } from '../errors.js';
import { Estimator, Model, fetchMany, type FitOptions, type FormulaOptions } from './base.js';
import { ClassificationTrainingSummary } from './classification-summary.js';
import { formatFields } from './format.js';
import type { DenseMatrix, DenseVector, SparseVector } from './linalg.js';
import { nonNegative, positive, type ParamSpecs } from './params.js';
import * as P from './shared-params.js';

const CLASSIFIER_MODEL_SPECS: ParamSpecs = {
  featuresCol: P.featuresCol,
  predictionCol: P.predictionCol,
  probabilityCol: P.probabilityCol,
  rawPredictionCol: P.rawPredictionCol,
  thresholds: P.thresholds,
};

/** Shared by classifier models: params, summary access and printing. */
abstract class ClassificationModel extends Model {
  readonly numClasses: number;
  readonly numFeatures: number;
  protected readonly description: string;
  private readonly trainingSummary: ClassificationTrainingSummary | undefined;

  protected constructor(session: SparkSession, refId: string, uid: string, specs: ParamSpecs, attrs: Record<string, unknown>, summary: ClassificationTrainingSummary | undefined) {
    super(session, refId, uid, specs);
    this.numClasses = attrs.numClasses as number;
    this.numFeatures = attrs.numFeatures as number;
    this.description = attrs['toString'] as unknown as string;
    this.trainingSummary = summary;
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== undefined;
  }

  /** Metrics on the training data (loaded by `fit`, unless `fit(df, { summary: false })`). */
  get summary(): ClassificationTrainingSummary {
    if (!this.trainingSummary) throw new SparkUsageError(`This ${this.constructor.name} has no training summary loaded: it was fitted with { summary: false }. Use an evaluator, or fit again without that option.`);
    return this.trainingSummary;
  }

  /** Spark's one-line description of the model. */
  override toString(): string {
    return this.description;
  }

  /** The attributes printed by `describe()`. */
  protected abstract describeFields(): Array<[string, unknown]>;

  /** Multi-line: description, the model's attributes and the summary metrics. */
  describe(): string {
    const fields = formatFields(this.description, this.describeFields());
    const formula = this.formulaLines(...this.namedCoefficients());
    const head = formula.length > 0 ? `${fields}\n${formula.join('\n')}` : fields;
    return this.trainingSummary ? `${head}\n${this.trainingSummary.toString()}` : head;
  }

  /** The coefficients and intercept a formula model prints under feature names (none by default). */
  protected namedCoefficients(): [ArrayLike<number> | undefined, number | undefined] {
    return [undefined, undefined];
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.describe();
  }
}

/** Options of `LogisticRegression` (PySpark's keyword arguments; Spark's defaults). */
export interface LogisticRegressionOptions extends P.LinearModelOptions {
  /** @default 'probability' */
  probabilityCol?: string;
  /** @default 'rawPrediction' */
  rawPredictionCol?: string;
  /** Binary decision threshold on P(label = 1). @default 0.5 */
  threshold?: number;
  /** Per-class thresholds (multiclass). */
  thresholds?: number[];
  /** @default 'auto' */
  family?: 'auto' | 'binomial' | 'multinomial';
}

const LR_SPECS: ParamSpecs = {
  featuresCol: P.featuresCol,
  labelCol: P.labelCol,
  predictionCol: P.predictionCol,
  probabilityCol: P.probabilityCol,
  rawPredictionCol: P.rawPredictionCol,
  maxIter: P.maxIter,
  regParam: P.regParam,
  elasticNetParam: P.elasticNetParam,
  tol: P.tol,
  fitIntercept: P.fitIntercept,
  standardization: P.standardization,
  threshold: P.threshold,
  thresholds: P.thresholds,
  weightCol: P.weightCol,
  aggregationDepth: P.aggregationDepth,
  family: { type: 'string', doc: "the name of family, a description of the label distribution: 'auto', 'binomial' or 'multinomial'", default: 'auto', oneOf: ['auto', 'binomial', 'multinomial'] },
  maxBlockSizeInMB: P.maxBlockSizeInMB,
};

const LR_MODEL_SPECS: ParamSpecs = { ...CLASSIFIER_MODEL_SPECS, threshold: P.threshold };

/** Logistic regression (`org.apache.spark.ml.classification.LogisticRegression`). */
export class LogisticRegression extends Estimator<LogisticRegressionModel> {
  readonly javaClass = 'org.apache.spark.ml.classification.LogisticRegression';
  constructor(options?: LogisticRegressionOptions) {
    super('LogisticRegression', options, LR_SPECS);
  }
  protected async createModel(session: SparkSession, refId: string, uid: string, options: FitOptions, training: Relation | undefined): Promise<LogisticRegressionModel> {
    const attrs = await fetchMany(session, refId, ['numClasses', 'numFeatures', 'coefficientMatrix', 'interceptVector', 'toString']);
    const binomial = (attrs.coefficientMatrix as DenseMatrix).numRows === 1;
    const [extra, summary] = await Promise.all([
      // `coefficients`/`intercept` exist only for a binomial model (Spark throws otherwise).
      binomial ? fetchMany(session, refId, ['coefficients', 'intercept']) : {},
      options.summary === false || training === undefined ? undefined : ClassificationTrainingSummary.load(session, refId, training, attrs.numClasses as number, true),
    ]);
    return new LogisticRegressionModel(session, refId, uid, { ...attrs, ...extra }, summary);
  }
}

/** A fitted logistic regression. */
export class LogisticRegressionModel extends ClassificationModel {
  /** numClasses x numFeatures (1 x numFeatures for a binomial model). */
  readonly coefficientMatrix: DenseMatrix;
  readonly interceptVector: DenseVector;
  private readonly binomialCoefficients: DenseVector | undefined;
  private readonly binomialIntercept: number | undefined;

  /** @internal built by `LogisticRegression.fit`. */
  constructor(session: SparkSession, refId: string, uid: string, attrs: Record<string, unknown>, summary: ClassificationTrainingSummary | undefined) {
    super(session, refId, uid, LR_MODEL_SPECS, attrs, summary);
    this.coefficientMatrix = attrs.coefficientMatrix as DenseMatrix;
    this.interceptVector = attrs.interceptVector as DenseVector;
    this.binomialCoefficients = attrs.coefficients as DenseVector | undefined;
    this.binomialIntercept = attrs.intercept as number | undefined;
  }
  get isMultinomial(): boolean {
    return this.binomialCoefficients === undefined;
  }
  /** The weights of a binomial model (use `coefficientMatrix` for a multinomial one). */
  get coefficients(): DenseVector {
    if (!this.binomialCoefficients) throw new SparkUsageError(`coefficients is only defined for a binomial model; this one has ${this.numClasses} classes. Use coefficientMatrix and interceptVector.`);
    return this.binomialCoefficients;
  }
  /** The intercept of a binomial model (use `interceptVector` for a multinomial one). */
  get intercept(): number {
    if (this.binomialIntercept === undefined) throw new SparkUsageError(`intercept is only defined for a binomial model; this one has ${this.numClasses} classes. Use interceptVector.`);
    return this.binomialIntercept;
  }
  protected override namedCoefficients(): [ArrayLike<number> | undefined, number | undefined] {
    return this.isMultinomial ? [undefined, undefined] : [this.coefficients.toArray(), this.intercept];
  }
  protected describeFields(): Array<[string, unknown]> {
    return this.isMultinomial
      ? [
          ['numClasses', this.numClasses],
          ['coefficientMatrix', `\n${this.coefficientMatrix.toString().replace(/^/gm, '    ')}`],
          ['interceptVector', this.interceptVector],
        ]
      : [
          ['coefficients', this.coefficients],
          ['intercept', this.intercept],
        ];
  }
}

/** Options of `RandomForestClassifier` (PySpark's keyword arguments; Spark's defaults). */
export interface RandomForestClassifierOptions extends FormulaOptions {
  /** @default 'features' */
  featuresCol?: string;
  /** @default 'label' */
  labelCol?: string;
  /** @default 'prediction' */
  predictionCol?: string;
  /** @default 'probability' */
  probabilityCol?: string;
  /** @default 'rawPrediction' */
  rawPredictionCol?: string;
  /** @default 20 */
  numTrees?: number;
  /** @default 5 */
  maxDepth?: number;
  /** @default 32 */
  maxBins?: number;
  /** @default 1 */
  minInstancesPerNode?: number;
  /** @default 0 */
  minInfoGain?: number;
  /** @default 0 */
  minWeightFractionPerNode?: number;
  /** @default 'gini' */
  impurity?: 'gini' | 'entropy';
  /** @default 1 */
  subsamplingRate?: number;
  /** 'auto' | 'all' | 'onethird' | 'sqrt' | 'log2' | a fraction '0.5' | a count '3'. @default 'auto' */
  featureSubsetStrategy?: string;
  /** Fix it for reproducible forests (number or bigint). */
  seed?: number | bigint;
  /** @default true */
  bootstrap?: boolean;
  /** @default 256 */
  maxMemoryInMB?: number;
  /** @default false */
  cacheNodeIds?: boolean;
  /** @default 10 */
  checkpointInterval?: number;
  thresholds?: number[];
  weightCol?: string;
  /** Column for the leaf indices; empty = not added. @default '' */
  leafCol?: string;
}

const RF_SPECS: ParamSpecs = {
  featuresCol: P.featuresCol,
  labelCol: P.labelCol,
  predictionCol: P.predictionCol,
  probabilityCol: P.probabilityCol,
  rawPredictionCol: P.rawPredictionCol,
  numTrees: { type: 'int', doc: 'number of trees to train (>= 1)', default: 20, check: (v) => (v >= 1 ? undefined : 'must be >= 1') },
  maxDepth: { type: 'int', doc: 'maximum depth of a tree (>= 0; depth 0 is one leaf)', default: 5, check: nonNegative },
  maxBins: { type: 'int', doc: 'max number of bins for discretizing continuous features (>= 2)', default: 32, check: (v) => (v >= 2 ? undefined : 'must be >= 2') },
  minInstancesPerNode: { type: 'int', doc: 'minimum number of instances each child must have after a split (>= 1)', default: 1, check: (v) => (v >= 1 ? undefined : 'must be >= 1') },
  minInfoGain: { type: 'double', doc: 'minimum information gain for a split to be considered at a tree node', default: 0, check: nonNegative },
  minWeightFractionPerNode: { type: 'double', doc: 'minimum fraction of the weighted sample count each child must have after a split, in [0, 0.5)', default: 0, check: (v) => (v >= 0 && v < 0.5 ? undefined : 'must be in [0, 0.5)') },
  impurity: { type: 'string', doc: "criterion used for information gain: 'gini' or 'entropy'", default: 'gini', oneOf: ['gini', 'entropy'] },
  subsamplingRate: { type: 'double', doc: 'fraction of the training data used for learning each tree, in (0, 1]', default: 1, check: (v) => (v > 0 && v <= 1 ? undefined : 'must be in (0, 1]') },
  featureSubsetStrategy: { type: 'string', doc: "number of features to consider for splits at each node: 'auto', 'all', 'onethird', 'sqrt', 'log2', a fraction in (0, 1] or a count n", default: 'auto' },
  seed: P.seed,
  bootstrap: { type: 'boolean', doc: 'whether bootstrap samples are used when building trees', default: true },
  maxMemoryInMB: { type: 'int', doc: 'maximum memory in MB allocated to histogram aggregation', default: 256, check: positive },
  cacheNodeIds: { type: 'boolean', doc: 'whether to cache node ids per instance (speeds up deep trees)', default: false },
  checkpointInterval: P.checkpointInterval,
  thresholds: P.thresholds,
  weightCol: P.weightCol,
  leafCol: { type: 'string', doc: 'leaf indices column name', default: '' },
};

/** Random forest for classification (`org.apache.spark.ml.classification.RandomForestClassifier`). */
export class RandomForestClassifier extends Estimator<RandomForestClassificationModel> {
  readonly javaClass = 'org.apache.spark.ml.classification.RandomForestClassifier';
  constructor(options?: RandomForestClassifierOptions) {
    super('RandomForestClassifier', options, RF_SPECS);
  }
  protected async createModel(session: SparkSession, refId: string, uid: string, options: FitOptions, training: Relation | undefined): Promise<RandomForestClassificationModel> {
    const attrs = await fetchMany(session, refId, ['numClasses', 'numFeatures', 'featureImportances', 'getNumTrees', 'totalNumNodes', 'treeWeights', 'toString']);
    const summary = options.summary === false || training === undefined ? undefined : await ClassificationTrainingSummary.load(session, refId, training, attrs.numClasses as number, false);
    return new RandomForestClassificationModel(session, refId, uid, attrs, summary);
  }
}

/** A fitted random forest classifier. */
export class RandomForestClassificationModel extends ClassificationModel {
  /** Importance of each feature, summing to 1 (Spark's normalized Gini importance). */
  readonly featureImportances: SparseVector | DenseVector;
  readonly numTrees: number;
  /** Nodes over all trees. */
  readonly totalNumNodes: number;
  readonly treeWeights: number[];

  /** @internal built by `RandomForestClassifier.fit`. */
  constructor(session: SparkSession, refId: string, uid: string, attrs: Record<string, unknown>, summary: ClassificationTrainingSummary | undefined) {
    super(session, refId, uid, CLASSIFIER_MODEL_SPECS, attrs, summary);
    this.featureImportances = attrs.featureImportances as SparseVector | DenseVector;
    this.numTrees = attrs.getNumTrees as number;
    this.totalNumNodes = attrs.totalNumNodes as number;
    this.treeWeights = attrs.treeWeights as number[];
  }
  /** Every tree's splits, as Spark prints them (can be long: fetched on demand). */
  async toDebugString(): Promise<string> {
    return (await this.call('toDebugString')) as string;
  }
  protected describeFields(): Array<[string, unknown]> {
    return [
      ['numClasses', this.numClasses],
      ['numTrees', this.numTrees],
      ['totalNumNodes', this.totalNumNodes],
      ['featureImportances', this.featureImportances],
    ];
  }
}
