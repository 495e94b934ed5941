/**
 * PySpark's own Connect client against the test server, for tests that compare tsapply
 * with it on the same server and data: the server's Python environment (it has pyspark)
 * runs a script whose stdout the test reads.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { DataFrame, SparkSession } from '@tsapply/spark-connect';
import { skipBefore, sparkRemote, testSparkVersion } from './helpers.js';

/** vega-datasets' cars (stands in for mtcars). */
export const CARS = join(process.cwd(), 'node_modules/vega-datasets/data/cars.json');

/** The cars rows the PySpark scripts read too (`spark.read.json(CARS, multiLine=True).na.drop()`): 392 complete rows. */
export function readCars(spark: SparkSession): DataFrame {
  return spark.read.json(CARS, { multiLine: true }).na.drop();
}

/** The test server's Python (run-tests exports it), else the managed environment's default place. */
function pysparkPython(): string {
  return (
    process.env.TSAPPLY_TEST_SPARK_PYTHON ??
    join(process.env.HOME ?? '/root', '.cache/tsapply/spark', testSparkVersion(), 'venv/bin/python')
  );
}

/** Runs `code` with PySpark connected to the test server as `sys.argv[1]`, then `args`; its stdout. */
export function runPySpark(code: string, args: readonly string[] = [], options: { stderr?: 'inherit' | 'ignore' } = {}): string {
  return execFileSync(pysparkPython(), ['-c', code, sparkRemote(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, SPARK_REMOTE: '' },
    stdio: ['ignore', 'pipe', options.stderr ?? 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Equal, numbers within 1e-9 relative (Spark is deterministic; the clients only print differently), arrays element by element. */
export function assertClose(a: unknown, b: unknown, path: string): void {
  // A Spark bigint is a BigInt here and a plain int in Python's JSON.
  if (typeof a === 'bigint' && typeof b === 'number' && Number.isSafeInteger(b)) {
    assert.equal(a, BigInt(b), path);
  } else if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${path}: length`);
    a.forEach((x, i) => assertClose(x, b[i], `${path}[${i}]`));
  } else {
    assert.deepEqual(a, b, path);
  }
}

/**
 * Whether the server's own PySpark client can save and load ML models over Spark Connect:
 * 4.0's cannot (`PipelineModel.load` fails with "Cannot load _jvm from SparkContext"), so
 * the per-version suite checks tsapply's side alone there.
 */
export const PYSPARK_PERSISTS_ML = skipBefore('4.1') === false;
