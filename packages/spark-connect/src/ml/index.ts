/**
 * Spark ML over Spark Connect (Spark 4.0+), with PySpark's `pyspark.ml` names in
 * camelCase. Estimators fit on the server (`await est.fit(df)`); models and transformers
 * add columns lazily (`model.transform(df)`); evaluators compute metrics on the server.
 * Fitted models live in the session's server-side ML cache; `model.release()` frees one.
 *
 * @example
 * ```ts
 * import { SparkSession, ml } from '@tsapply/spark-connect';
 * const spark = await SparkSession.connect();
 * const df = spark.createDataFrame([{ x1: 1, x2: 2, y: 4 }, …]);
 * const pipeline = new ml.Pipeline({ stages: [
 *   new ml.VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'features' }),
 *   new ml.LinearRegression({ labelCol: 'y' }),
 * ] });
 * const model = await pipeline.fit(df);
 * const lr = model.stages[1] as ml.LinearRegressionModel;
 * console.log(lr.coefficients.toString(), lr.intercept, lr.summary.r2);
 * const rmse = await new ml.RegressionEvaluator({ labelCol: 'y' }).evaluate(model.transform(df));
 * ```
 */
export { Params, Estimator, ClientEstimator, Transformer, Model, Evaluator, JavaTransformer } from './base.js';
export type { FitOptions, FormulaOptions, SaveOptions } from './base.js';
export { checkSaveOptions } from './base.js';
export { load, registerStageLoader, writeMetadata, savedPart } from './persistence.js';
export type { StageLoader, StageMetadata } from './persistence.js';
export { VectorAssembler } from './feature.js';
export type { VectorAssemblerOptions } from './feature.js';
export { LinearRegression, LinearRegressionModel, LinearRegressionTrainingSummary } from './regression.js';
export type { LinearRegressionOptions } from './regression.js';
export { LogisticRegression, LogisticRegressionModel, RandomForestClassifier, RandomForestClassificationModel } from './classification.js';
export type { LogisticRegressionOptions, RandomForestClassifierOptions } from './classification.js';
export { ClassificationTrainingSummary } from './classification-summary.js';
export { TrainingSummary } from './summary.js';
export { BinaryClassificationEvaluator, MulticlassClassificationEvaluator, RegressionEvaluator, MULTICLASS_METRICS } from './evaluation.js';
export type { BinaryClassificationEvaluatorOptions, MulticlassClassificationEvaluatorOptions, RegressionEvaluatorOptions } from './evaluation.js';
export { Pipeline, PipelineModel } from './pipeline.js';
export { ParamGridBuilder, CrossValidator, CrossValidatorModel, TrainValidationSplit, TrainValidationSplitModel, TuningModel } from './tuning.js';
export type { ParamMap, Tunable, TuningOptions, CrossValidatorOptions, TrainValidationSplitOptions } from './tuning.js';
export type { PipelineOptions, PipelineStage } from './pipeline.js';
export { arrayToVector, vectorToArray, toVector } from './functions.js';
export { DenseVector, SparseVector, DenseMatrix, SparseMatrix, isVector } from './linalg.js';
export type { Vector, Matrix } from './linalg.js';
export type { ParamSpec, ParamSpecs, ParamType } from './params.js';
export type { MethodCall } from './ml-protocol.js';
export { SparkEstimator, SparkModel } from './generic-stage.js';
export * from './generated/index.js';
