/**
 * tsapply on Spark: the library API (`df.mapInArrow`, `df.groupBy(…).applyInArrow`,
 * `spark.parallelize(…).map`), installed on `@tsapply/spark-connect`'s classes when
 * this module is imported, and `runJobOnSpark` behind `tsapply run --remote`.
 *
 * @example
 * ```ts
 * // score.ts
 * import type { Batch } from 'tsapply';
 * export function score(batch: Batch) {
 *   return [...batch].map((r) => ({ id: r.id, score: Number(r.id) / 10 }));
 * }
 *
 * // main.ts
 * import { SparkSession } from 'tsapply';
 * import { score } from './score.js';
 * const spark = await SparkSession.connect('sc://localhost:15002');
 * const scored = await spark.range(1000).mapInArrow(score, { schema: 'id bigint, score double' });
 * await scored.show();
 * ```
 */
import './install-methods.js';

export { runJobOnSpark } from './run-job-on-spark.js';
export type { SparkRunOptions, SparkRunSummary } from './run-job-on-spark.js';
export { mapInArrow, applyInArrow, shipReport } from './map-in-arrow.js';
export type { ShipReport } from './map-in-arrow.js';
export type { ForeachPartitionOptions, ForeachPartitionSummary } from './foreach-partition.js';
export type { SparkApplyOptions } from './apply-options.js';
export { parallelize, ParallelCollection, ParallelMapped } from './parallelize.js';
export type { ParallelMapOptions, ParallelItemContext } from './parallelize.js';
export { sessionUploads } from './session-artifacts.js';
export { executorPythonVersion, PYTHON_VER_ENV } from './python-version.js';
export { translateSparkError } from './translate-error.js';
export type { SparkRunProgress } from './spark-progress.js';
export { ExecutorSetupError, WorkerCrashError, FunctionLocationError, ClosureCaptureError, UnsupportedSparkVersionError } from './errors.js';
export { StorageLevel, SparkSession, DataFrame, GroupedData, Column, SparkError, SparkUsageError, col, lit, expr, when, functions, Window, WindowSpec } from '@tsapply/spark-connect';
export type { ColumnOrName, ColumnOrValue, FrameOffset } from '@tsapply/spark-connect';
