/**
 * The Spark server a Spark benchmark measures on: `SPARK_REMOTE` when set, else one
 * managed `local[2]` Spark Connect server from `@tsapply/spark-local` on a free port
 * with its own state directory, stopped at the end. Also the managed Python (with
 * PySpark's Connect client) that runs the PySpark side of each comparison against
 * the same server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteContext } from './suite.js';

/**
 * Driver heap of the managed server: it buffers Arrow batches of a 10 M-row result and
 * passes a 500 MB context through as an artifact.
 */
export const DRIVER_MEMORY = '4g';

export interface SparkTarget {
  remote: string;
  /** The Python with pyspark + pyarrow that PySpark comparisons run with. */
  python: string;
  description: string;
  stop(): Promise<void>;
}

export async function sparkTarget(ctx: SuiteContext): Promise<SparkTarget> {
  const local = await import('@tsapply/spark-local');
  const remote = process.env.SPARK_REMOTE;
  if (remote) {
    const env = await local.ensurePythonEnv({ onProgress: ctx.log });
    return { remote, python: env.python, description: `the server at SPARK_REMOTE (${remote})`, stop: async () => undefined };
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'tsapply-bench-spark-'));
  let server: Awaited<ReturnType<typeof local.startSparkConnect>>;
  try {
    server = await local.startSparkConnect({
      port: await local.findFreePort(),
      master: 'local[2]',
      driverMemory: DRIVER_MEMORY,
      stateDir,
      // A benchmark often starts right after a build or another suite; give the JVM time.
      timeoutMs: 600_000,
      onProgress: ctx.log,
    });
  } catch (e) {
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
  return {
    remote: server.address,
    python: server.python,
    description: `a managed Spark ${server.version} Connect server (${server.master}, driver memory ${DRIVER_MEMORY}) started by the benchmark`,
    stop: async () => {
      await server.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
