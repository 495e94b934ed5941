/**
 * `import { ml } from 'tsapply'`: Spark ML through Spark Connect (every class of
 * `@tsapply/spark-connect`'s `ml`), plus the stages that run TypeScript on the executors
 * inside a Spark ML Pipeline.
 */
export * from '@tsapply/spark-connect/ml';
// Lets ml.load read the stages below back.
import './stage-persistence.js';
export { TsTransformer } from './ts-transformer.js';
export type { TsTransformerOptions, StageFunction } from './ts-transformer.js';
export { TsEstimator } from './ts-estimator.js';
export type { TsEstimatorOptions } from './ts-estimator.js';
export { ImageTransformer } from './image-transformer.js';
export type { ImageTransformerOptions } from './image-transformer.js';
export type { ImageStep } from './image-ops.js';
