/**
 * startSparkConnect(): launches a Spark Connect server from the project-managed
 * environment and resolves once it answers gRPC.
 *
 * The server is `spark-submit --class …SparkConnectServer` from the pyspark install,
 * spawned detached (it leads its own process group, so stopping it also ends its
 * executors and Python workers, and nothing else), with stdout+stderr in its own log
 * file. Its pid and address go to `<stateDir>/server-<port>.json` for `stop`/`status`.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PortInUseError, SparkAlreadyRunningError, SparkStartError } from './errors.js';
import { detectJava } from './java.js';
import { readLogTail } from './log-tail.js';
import { findFreePort, findListeningPid, isPortFree, LOOPBACK } from './ports.js';
import { probeSparkConnect } from './probe.js';
import { killProcessGroup } from './process-utils.js';
import { ensurePythonEnv, type PythonEnv } from './python-env.js';
import { resolveServerOptions, type ResolvedServerOptions, type StartSparkConnectOptions } from './server-options.js';
import { readServerState, removeServerState, writeServerState, type SparkServerState } from './server-state.js';
import { isManagedServerAlive, stopSparkConnect } from './stop-server.js';

export const CONNECT_SERVER_CLASS = 'org.apache.spark.sql.connect.service.SparkConnectServer';

/** Lines of the log quoted in start errors. */
const LOG_TAIL_LINES = 30;

/** A running managed server. */
export interface SparkConnectServer {
  /** Connection string for clients, `sc://localhost:PORT` (plus `/;token=…` with a token). */
  address: string;
  port: number;
  /** Pid of the server JVM (leader of its process group). */
  pid: number;
  /** Path of its log file. */
  log: string;
  master: string;
  /** Spark version it runs. */
  version: string;
  /** Interpreter of the Python workers (the managed venv's python). */
  python: string;
  /** `major.minor` of that interpreter. */
  pythonVersion: string;
  /** Ends this server (its whole process group) and removes its state file. */
  stop(): Promise<void>;
}

/**
 * Starts a managed Spark Connect server; creates the Python environment first when
 * needed (minutes, once). Rejects with InvalidOptionError (a bad option, before anything
 * starts), MissingPrerequisiteError, PythonEnvError, PortInUseError,
 * SparkAlreadyRunningError or SparkStartError.
 */
export async function startSparkConnect(options: StartSparkConnectOptions = {}): Promise<SparkConnectServer> {
  const o = resolveServerOptions(options);
  const stateDir = resolve(o.stateDir);
  const previous = readServerState(stateDir, o.port);
  if (previous) {
    if (isManagedServerAlive(previous)) {
      throw SparkAlreadyRunningError.fromFields({ pid: previous.pid, address: previous.address, port: o.port, stateDir });
    }
    removeServerState(stateDir, o.port); // left behind by a server that died
  }
  const java = await detectJava();
  const env = await ensurePythonEnv({ sparkVersion: o.sparkVersion, onProgress: o.onProgress });
  if (!(await isPortFree(o.port))) throw PortInUseError.fromFields({ port: o.port, pid: findListeningPid(o.port) });

  mkdirSync(stateDir, { recursive: true });
  const log = join(stateDir, `spark-connect-${o.port}.log`);
  const logFd = openSync(log, 'w');
  // Printed and recorded without the token; clients get it back in `connectionString`.
  const address = `sc://localhost:${o.port}`;
  const connectionString = o.token !== undefined ? `${address}/;token=${o.token}` : address;
  o.onProgress(`[spark-local] Starting Spark Connect ${o.sparkVersion} (${o.master}) on port ${o.port}; log: ${log}`);
  const started = Date.now();
  const standalone = o.mode === 'standalone' ? await standaloneCluster(o, stateDir) : undefined;
  if (standalone) o.master = standalone.masterUrl;
  const [command, args] = standalone
    ? ['/bin/sh', ['-c', standalone.script, 'tsapply-spark-standalone', join(env.sparkHome, 'bin', 'spark-submit'), ...submitArgs(o, env)]]
    : [join(env.sparkHome, 'bin', 'spark-submit'), submitArgs(o, env)];
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...serverEnv(o, env, java.javaHome), ...standalone?.env },
  });
  closeSync(logFd);
  let exit: string | undefined;
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  child.once('exit', (code, signal) => {
    exit = signal ?? `code ${code}`;
  });
  const pid = child.pid;
  if (pid === undefined) await spawnError; // spawn failed synchronously: 'error' carries why
  child.unref();

  const state: SparkServerState = {
    pid: pid!,
    port: o.port,
    address,
    authenticated: o.token !== undefined,
    master: o.master,
    mode: o.mode,
    version: o.sparkVersion,
    log,
    startedAt: new Date(started).toISOString(),
    python: env.python,
  };
  writeServerState(stateDir, state, o.token);

  const deadline = started + o.timeoutMs;
  for (;;) {
    if (exit !== undefined) {
      removeServerState(stateDir, o.port);
      // The JVM may have left workers behind in its group; end them too.
      await killProcessGroup(state.pid, 2000);
      throw startError('exited', `The Spark Connect server exited with ${exit} during start.`, log, exit);
    }
    if ((await probeSparkConnect(o.port, o.token, 2000)) === 'ready') break;
    if (Date.now() > deadline) {
      await killProcessGroup(state.pid);
      removeServerState(stateDir, o.port);
      throw startError(
        'timeout',
        `The Spark Connect server did not answer on port ${o.port} within ${Math.round(o.timeoutMs / 1000)} s; it was stopped.`,
        log,
      );
    }
    await sleep(500);
  }
  o.onProgress(`[spark-local] Spark Connect ready at ${address} (pid ${state.pid}) after ${Math.round((Date.now() - started) / 1000)} s`);
  return {
    address: connectionString,
    port: o.port,
    pid: state.pid,
    log,
    master: o.master,
    version: o.sparkVersion,
    python: env.python,
    pythonVersion: env.pythonVersion,
    stop: async () => {
      await stopSparkConnect({ stateDir, port: o.port, pid: state.pid });
    },
  };
}

