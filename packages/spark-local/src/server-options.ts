/**
 * Options of startSparkConnect(), in two stages: `StartSparkConnectOptions` (what callers
 * pass, everything optional) and `ResolvedServerOptions` (defaulted and validated once).
 */
import { join } from 'node:path';
import { cacheDir, readOptions, shownValue } from '@tsapply/common';
import { resolveSparkVersion } from './spark-version.js';

export type SparkLocalMode = 'local' | 'cluster' | 'standalone';

export interface StartSparkConnectOptions {
  /**
   * Spark master URL for `mode: 'local'`. Must not be combined with `mode: 'cluster'`.
   * @default 'local[2]'
   */
  master?: string;
  /** gRPC port of the Connect server. @default 15002 */
  port?: number;
  /** PyPI pyspark release. @default DEFAULT_SPARK_VERSION ('4.3.0'), or $TSAPPLY_SPARK_VERSION */
  sparkVersion?: string;
  /** Extra Spark confs (`--conf k=v`); they override tsapply's small-machine defaults. @default {} */
  conf?: Record<string, string>;
  /** Require clients to send `authorization: Bearer <token>`. @default undefined (no auth; loopback only) */
  token?: string;
  /**
   * `'local'`: one JVM runs driver and tasks. `'cluster'`: `local-cluster[executors,1,1024]`,
   * i.e. a master and workers inside the server JVM and one separate executor JVM per
   * executor, so work really runs in several processes. `'standalone'`: Spark's own
   * standalone Master and `workers` Worker processes (`spark-class …Master` / `…Worker`)
   * with the Connect server attached to the master, as on a real cluster.
   * @default 'local'
   */
  mode?: SparkLocalMode;
  /** Executor processes in `'cluster'` mode (1 core, 1 GiB each). @default 2 */
  executors?: number;
  /**
   * `'standalone'` mode: Spark standalone Worker processes (1 core, 1 GiB each, one
   * executor each) beside a Master, all on 127.0.0.1 — a real cluster on one machine.
   * @default 2
   */
  workers?: number;
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
  /**
   * The Python the executors' workers run (must have pyspark and pyarrow). For trying
   * executors set up differently from this machine, e.g. a wrapper script that runs the
   * managed venv's python with another PATH. @default the managed venv's python
   */
  pythonExecutable?: string;
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
  workers: number;
  stateDir: string;
  driverMemory: string;
  timeoutMs: number;
  pythonExecutable: string | undefined;
  onProgress: (line: string) => void;
}

export const DEFAULT_PORT = 15002;

/** Default state directory shared by the CLI and every caller that does not pass one. */
export function defaultStateDir(): string {
  return join(cacheDir(), 'spark', 'run');
}

const KNOWN = [
  'master', 'port', 'sparkVersion', 'conf', 'token', 'mode', 'executors', 'workers', 'stateDir', 'driverMemory', 'timeoutMs', 'pythonExecutable', 'onProgress',
] as const;

/**
 * Checks every option once, with the shared toolkit, and fills in defaults. Throws
 * InvalidOptionError naming the option (`startSparkConnect()` rejects with it).
 */
export function resolveServerOptions(options: StartSparkConnectOptions = {}, fn = 'startSparkConnect()'): ResolvedServerOptions {
  const o = readOptions(fn, options, KNOWN);
  const mode = o.oneOf('mode', ['local', 'cluster', 'standalone']) ?? 'local';
  const port = o.get('port') ?? DEFAULT_PORT;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) o.fail('port', 'an integer from 1 to 65535');
  if (o.has('executors') && mode !== 'cluster') {
    o.reject('executors', `options.executors only applies to mode 'cluster' (got mode '${mode}'). Pass mode: 'cluster' (CLI: --cluster).`);
  }
  const executors = o.get('executors') ?? 2;
  if (typeof executors !== 'number' || !Number.isInteger(executors) || executors < 1 || executors > 16) o.fail('executors', 'an integer from 1 to 16');
  if (o.has('workers') && mode !== 'standalone') {
    o.reject('workers', `options.workers only applies to mode 'standalone' (got mode '${mode}'). Pass mode: 'standalone' (CLI: --standalone).`);
  }
  const workers = o.get('workers') ?? 2;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 8) o.fail('workers', 'an integer from 1 to 8');
  if (o.has('master') && mode === 'standalone') {
    o.reject('master', "options.master and mode 'standalone' conflict: standalone mode starts its own master (spark://127.0.0.1:<port>). Pass one or the other.");
  }
  if (o.has('master') && mode === 'cluster') {
    o.reject(
      'master',
      `options.master and mode 'cluster' conflict: cluster mode sets the master itself (local-cluster[${executors},1,1024]). Pass one or the other.`,
    );
  }
  // Standalone: the master's URL is known once its port is chosen (startSparkConnect fills it in).
  const master = o.get('master') ?? (mode === 'cluster' ? `local-cluster[${executors},1,1024]` : mode === 'standalone' ? 'spark://127.0.0.1' : 'local[2]');
  if (typeof master !== 'string' || master.trim() === '' || /\s/.test(master)) o.fail('master', 'a Spark master URL like "local[2]"');
  const conf = o.object('conf', 'an object of string values') ?? {};
  for (const [k, v] of Object.entries(conf)) {
    if (typeof v !== 'string') o.reject('conf', `options.conf["${k}"] must be a string, got ${typeof v}.`);
    if (!k.startsWith('spark.')) o.reject('conf', `options.conf key "${k}" is not a Spark conf: keys start with "spark.".`);
  }
  const token = o.get('token');
  if (token !== undefined && (typeof token !== 'string' || token === '' || /[\s;]/.test(token))) {
    o.reject('token', 'options.token must be a non-empty string without spaces or ";".');
  }
  const bind = (conf as Record<string, string>)['spark.connect.grpc.binding.address'];
  if (bind !== undefined && !['127.0.0.1', '::1', 'localhost'].includes(bind) && token === undefined) {
    // Anyone who reaches the port could run code on this machine.
    o.reject(
      'conf',
      `options.conf["spark.connect.grpc.binding.address"] is "${bind}", beyond this machine, but no token is set: anyone who reaches the port could run code here. Add a token (--token, or options.token) or listen on 127.0.0.1.`,
    );
  }
  const timeoutMs = o.get('timeoutMs') ?? 300_000;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) o.fail('timeoutMs', 'a positive number of milliseconds');
  const driverMemory = o.get('driverMemory') ?? '1g';
  if (typeof driverMemory !== 'string' || !/^\d+[kmgt]?$/i.test(driverMemory)) {
    o.reject('driverMemory', `options.driverMemory must look like "1g" or "512m", got ${shownValue(driverMemory)}.`);
  }
  const onProgress = o.function<(line: string) => void>('onProgress');
  return {
    master: master as string,
    port: port as number,
    sparkVersion: resolveSparkVersion(o.string('sparkVersion', 'a Spark release like "4.3.0"')),
    conf: { ...(conf as Record<string, string>) },
    token: token as string | undefined,
    mode,
    executors: executors as number,
    workers: workers as number,
    stateDir: o.string('stateDir', 'a folder path') ?? defaultStateDir(),
    driverMemory: driverMemory as string,
    timeoutMs: timeoutMs as number,
    pythonExecutable: o.string('pythonExecutable', 'the path of a python executable'),
    onProgress: onProgress ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}
