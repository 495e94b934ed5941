/**
 * Options of startSparkConnect(), in two stages: `StartSparkConnectOptions` (what callers
 * pass, everything optional) and `ResolvedServerOptions` (defaulted and validated once).
 */
import { join } from 'node:path';
import { cacheDir } from '@tsapply/common';
import { SparkLocalOptionError } from './errors.js';
import { resolveSparkVersion } from './spark-version.js';

export type SparkLocalMode = 'local' | 'cluster';

export interface StartSparkConnectOptions {
  /**
   * Spark master URL for `mode: 'local'`. Must not be combined with `mode: 'cluster'`.
   * @default 'local[2]'
   */
  master?: string;
  /** gRPC port of the Connect server. @default 15002 */
  port?: number;
  /** PyPI pyspark release. @default DEFAULT_SPARK_VERSION ('4.1.1'), or $TSAPPLY_SPARK_VERSION */
  sparkVersion?: string;
  /** Extra Spark confs (`--conf k=v`); they override tsapply's small-machine defaults. @default {} */
  conf?: Record<string, string>;
  /** Require clients to send `authorization: Bearer <token>`. @default undefined (no auth; loopback only) */
  token?: string;
  /**
   * `'local'`: one JVM runs driver and tasks. `'cluster'`: `local-cluster[executors,1,1024]`,
   * i.e. a master and workers inside the server JVM and one separate executor JVM per
   * executor, so work really runs in several processes.
   * @default 'local'
   */
  mode?: SparkLocalMode;
  /** Executor processes in `'cluster'` mode (1 core, 1 GiB each). @default 2 */
  executors?: number;
  /** Directory of the state file and the server log. @default `<cacheDir()>/spark/run` */
  stateDir?: string;
  /** JVM heap of the server (driver). @default '1g' */
  driverMemory?: string;
  /**
   * Give up when the server has not answered after this long. A JVM start takes
   * 7–40 s on two cores, but several minutes when the machine is busy (CI running
   * other JVMs, a shared laptop): the default waits five.
   * @default 300_000
   */
  timeoutMs?: number;
  /** Progress lines (environment creation, start). @default writes to stderr */
  onProgress?: (line: string) => void;
}

export interface ResolvedServerOptions {
  master: string;
  port: number;
  sparkVersion: string;
  conf: Record<string, string>;
  token: string | undefined;
  mode: SparkLocalMode;
  executors: number;
  stateDir: string;
  driverMemory: string;
  timeoutMs: number;
  onProgress: (line: string) => void;
}

export const DEFAULT_PORT = 15002;

/** Default state directory shared by the CLI and every caller that does not pass one. */
export function defaultStateDir(): string {
  return join(cacheDir(), 'spark', 'run');
}

const KNOWN = [
  'master', 'port', 'sparkVersion', 'conf', 'token', 'mode', 'executors', 'stateDir', 'driverMemory', 'timeoutMs', 'onProgress',
];

/** Rejects any key of `options` not in `known` (catches typos); `fn` names the caller in the message. */
export function checkOptionKeys(options: object, known: readonly string[], fn: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new SparkLocalOptionError(`Invalid option in ${fn}: "${key}". Valid options: ${known.join(', ')}.`, key);
  }
}

/** Checks every option once and fills in defaults. Throws SparkLocalOptionError. */
export function resolveServerOptions(options: StartSparkConnectOptions = {}, fn = 'startSparkConnect()'): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SparkLocalOptionError(`${fn} expects an options object, got ${options === null ? 'null' : typeof options}.`, 'options');
  }
  checkOptionKeys(options, KNOWN, fn);
  const mode = options.mode ?? 'local';
  if (mode !== 'local' && mode !== 'cluster') {
    throw new SparkLocalOptionError(`options.mode must be 'local' or 'cluster', got ${JSON.stringify(mode)}.`, 'mode');
  }
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SparkLocalOptionError(`options.port must be an integer from 1 to 65535, got ${JSON.stringify(port)}.`, 'port');
  }
  if (options.executors !== undefined && mode !== 'cluster') {
    throw new SparkLocalOptionError(`options.executors only applies to mode 'cluster' (got mode '${mode}'). Pass mode: 'cluster' (CLI: --cluster).`, 'executors');
  }
  const executors = options.executors ?? 2;
  if (!Number.isInteger(executors) || executors < 1 || executors > 16) {
    throw new SparkLocalOptionError(`options.executors must be an integer from 1 to 16, got ${JSON.stringify(executors)}.`, 'executors');
  }
  if (options.master !== undefined && mode === 'cluster') {
    throw new SparkLocalOptionError(
      `options.master and mode 'cluster' conflict: cluster mode sets the master itself (local-cluster[${executors},1,1024]). Pass one or the other.`,
      'master',
    );
  }
  const master = options.master ?? (mode === 'cluster' ? `local-cluster[${executors},1,1024]` : 'local[2]');
  if (typeof master !== 'string' || master.trim() === '' || /\s/.test(master)) {
    throw new SparkLocalOptionError(`options.master must be a Spark master URL like "local[2]", got ${JSON.stringify(master)}.`, 'master');
  }
  const conf = options.conf ?? {};
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf)) {
    throw new SparkLocalOptionError(`options.conf must be an object of string values, got ${Array.isArray(conf) ? 'an array' : typeof conf}.`, 'conf');
  }
  for (const [k, v] of Object.entries(conf)) {
    if (typeof v !== 'string') {
      throw new SparkLocalOptionError(`options.conf["${k}"] must be a string, got ${typeof v}.`, 'conf');
    }
    if (!k.startsWith('spark.')) {
      throw new SparkLocalOptionError(`options.conf key "${k}" is not a Spark conf: keys start with "spark.".`, 'conf');
    }
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '' || /[\s;]/.test(options.token))) {
    throw new SparkLocalOptionError('options.token must be a non-empty string without spaces or ";".', 'token');
  }
  const timeoutMs = options.timeoutMs ?? 300_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SparkLocalOptionError(`options.timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}.`, 'timeoutMs');
  }
  const driverMemory = options.driverMemory ?? '1g';
  if (!/^\d+[kmgt]?$/i.test(driverMemory)) {
    throw new SparkLocalOptionError(`options.driverMemory must look like "1g" or "512m", got ${JSON.stringify(driverMemory)}.`, 'driverMemory');
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new SparkLocalOptionError('options.onProgress must be a function.', 'onProgress');
  }
  return {
    master,
    port,
    sparkVersion: resolveSparkVersion(options.sparkVersion),
    conf: { ...conf },
    token: options.token,
    mode,
    executors,
    stateDir: options.stateDir ?? defaultStateDir(),
    driverMemory,
    timeoutMs,
    onProgress: options.onProgress ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}
