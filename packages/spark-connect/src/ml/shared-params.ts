/**
 * Param specs shared by several operators (PySpark's `pyspark.ml.param.shared`), with
 * Spark's defaults and docs. JVM param names, so they go to the server unchanged.
 */
import { nonNegative, unitInterval, type ParamSpec } from './params.js';
import type { FormulaOptions } from './base.js';

const s = (doc: string, d?: string, oneOf?: readonly string[]): ParamSpec => ({ type: 'string', doc, ...(d !== undefined ? { default: d } : {}), ...(oneOf ? { oneOf } : {}) });

export const featuresCol = s('features column name', 'features');
export const labelCol = s('label column name', 'label');
export const predictionCol = s('prediction column name', 'prediction');
export const probabilityCol = s('column name for predicted class conditional probabilities', 'probability');
export const rawPredictionCol = s('raw prediction (a.k.a. confidence) column name', 'rawPrediction');
export const weightCol = s('weight column name; if unset, all instance weights are 1.0');
export const outputCol = s('output column name');
export const inputCols = { type: 'string[]', doc: 'input column names' } as const satisfies ParamSpec;

export const maxIter = { type: 'int', doc: 'max number of iterations (>= 0)', default: 100, check: nonNegative } as const satisfies ParamSpec;
export const regParam = { type: 'double', doc: 'regularization parameter (>= 0)', default: 0, check: nonNegative } as const satisfies ParamSpec;
export const elasticNetParam = {
  type: 'double',
  doc: 'the ElasticNet mixing parameter, in [0, 1]: 0 is an L2 penalty, 1 an L1 penalty',
  default: 0,
  check: unitInterval,
} as const satisfies ParamSpec;
export const tol = { type: 'double', doc: 'the convergence tolerance for iterative algorithms (>= 0)', default: 1e-6, check: nonNegative } as const satisfies ParamSpec;
export const fitIntercept = { type: 'boolean', doc: 'whether to fit an intercept term', default: true } as const satisfies ParamSpec;
export const standardization = { type: 'boolean', doc: 'whether to standardize the training features before fitting the model', default: true } as const satisfies ParamSpec;
export const aggregationDepth = { type: 'int', doc: 'suggested depth for treeAggregate (>= 2)', default: 2, check: (v: number) => (v >= 2 ? undefined : 'must be >= 2') } as const satisfies ParamSpec;
export const maxBlockSizeInMB = { type: 'double', doc: 'maximum memory in MB for stacking input data into blocks; 0 picks a value automatically', default: 0, check: nonNegative } as const satisfies ParamSpec;
export const threshold = { type: 'double', doc: 'threshold in binary classification prediction, in [0, 1]', default: 0.5, check: unitInterval } as const satisfies ParamSpec;
export const thresholds = { type: 'double[]', doc: 'thresholds in multi-class classification to adjust the probability of predicting each class' } as const satisfies ParamSpec;
export const seed = { type: 'long', doc: 'random seed' } as const satisfies ParamSpec;
export const checkpointInterval = { type: 'int', doc: 'checkpoint interval (>= 1) or -1 to disable checkpointing', default: 10 } as const satisfies ParamSpec;
export const handleInvalid = (doc: string, d: string, oneOf: readonly string[]): ParamSpec => s(doc, d, oneOf);

/** Options every regularised linear model takes (LinearRegression, LogisticRegression). */
export interface LinearModelOptions extends FormulaOptions {
  /** @default 'features' */
  featuresCol?: string;
  /** @default 'label' */
  labelCol?: string;
  /** @default 'prediction' */
  predictionCol?: string;
  /** @default 100 */
  maxIter?: number;
  /** @default 0 */
  regParam?: number;
  /** ElasticNet mixing: 0 = ridge (L2), 1 = lasso (L1). @default 0 */
  elasticNetParam?: number;
  /** @default 1e-6 */
  tol?: number;
  /** @default true */
  fitIntercept?: boolean;
  /** @default true */
  standardization?: boolean;
  /** Instance weights column; unset = all 1. */
  weightCol?: string;
  /** @default 2 */
  aggregationDepth?: number;
  /** @default 0 (automatic) */
  maxBlockSizeInMB?: number;
}
