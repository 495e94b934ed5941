/**
 * The Spark a session's server runs, checked before anything is shipped to it: tsapply's
 * shim relies on the Python worker contract of Spark 3.5 and newer (mapInArrow's
 * StructType command; grouped apply is mapInArrow too, over the input repartitioned by the
 * keys and sorted within partitions, on every version), so an older server is refused with
 * a message that says so, instead of failing later inside a task with Spark's own error.
 */
import type { SparkSession } from '@tsapply/spark-connect';
import { supportedSparkLines } from '@tsapply/spark-local';
import { UnsupportedSparkVersionError } from './errors.js';

/** The error for a server `version` at `address`, or undefined when tsapply supports it. */
export function unsupportedServerVersion(version: string, address: string): UnsupportedSparkVersionError | undefined {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  const minor = Number(/^\d+\.(\d+)\./.exec(version)?.[1]);
  if (major > 3 || (major === 3 && minor >= 5)) return undefined;
  return new UnsupportedSparkVersionError(
    `The Spark Connect server at ${address} runs Spark ${version}; tsapply ships functions to Spark 3.5 and newer (supported: ${supportedSparkLines()}). ` +
      'Use a Spark 3.5 or 4.x server, or run the job on the embedded engine (without --remote).',
    { serverVersion: version },
  );
}

const checked = new WeakMap<SparkSession, Promise<void>>();

/** Rejects with UnsupportedSparkVersionError when the session's server is too old (asked once per session). */
export function checkServerVersion(spark: SparkSession): Promise<void> {
  let pending = checked.get(spark);
  if (pending === undefined) {
    pending = spark.version.then((v) => {
      const e = unsupportedServerVersion(v, spark.client.address);
      if (e) throw e;
    });
    checked.set(spark, pending);
  }
  return pending;
}
