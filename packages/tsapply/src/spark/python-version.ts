/**
 * Finds the executors' Python `major.minor`, which every Python UDF must carry in
 * `python_ver`: Spark's Python worker compares it with its own version and fails the
 * task with `[PYTHON_VERSION_MISMATCH]` when they differ (the server never checks).
 *
 * How: a probe job — `spark.range(1)` through a mapInArrow whose command is the
 * shim's executor probe (`executor-node/executor-platform.ts`; the shim, a few KB, is
 * uploaded first, no Node is involved) — sent with a guess. If the guess is right the
 * probe returns its one row, which also describes the executors' platform and node
 * (kept, so choosing the executors' node costs no second job); if not, the worker's
 * error names its version (`… different version (3, 11) than that in driver 3.12 …`),
 * which is cached and returned. One probe per server per driver process (~0.5 s).
 * `TSAPPLY_PYTHON_VER` (or the `pythonVer` option) skips the probe.
 */
import type { SparkSession } from '@tsapply/spark-connect';
import { rememberExecutorPlatform, runExecutorProbe } from './executor-node/executor-platform.js';
import { shimModule } from './pickle-command.js';
import { ensureArtifacts } from './session-artifacts.js';
import { InvalidOptionError } from '@tsapply/common';
import { ExecutorSetupError } from './errors.js';
import { executorSetupProblem, workerVersionFromMismatch } from './translate-error.js';

/** Environment variable that pins the executors' Python version (`3.11`). */
export const PYTHON_VER_ENV = 'TSAPPLY_PYTHON_VER';

/** First guess: the Python of pyspark 4.1's managed venvs and most current clusters. */
const FIRST_GUESS = '3.11';

const cache = new Map<string, Promise<string>>();

/** Checks a `major.minor` string (`3.11`). */
export function checkPythonVer(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^\d+\.\d+$/.test(value)) {
    throw new InvalidOptionError(`${where} must be a Python version "major.minor" such as 3.11, got ${JSON.stringify(value)}.`, { option: where });
  }
  return value;
}

/**
 * The executors' Python version: `override`, else `$TSAPPLY_PYTHON_VER`, else probed
 * once per server address (cached for the process).
 */
export function executorPythonVersion(spark: SparkSession, override?: string): Promise<string> {
  if (override !== undefined) return Promise.resolve(checkPythonVer(override, 'options.pythonVer'));
  const env = process.env[PYTHON_VER_ENV];
  if (env) return Promise.resolve(checkPythonVer(env, PYTHON_VER_ENV));
  const key = spark.client.address;
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = probeExecutorPythonVersion(spark);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/**
 * Runs the probe from `firstGuess` (exported for tests: the test server's Python is the
 * usual first guess, so only a wrong one exercises the retry).
 */
export async function probeExecutorPythonVersion(spark: SparkSession, firstGuess = FIRST_GUESS): Promise<string> {
  let guess = firstGuess;
  const tried: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    tried.push(guess);
    try {
      const shim = shimModule();
      await ensureArtifacts(spark, [{ name: `pyfiles/${shim.fileName}`, data: Buffer.from(shim.source, 'utf8') }]);
      rememberExecutorPlatform(spark, shim.moduleName, await runExecutorProbe(spark, shim.moduleName, guess));
      return guess;
    } catch (e) {
      // With `tsapply` imported, SparkSession's error hook has already turned Spark's error
      // into an ExecutorSetupError (carrying the worker's version); without it, the raw text.
      if (e instanceof ExecutorSetupError && e.reason !== 'PYTHON_VERSION_MISMATCH') throw e;
      const found =
        e instanceof ExecutorSetupError ? e.workerPythonVersion : mismatchVersionIn(String((e as { serverMessage?: string }).serverMessage ?? (e as Error)?.message ?? e));
      if (found === undefined) throw e;
      guess = found;
    }
  }
  throw new ExecutorSetupError(
    `Could not determine the Python version of the Spark executors (tried ${tried.join(', ')}). Set ${PYTHON_VER_ENV}=<major.minor> to the executors' Python version.`,
    { reason: 'PYTHON_VER_UNKNOWN' },
  );
}

/** The worker's version in a raw `[PYTHON_VERSION_MISMATCH]` text; throws other executor-setup problems. */
function mismatchVersionIn(message: string): string | undefined {
  const setup = executorSetupProblem(message);
  if (setup) throw setup;
  return message.includes('PYTHON_VERSION_MISMATCH') ? workerVersionFromMismatch(message) : undefined;
}
