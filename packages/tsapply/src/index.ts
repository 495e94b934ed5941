/**
 * tsapply: `spark_apply()` for TypeScript. Write a job file, run it over a dataset on
 * this machine (a worker pool over Arrow record batches) — or on Spark, unchanged.
 *
 * @example
 * ```ts
 * // examples/weather.ts
 * import { defineJob } from 'tsapply';
 * export default defineJob({
 *   input: { format: 'csv', path: '../data/weather.csv' },
 *   schema: 'weather string, temp_f double',
 *   apply(batch) {
 *     return [...batch].map((r) => ({ weather: r.weather, temp_f: (r.temp_max as number) * 1.8 + 32 }));
 *   },
 * });
 *
 * // from code (the CLI is `tsapply run examples/weather.ts`)
 * import { runJob } from 'tsapply';
 * const summary = await runJob('examples/weather.ts', { workers: 2, output: 'out/weather' });
 * console.log(summary.rowsOut, summary.payload.hash);
 * ```
 */

// The job contract: defineJob, the job types and the `image` pixel helpers. The same
// module is what user bundles see (the bundler aliases `tsapply` to it).
export * from '@tsapply/common/job-api';

// Serializers.
export { serializers } from '@tsapply/common';
export type { Serializer } from '@tsapply/common';

// The embedded engine.
export { runJob } from './engine/local-engine.js';
export type { RunSummary } from './engine/local-engine.js';
export type { JobRunOptions, RunOptions, RunProgress } from './run-options.js';
export type { JobSource } from './job/inline-job.js';

// Errors: every class tsapply throws, with `isTsapplyError` as the cross-copy check.
export {
  TsapplyError,
  isTsapplyError,
  SchemaMismatchError,
  ResultShapeError,
  SchemaInferenceError,
  DDLParseError,
  SerializerError,
  PayloadError,
  UserCodeError,
  TaskTimeoutError,
  WorkerOutOfMemoryError,
} from '@tsapply/common';
export { BundleError, NativeAddonError, TsconfigError, TypecheckError } from '@tsapply/bundler';
export type { TsconfigChoice } from '@tsapply/bundler';
export { InputError, InvalidOptionError, JobDefinitionError, OutputError, UnserializableContextError, JobInterruptedError } from './errors.js';
export { TSAPPLY_VERSION as version } from './version.js';

// Spark (issue 4): importing this installs DataFrame.mapInArrow, GroupedData.applyInArrow
// and SparkSession.parallelize on @tsapply/spark-connect's classes.
export {
  runJobOnSpark,
  SparkSession,
  DataFrame,
  GroupedData,
  Column,
  StorageLevel,
  SparkError,
  SparkUsageError,
  col,
  lit,
  expr,
  when,
  functions,
  Window,
  WindowSpec,
  ParallelCollection,
  ParallelMapped,
  sessionUploads,
  shipReport,
  ExecutorSetupError,
  WorkerCrashError,
  FunctionLocationError,
  ClosureCaptureError,
  UnsupportedSparkVersionError,
  translateSparkError,
} from './spark/index.js';
export type { ColumnOrName, ColumnOrValue, FrameOffset } from './spark/index.js';
// Spark ML, with the stages that run TypeScript inside a Pipeline.
export * as ml from './ml/index.js';
export type { ForeachPartitionOptions, ForeachPartitionSummary } from './spark/index.js';
export type { SparkRunOptions, SparkRunSummary, SparkApplyOptions, ParallelMapOptions, ParallelItemContext, ShipReport, SparkRunProgress } from './spark/index.js';