function startError(reason: 'exited' | 'timeout', what: string, log: string, exitStatus?: string): SparkStartError {
  const logTail = readLogTail(log, LOG_TAIL_LINES);
  return new SparkStartError(`${what} Last lines of ${log}:\n${logTail || '(the log is empty)'}`, { reason, exitStatus, log, logTail });
}

/** spark-submit arguments: tsapply's small-machine defaults first, the caller's confs last (they win). */
function submitArgs(o: ResolvedServerOptions, env: PythonEnv): string[] {
  const conf: Record<string, string> = {
    'spark.app.name': 'tsapply-spark-local',
    'spark.connect.grpc.binding.port': String(o.port),
    // Loopback only: without a token anyone who reaches the port can run code.
    'spark.connect.grpc.binding.address': LOOPBACK,
    // Fail instead of silently moving to the next port when ours was taken meanwhile.
    'spark.connect.grpc.port.maxRetries': '0',
    'spark.driver.host': LOOPBACK,
    'spark.driver.bindAddress': LOOPBACK,
    'spark.ui.enabled': 'false',
    'spark.sql.shuffle.partitions': '4',
    'spark.python.worker.reuse': 'true',
    'spark.pyspark.python': o.pythonExecutable ?? env.python,
    'spark.pyspark.driver.python': env.python,
  };
  if (o.mode === 'cluster' || o.mode === 'standalone') {
    // Fits the 1024 MB each local-cluster or standalone worker offers.
    conf['spark.executor.memory'] = '768m';
    conf['spark.executor.cores'] = '1';
    // Wait (up to 30 s) for every executor before the first job, so work spreads over all of them.
    // Spark's standalone scheduler (local-cluster uses it too) counts the cores it expects from
    // spark.cores.max only; unset, it expects 0 and the ratio is met before any executor joins,
    // so a job could start on the first Worker alone.
    conf['spark.scheduler.minRegisteredResourcesRatio'] = '1.0';
    const expectedCores = o.mode === 'standalone' ? o.workers : localClusterCores(o.master);
    if (expectedCores !== undefined) conf['spark.cores.max'] = String(expectedCores);
  }
  Object.assign(conf, o.conf);
  const args = ['--class', CONNECT_SERVER_CLASS, '--master', o.master, '--driver-memory', o.driverMemory];
  for (const [k, v] of Object.entries(conf)) args.push('--conf', `${k}=${v}`);
  // pip's pyspark has carried the Connect server jar since 4.0; fetch it only if absent.
  // (3.5's pip package has no Connect jar, and its Spark is built for Scala 2.12.)
  if (!env.connectJar) args.push('--packages', `org.apache.spark:spark-connect_${scalaBinaryVersion(env.sparkHome)}:${o.sparkVersion}`);
  return args;
}

