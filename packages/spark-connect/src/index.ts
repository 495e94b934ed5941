/**
 * `@tsapply/spark-connect`: a Spark Connect client for TypeScript (Spark 4.x), over gRPC.
 *
 * @example
 * ```ts
 * import { SparkSession, functions as F } from '@tsapply/spark-connect';
 * const spark = await SparkSession.connect('sc://localhost:15002');
 * const df = spark.read.parquet('flights.parquet')
 *   .groupBy('origin')
 *   .agg(F.count('*').alias('n'), F.avg('delay').alias('avg_delay'))
 *   .orderBy(F.col('n').desc());
 * await df.show(5);
 * for await (const batch of df) console.log(batch.numRows); // streamed Arrow RecordBatches
 * await spark.stop();
 * ```
 */
export { SparkSession } from './spark-session.js';
export type { ConnectOptions } from './spark-session.js';
export { DataFrame, JOIN_TYPES } from './data-frame.js';
export type { DataFrameSchema, ExplainModeName } from './data-frame.js';
export { GroupedData } from './grouped-data.js';
export { DataFrameNaFunctions } from './data-frame-na.js';
export type { FillValue } from './data-frame-na.js';
export { DataFrameStatFunctions } from './data-frame-stat.js';
export { StorageLevel, storageLevelName } from './storage-level.js';
export { Catalog } from './catalog.js';
export type { CatalogDatabase, CatalogTable, CatalogFunction, CatalogColumn, CatalogInfo, CreateTableOptions } from './catalog.js';
export { DataFrameReader } from './data-frame-reader.js';
export { DataFrameWriter } from './data-frame-writer.js';
export { DataFrameWriterV2 } from './data-frame-writer-v2.js';
export type { SaveModeName } from './data-frame-writer.js';
export { RuntimeConfig } from './runtime-config.js';
export { Column, isColumn } from './column.js';
export { Window, WindowSpec } from './window.js';
export type { FrameOffset } from './window.js';
export type { ColumnOrName, ColumnOrValue } from './column.js';
export * as functions from './functions/index.js';
export * as ml from './ml/index.js';
export { col, lit, expr, when, call } from './functions/index.js';
export { parseConnectionString, DEFAULT_PORT } from './connection-string.js';
export type { ConnectionParams } from './connection-string.js';
export type { RetryOptions } from './retry-policy.js';
export { DEFAULT_RETRY } from './retry-policy.js';
export type { ExecuteOptions, ProgressEvent, StageProgress } from './execute-stream.js';
export { cacheArtifactName, ARTIFACT_PREFIXES } from './artifacts.js';
export type { Artifact, AddArtifactsOptions, AddArtifactsResult } from './artifacts.js';
export { interruptOnSigint } from './interrupt-on-sigint.js';
export { SparkError, SparkConnectionError, SparkConnectOptionError, SparkUsageError } from './errors.js';
// One class for every bad option or argument (from @tsapply/common); SparkConnectOptionError is its deprecated alias.
export { InvalidOptionError } from '@tsapply/common';
export type { SparkErrorFields } from './errors.js';
export { CLIENT_VERSION } from './version.js';
