/**
 * What the Spark executors run on — OS, architecture, libc — and whether they have a
 * usable `node`, learnt the way the executors' Python version is: a one-task probe job
 * (`spark.range(1)` through the shim's `make_probe_command`, which answers with one JSON
 * row from `describe_executor()`). One probe per server per driver process; it needs the
 * shim module uploaded to the session first.
 *
 * A probe runs on ONE executor: a cluster whose hosts differ is described by whichever
 * ran it. The shim still prefers a local node on each host, so only a host that lacks one
 * AND differs from the probed one fails, with a message that says what to do.
 */
import type { SparkSession } from '@tsapply/spark-connect';
import { ExecutorSetupError } from '../errors.js';
import { pickleCall } from '../pickle-command.js';
import { probePlan } from '../udf-plan.js';

/** One executor as the shim's `describe_executor()` reports it. */
export interface ExecutorPlatform {
  /** `platform.system()` lower-cased: `linux`, `darwin`, `windows`. */
  system: string;
  /** `platform.machine()` lower-cased: `x86_64`, `aarch64`, `arm64`, `amd64`, … */
  machine: string;
  /** `glibc`, `musl`, or null when unknown (macOS). */
  libc: string | null;
  /** e.g. `2.36`; null for musl and macOS. */
  libcVersion: string | null;
  /** The executor Python's `major.minor`. */
  python: string;
  /** A local node >= 20 the shim would use, or null. */
  node: string | null;
  nodeVersion: string | null;
  /** Why no local node is usable, when `node` is null. */
  nodeProblem: string | null;
}

/** The platform key a Node build is made for: `linux-x64-glibc`, `linux-arm64-musl`, `darwin-arm64`. */
export interface NodePlatform {
  os: 'linux' | 'darwin';
  arch: 'x64' | 'arm64';
  /** Linux only. */
  libc: 'glibc' | 'musl' | null;
  /** Linux glibc only: the executor's glibc version, which bounds the builds it can run. */
  glibc: [number, number] | null;
}

export function platformKey(p: NodePlatform): string {
  return [p.os, p.arch, p.libc].filter(Boolean).join('-');
}

const ARCH: Record<string, NodePlatform['arch']> = { x86_64: 'x64', amd64: 'x64', x64: 'x64', aarch64: 'arm64', arm64: 'arm64', armv8l: 'arm64' };

/** The Node platform of an executor, or an ExecutorSetupError naming what no official build covers. */
export function nodePlatformOf(e: ExecutorPlatform): NodePlatform {
  const arch = ARCH[e.machine];
  const os = e.system === 'linux' || e.system === 'darwin' ? e.system : undefined;
  const libc = os === 'linux' ? (e.libc === 'glibc' || e.libc === 'musl' ? e.libc : null) : null;
  if (arch === undefined || os === undefined || (os === 'linux' && libc === null)) {
    const what = `${e.system} ${e.machine}${e.libc ? ` (${e.libc}${e.libcVersion ? ` ${e.libcVersion}` : ''})` : ''}`;
    throw new ExecutorSetupError(
      `The Spark executors run ${what}, a platform tsapply has no Node.js build to ship for ` +
        '(it ships official builds for Linux x86_64/aarch64 with glibc or musl, and macOS x86_64/arm64). ' +
        'Install Node.js 20+ on the executors and pass --executor-node /path/to/node (executorNode in the library).',
      { reason: 'NO_NODE_BUILD' },
    );
  }
  const m = libc === 'glibc' && e.libcVersion ? /^(\d+)\.(\d+)/.exec(e.libcVersion) : null;
  return { os, arch, libc, glibc: m ? [Number(m[1]), Number(m[2])] : null };
}

/** The driver's own platform, in the same terms (for shipping the driver's binary). */
export function driverPlatform(): NodePlatform | null {
  const os = process.platform === 'linux' || process.platform === 'darwin' ? process.platform : null;
  const arch = process.arch === 'x64' || process.arch === 'arm64' ? process.arch : null;
  if (os === null || arch === null) return null;
  if (os === 'darwin') return { os, arch, libc: null, glibc: null };
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = header?.glibcVersionRuntime;
  const m = glibc ? /^(\d+)\.(\d+)/.exec(glibc) : null;
  return { os, arch, libc: glibc ? 'glibc' : 'musl', glibc: m ? [Number(m[1]), Number(m[2])] : null };
}

const cache = new Map<string, Promise<ExecutorPlatform>>();

const cacheKey = (spark: SparkSession, shimModuleName: string) => `${spark.client.address} ${shimModuleName}`;

/**
 * Describes the executors (cached per server for this process; the probe that finds
 * the executors' Python version fills the cache as it goes). `shimModuleName` must
 * already be on the session (`pyfiles/`), `pythonVer` be the executors' Python.
 */
export function probeExecutorPlatform(spark: SparkSession, shimModuleName: string, pythonVer: string): Promise<ExecutorPlatform> {
  const key = cacheKey(spark, shimModuleName);
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = runExecutorProbe(spark, shimModuleName, pythonVer);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/** Keeps what a probe run for another reason (the Python version) learnt. */
export function rememberExecutorPlatform(spark: SparkSession, shimModuleName: string, platform: ExecutorPlatform): void {
  cache.set(cacheKey(spark, shimModuleName), Promise.resolve(platform));
}

/** One probe job, uncached; fails like any Python UDF when `pythonVer` is not the executors'. */
export async function runExecutorProbe(spark: SparkSession, shimModuleName: string, pythonVer: string): Promise<ExecutorPlatform> {
  const command = pickleCall(shimModuleName, 'make_probe_command', []);
  const table = await probePlan(spark, { command, outputDDL: 'info string', pythonVer, functionName: 'tsapply_executor_probe' }).toArrow();
  const info = table.getChild('info')?.get(0);
  if (typeof info !== 'string') {
    throw new ExecutorSetupError('The executor probe returned no description of the executors; re-run the job, or pass --executor-node /path/to/node.', {
      reason: 'PROBE_FAILED',
    });
  }
  return JSON.parse(info) as ExecutorPlatform;
}