/** The Scala line Spark's own jars were built for (`2.13`, or `2.12` for Spark 3.5), read from `jars/spark-core_<line>-….jar`. */
function scalaBinaryVersion(sparkHome: string): string {
  const core = readdirSync(join(sparkHome, 'jars')).find((f) => /^spark-core_\d+\.\d+-/.test(f));
  return /^spark-core_(\d+\.\d+)-/.exec(core ?? '')?.[1] ?? '2.13';
}

/** Cores a `local-cluster[executors,coresEach,memoryMb]` master offers, if it is one. */
function localClusterCores(master: string): number | undefined {
  const m = /^local-cluster\[\s*(\d+)\s*,\s*(\d+)\s*,/.exec(master);
  return m ? Number(m[1]) * Number(m[2]) : undefined;
}

function serverEnv(o: ResolvedServerOptions, env: PythonEnv, javaHome: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    SPARK_HOME: env.sparkHome,
    JAVA_HOME: javaHome,
    // Spark Connect's planner takes the workers' Python from this variable only (not the conf).
    PYSPARK_PYTHON: o.pythonExecutable ?? env.python,
    PYSPARK_DRIVER_PYTHON: env.python,
    SPARK_LOCAL_IP: LOOPBACK,
  };
  // spark-submit treats SPARK_REMOTE as "--remote", which conflicts with --master; the
  // test runner exports it to tests that start servers of their own.
  delete e.SPARK_REMOTE;
  delete e.SPARK_CONNECT_MODE_ENABLED;
  delete e.SPARK_CONF_DIR;
  delete e.PYSPARK_SUBMIT_ARGS;
  // Through the environment, not --conf, so the token is not visible in `ps`.
  if (o.token !== undefined) e.SPARK_CONNECT_AUTHENTICATE_TOKEN = o.token;
  else delete e.SPARK_CONNECT_AUTHENTICATE_TOKEN;
  return e;
}

/**
 * Master and Workers run without the server's token: only the Connect server checks it,
 * and executors launched by a Worker (with the job's code in them) would inherit it.
 */
const NO_TOKEN = 'env -u SPARK_CONNECT_AUTHENTICATE_TOKEN';

/**
 * A Spark standalone cluster on loopback: Spark's own Master and `o.workers` Worker
 * processes (`bin/spark-class org.apache.spark.deploy.master.Master` / `…worker.Worker`),
 * each with its log next to the server's and its work folder in the state folder. They
 * are started by one shell that then becomes the Connect server (`exec spark-submit`), so
 * master, workers, executors and their Python and Node workers all share the server's
 * process group: stopping the server ends the whole cluster, and nothing else.
 * Workers and the server's application retry registering with the master while it starts.
 */
async function standaloneCluster(o: ResolvedServerOptions, stateDir: string): Promise<{ masterUrl: string; script: string; env: Record<string, string> }> {
  const masterPort = await findFreePort();
  const masterUrl = `spark://${LOOPBACK}:${masterPort}`;
  const env: Record<string, string> = {
    TSAPPLY_MASTER_LOG: join(stateDir, `spark-master-${o.port}.log`),
    // Spark's scripts read these; the web UIs get free ports rather than 8080/8081.
    SPARK_MASTER_WEBUI_PORT: String(await findFreePort()),
    SPARK_LOCAL_IP: LOOPBACK,
  };
  const lines = [
    'set -e',
    `${NO_TOKEN} "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host ${LOOPBACK} --port ${masterPort} --webui-port "$SPARK_MASTER_WEBUI_PORT" >"$TSAPPLY_MASTER_LOG" 2>&1 &`,
  ];
  for (let i = 1; i <= o.workers; i++) {
    env[`TSAPPLY_WORKER_${i}_LOG`] = join(stateDir, `spark-worker-${o.port}-${i}.log`);
    env[`TSAPPLY_WORKER_${i}_DIR`] = join(stateDir, `spark-work-${o.port}-${i}`);
    env[`TSAPPLY_WORKER_${i}_UI`] = String(await findFreePort());
    lines.push(
      `mkdir -p "$TSAPPLY_WORKER_${i}_DIR"`,
      `${NO_TOKEN} "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host ${LOOPBACK} --cores 1 --memory 1g ` +
        `--webui-port "$TSAPPLY_WORKER_${i}_UI" --work-dir "$TSAPPLY_WORKER_${i}_DIR" ${masterUrl} >"$TSAPPLY_WORKER_${i}_LOG" 2>&1 &`,
    );
  }
  // "$@" is spark-submit and its arguments (given after the script, so no quoting is needed).
  lines.push('exec "$@"');
  return { masterUrl, script: lines.join('\n'), env };
}
