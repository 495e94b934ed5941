/**
 * Adds tsapply's methods to `@tsapply/spark-connect`'s classes when `tsapply` is
 * imported: `DataFrame.mapInArrow`, `DataFrame.foreachPartition`, `DataFrame.foreach`, `GroupedData.applyInArrow`,
 * `SparkSession.parallelize`. Types come from declaration merging (the
 * `declare module` block below), the methods from prototype installation, so users
 * keep one SparkSession/DataFrame type whether they import it from `tsapply` or from
 * `@tsapply/spark-connect`.
 */
import { DataFrame, GroupedData, SparkSession } from '@tsapply/spark-connect';
import type { SparkApplyOptions } from './apply-options.js';
import { applyInArrow, mapInArrow } from './map-in-arrow.js';
import { foreach, foreachPartition, type ForeachPartitionOptions, type ForeachPartitionSummary } from './foreach-partition.js';
import { parallelize, type ParallelCollection } from './parallelize.js';
import { translateSparkError } from './translate-error.js';
import { pendingDataFrame } from './pending-data-frame.js';
import { prewarmProbe } from '../closures/inspector.js';

declare module '@tsapply/spark-connect' {
  interface DataFrame {
    /**
     * Runs `fn` — a function EXPORTED from one of your modules, called as
     * `fn(batch, ctx)` like a job's `apply` — on every partition, on the executors.
     * Async: bundles and ships `fn` (once per session) and infers the schema when it
     * is not given; resolves to a lazy DataFrame. `options` may be the schema alone, as
     * PySpark's `mapInArrow(func, 'id bigint')`.
     */
    mapInArrow<Context = unknown>(fn: (...args: never[]) => unknown, options?: SparkApplyOptions<Context> | string): Promise<DataFrame>;
    /**
     * An action: runs `fn(batch, ctx)` on every batch of every partition, on the
     * executors, for its effects; what it returns is dropped. Resolves when all
     * partitions are done, with the batches and rows `fn` saw.
     */
    foreachPartition<Context = unknown>(fn: (...args: never[]) => unknown, options?: ForeachPartitionOptions<Context>): Promise<ForeachPartitionSummary>;
    /** An action: `fn(row, ctx)` for every row, on the executors, for its effects (rows of a batch one after another). */
    foreach<Context = unknown>(fn: (...args: never[]) => unknown, options?: ForeachPartitionOptions<Context>): Promise<ForeachPartitionSummary>;
  }
  interface GroupedData {
    /** Runs `fn(batch, ctx)` once per whole group (`ctx.key` holds the key) on the executors; `options` may be the schema alone. */
    applyInArrow<Context = unknown>(fn: (...args: never[]) => unknown, options?: SparkApplyOptions<Context> | string): Promise<DataFrame>;
  }
  interface SparkSession {
    /** A list of work items spread over `numSlices` tasks; `.map(fn)` runs an exported `fn(item, ctx)` per item. */
    parallelize<Item>(items: readonly Item[], numSlices?: number): ParallelCollection<Item>;
  }
}

function define(target: object, name: string, value: Function): void {
  if (Object.prototype.hasOwnProperty.call(target, name)) return;
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** Installs the methods (idempotent). Called when `tsapply` is imported. */
export function installSparkMethods(): void {
  define(DataFrame.prototype, 'mapInArrow', function mapInArrowMethod(this: DataFrame, fn: unknown, options?: SparkApplyOptions | string) {
    return pendingDataFrame(mapInArrow(this, fn, options), 'mapInArrow');
  });
  define(DataFrame.prototype, 'foreachPartition', function foreachPartitionMethod(this: DataFrame, fn: unknown, options?: ForeachPartitionOptions) {
    return foreachPartition(this, fn, options);
  });
  define(DataFrame.prototype, 'foreach', function foreachMethod(this: DataFrame, fn: unknown, options?: ForeachPartitionOptions) {
    return foreach(this, fn, options);
  });
  define(GroupedData.prototype, 'applyInArrow', function applyInArrowMethod(this: GroupedData, fn: unknown, options?: SparkApplyOptions | string) {
    return pendingDataFrame(applyInArrow(this, fn, options), 'applyInArrow');
  });
  define(SparkSession.prototype, 'parallelize', function parallelizeMethod(this: SparkSession, items: unknown[], numSlices?: number) {
    return parallelize(this, items, numSlices);
  });
  if (!SparkSession.errorHooks.includes(translateHook)) SparkSession.errorHooks.push(translateHook);
  if (!SparkSession.connectingHooks.includes(prewarmCapture)) SparkSession.connectingHooks.push(prewarmCapture);
}

let connectingWithoutClosures = 0;

/** Connects with nothing to capture (a job file run): no inspector warm-up. */
export async function connectForJobFile<T>(connect: () => Promise<T>): Promise<T> {
  connectingWithoutClosures++;
  try {
    return await connect();
  } finally {
    connectingWithoutClosures--;
  }
}

/**
 * A session is connecting, so closures are about to be shipped: enable the inspector's
 * Debugger now, on the next turn of the event loop while the server answers, rather than
 * at the user's first mapInArrow(fn) call.
 */
function prewarmCapture(): void {
  if (connectingWithoutClosures > 0) return;
  setImmediate(() => {
    try {
      prewarmProbe();
    } catch {
      // No inspector (Node built without it): capture reports that itself, at the call.
    }
  }).unref();
}

/** Every DataFrame action: a failed tsapply task becomes the user's error (UserCodeError …). */
function translateHook(e: unknown): unknown {
  return translateSparkError(e);
}

installSparkMethods();
