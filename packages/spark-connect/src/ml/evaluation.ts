/**
 * Evaluators (`pyspark.ml.evaluation`): Spark computes the metric over a DataFrame of
 * predictions (`MlCommand.Evaluate`); `evaluate(df)` resolves with the number.
 */
import type { ParamSpecs } from './params.js';
import { Evaluator } from './base.js';
import * as P from './shared-params.js';

/** Options of `BinaryClassificationEvaluator`. */
export interface BinaryClassificationEvaluatorOptions {
  /** @default 'areaUnderROC' */
  metricName?: 'areaUnderROC' | 'areaUnderPR';
  /** Scores: the rawPrediction vector or a probability/score double column. @default 'rawPrediction' */
  rawPredictionCol?: string;
  /** @default 'label' */
  labelCol?: string;
  weightCol?: string;
  /** Bins of the down-sampled ROC/PR curve; 0 = no down-sampling. @default 1000 */
  numBins?: number;
}

const BINARY_SPECS: ParamSpecs = {
  metricName: { type: 'string', doc: 'metric name in evaluation: areaUnderROC or areaUnderPR', default: 'areaUnderROC', oneOf: ['areaUnderROC', 'areaUnderPR'] },
  rawPredictionCol: P.rawPredictionCol,
  labelCol: P.labelCol,
  weightCol: P.weightCol,
  numBins: { type: 'int', doc: 'number of bins to down-sample the curves (ROC curve, PR curve) in area computation; 0 = no down-sampling', default: 1000, check: (v) => (v === 0 || v >= 2 ? undefined : 'must be 0 or >= 2') },
};

/** Area under ROC / PR for binary labels (`org.apache.spark.ml.evaluation.BinaryClassificationEvaluator`). */
export class BinaryClassificationEvaluator extends Evaluator {
  readonly javaClass = 'org.apache.spark.ml.evaluation.BinaryClassificationEvaluator';
  constructor(options?: BinaryClassificationEvaluatorOptions) {
    super('BinaryClassificationEvaluator', options, BINARY_SPECS);
  }
  isLargerBetter(): boolean {
    return true;
  }
}

export const MULTICLASS_METRICS = [
  'f1',
  'accuracy',
  'weightedPrecision',
  'weightedRecall',
  'weightedTruePositiveRate',
  'weightedFalsePositiveRate',
  'weightedFMeasure',
  'truePositiveRateByLabel',
  'falsePositiveRateByLabel',
  'precisionByLabel',
  'recallByLabel',
  'fMeasureByLabel',
  'logLoss',
  'hammingLoss',
] as const;

/** Options of `MulticlassClassificationEvaluator`. */
export interface MulticlassClassificationEvaluatorOptions {
  /** @default 'f1' */
  metricName?: (typeof MULTICLASS_METRICS)[number];
  /** @default 'prediction' */
  predictionCol?: string;
  /** @default 'label' */
  labelCol?: string;
  weightCol?: string;
  /** The label the `…ByLabel` metrics are about. @default 0 */
  metricLabel?: number;
  /** β of the F-measure. @default 1 */
  beta?: number;
  /** For logLoss. @default 'probability' */
  probabilityCol?: string;
  /** Probabilities are clipped to [eps, 1 - eps] for logLoss. @default 1e-15 */
  eps?: number;
}

const MULTICLASS_SPECS: ParamSpecs = {
  metricName: { type: 'string', doc: `metric name in evaluation: ${MULTICLASS_METRICS.join(', ')}`, default: 'f1', oneOf: MULTICLASS_METRICS },
  predictionCol: P.predictionCol,
  labelCol: P.labelCol,
  weightCol: P.weightCol,
  metricLabel: { type: 'double', doc: 'the class whose metric will be computed in the …ByLabel metrics (>= 0)', default: 0, check: (v) => (v >= 0 ? undefined : 'must be >= 0') },
  beta: { type: 'double', doc: 'the beta value used in weightedFMeasure and fMeasureByLabel (> 0)', default: 1, check: (v) => (v > 0 ? undefined : 'must be > 0') },
  probabilityCol: P.probabilityCol,
  eps: { type: 'double', doc: 'log loss is undefined for p=0 or p=1, so probabilities are clipped to max(eps, min(1 - eps, p))', default: 1e-15, check: (v) => (v > 0 && v < 0.5 ? undefined : 'must be in (0, 0.5)') },
};

/** Accuracy, F1, precision, recall, log loss … (`org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator`). */
export class MulticlassClassificationEvaluator extends Evaluator {
  readonly javaClass = 'org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator';
  constructor(options?: MulticlassClassificationEvaluatorOptions) {
    super('MulticlassClassificationEvaluator', options, MULTICLASS_SPECS);
  }
  isLargerBetter(): boolean {
    const m = this.getOrDefault('metricName');
    return !(m === 'weightedFalsePositiveRate' || m === 'falsePositiveRateByLabel' || m === 'logLoss' || m === 'hammingLoss');
  }
}

/** Options of `RegressionEvaluator`. */
export interface RegressionEvaluatorOptions {
  /** @default 'rmse' */
  metricName?: 'rmse' | 'mse' | 'r2' | 'mae' | 'var';
  /** @default 'prediction' */
  predictionCol?: string;
  /** @default 'label' */
  labelCol?: string;
  weightCol?: string;
  /** Whether the regression is through the origin (affects r2). @default false */
  throughOrigin?: boolean;
}

const REGRESSION_SPECS: ParamSpecs = {
  metricName: { type: 'string', doc: 'metric name in evaluation: rmse, mse, r2, mae or var', default: 'rmse', oneOf: ['rmse', 'mse', 'r2', 'mae', 'var'] },
  predictionCol: P.predictionCol,
  labelCol: P.labelCol,
  weightCol: P.weightCol,
  throughOrigin: { type: 'boolean', doc: 'whether the regression is through the origin', default: false },
};

/** rmse, mse, r2, mae, var (`org.apache.spark.ml.evaluation.RegressionEvaluator`). */
export class RegressionEvaluator extends Evaluator {
  readonly javaClass = 'org.apache.spark.ml.evaluation.RegressionEvaluator';
  constructor(options?: RegressionEvaluatorOptions) {
    super('RegressionEvaluator', options, REGRESSION_SPECS);
  }
  isLargerBetter(): boolean {
    const m = this.getOrDefault('metricName');
    return m === 'r2' || m === 'var';
  }
}
