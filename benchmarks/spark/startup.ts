/**
 * Job start-up on Spark: (1) from spawning `tsapply run startup-job.ts --remote` to its
 * first result on stdout, next to a PySpark script running the same job; (2) start-up
 * of `df.mapInArrow` (bundle + serialize + upload, then the first result batch) as the
 * job's context grows (1 MB, 50 MB, 500 MB), with the `fast` and `zstd` serializers.
 *
 * Every start-up is a new Spark Connect session, as a new job is: artifacts are uploaded
 * per session, so nothing is skipped because an earlier run already shipped it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { verify } from '../lib/measure.js';
import type { SuiteContext } from '../lib/suite.js';
import { contextProbe } from './fns.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const CLI = join(REPO, 'packages', 'tsapply', 'bin', 'tsapply.js');

export interface SpawnTiming {
  /** From spawn to the first byte on stdout (the result), ms. */
  firstResultMs: number;
  /** From spawn to exit, ms. */
  exitMs: number;
  stdout: string;
}

/** Spawns a command; times its first stdout byte and its exit; rejects on a non-zero exit. */
export function timeSpawn(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO): Promise<SpawnTiming> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    let first: number | undefined;
    let stdout = '';
    let stderrTail = '';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      first ??= performance.now();
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderrTail = (stderrTail + d).slice(-3000)));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const end = performance.now();
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}). Last output:\n${stderrTail}`));
        return;
      }
      resolvePromise({ firstResultMs: (first ?? end) - t0, exitMs: end - t0, stdout });
    });
  });
}

export interface CliStartupFigures {
  /** First tsapply run with an empty tsapply cache (type-check, worker bundle), ms to first result. */
  tsapplyColdMs: number;
  tsapplyFirstResultMs: number[];
  tsapplyExitMs: number[];
  pysparkFirstRunMs: number;
  pysparkFirstResultMs: number[];
  pysparkExitMs: number[];
}

/** The CLI's table must show rows 0, 1, 2 with twice = 0, 2, 4. */
function cliProblem(stdout: string): string | undefined {
  for (const [id, twice] of [[0, 0], [1, 2], [2, 4]]) {
    if (!new RegExp(`\\|\\s*${id}\\s*\\|\\s*${twice}\\s*\\|`).test(stdout)) return `no row "${id} | ${twice}" in the output:\n${stdout}`;
  }
  return undefined;
}

function pysparkProblem(stdout: string): string | undefined {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return line === '{"rows": 1000, "first": [0, 0]}' ? undefined : `expected {"rows": 1000, "first": [0, 0]}, got ${line}`;
}

/**
 * Alternates tsapply and PySpark start-ups, `runs` of each after one untimed-for-the-median
 * first run of each (tsapply's with an empty cache: that one is reported as "cold").
 */
export async function cliStartup(ctx: SuiteContext, remote: string, python: string, runs: number): Promise<CliStartupFigures> {
  const cache = mkdtempSync(join(tmpdir(), 'tsapply-bench-cache-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TSAPPLY_CACHE_DIR: cache, PYTHONUNBUFFERED: '1' };
  delete env.TSAPPLY_PYTHON_VER; // a user's first run probes the executors' Python version
  const job = relative(REPO, join(HERE, 'startup-job.ts'));
  const tsArgs = [CLI, 'run', job, '--remote', remote, '--quiet', '--show', '3'];
  const pyArgs = [join(HERE, 'pyspark_startup.py'), '--remote', remote];
  const f: CliStartupFigures = { tsapplyColdMs: 0, tsapplyFirstResultMs: [], tsapplyExitMs: [], pysparkFirstRunMs: 0, pysparkFirstResultMs: [], pysparkExitMs: [] };
  try {
    const cold = await timeSpawn(process.execPath, tsArgs, env);
    verify('spark/startup/tsapply-cli', cliProblem(cold.stdout));
    f.tsapplyColdMs = cold.firstResultMs;
    const pyFirst = await timeSpawn(python, pyArgs, env);
    verify('spark/startup/pyspark', pysparkProblem(pyFirst.stdout));
    f.pysparkFirstRunMs = pyFirst.firstResultMs;
    ctx.log(`spark: start-up first runs: tsapply ${(cold.firstResultMs / 1000).toFixed(1)} s (cold cache), PySpark ${(pyFirst.firstResultMs / 1000).toFixed(1)} s`);
    for (let r = 0; r < runs; r++) {
      const ts = await timeSpawn(process.execPath, tsArgs, env);
      verify('spark/startup/tsapply-cli', cliProblem(ts.stdout));
      f.tsapplyFirstResultMs.push(ts.firstResultMs);
      f.tsapplyExitMs.push(ts.exitMs);
      const py = await timeSpawn(python, pyArgs, env);
      verify('spark/startup/pyspark', pysparkProblem(py.stdout));
      f.pysparkFirstResultMs.push(py.firstResultMs);
      f.pysparkExitMs.push(py.exitMs);
      ctx.log(`spark: start-up run ${r + 1}/${runs}: tsapply ${(ts.firstResultMs / 1000).toFixed(2)} s, PySpark ${(py.firstResultMs / 1000).toFixed(2)} s`);
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  return f;
}

export interface ContextCase {
  /** Context size label, e.g. `50 MB`. */
  label: string;
  bytes: number;
  serializer: 'fast' | 'zstd';
}

export interface ContextStartupFigures extends ContextCase {
  /** mapInArrow() resolved: bundle, serialize, frame, upload — ms per run. */
  shipMs: number[];
  /** From mapInArrow() resolving to the first result batch on the driver — ms per run. */
  firstBatchMs: number[];
  totalMs: number[];
  payloadBytes: number;
}

/**
 * Model weights of `bytes` bytes: values k/1000 for pseudo-random k in 0..999 (three
 * decimals, as quantised weights often are — compressible, unlike random doubles).
 */
export function makeWeights(bytes: number): Float64Array {
  const w = new Float64Array(Math.floor(bytes / 8));
  let s = 0x9e3779b9;
  for (let i = 0; i < w.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    w[i] = ((s >>> 0) % 1000) / 1000;
  }
  return w;
}

function expectedProbe(w: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < w.length; i += 4096) sum += w[i]!;
  return sum;
}

/** Start-up of one mapInArrow job per run, in a new session each time, per context case. */
export async function contextStartup(ctx: SuiteContext, remote: string, cases: ContextCase[], runs: number): Promise<ContextStartupFigures[]> {
  const { SparkSession, shipReport } = await import('tsapply');
  const out: ContextStartupFigures[] = [];
  let weights: Float64Array | undefined;
  // Payloads are cached by content under the tsapply cache: keep this suite's (up to
  // 500 MB each) in a temporary one, removed at the end.
  const savedCache = process.env.TSAPPLY_CACHE_DIR;
  const cache = mkdtempSync(join(tmpdir(), 'tsapply-bench-cache-'));
  process.env.TSAPPLY_CACHE_DIR = cache;
  try {
    for (const c of cases) {
      if (weights?.byteLength !== Math.floor(c.bytes / 8) * 8) {
        weights = undefined; // let the previous size go before allocating the next
        weights = makeWeights(c.bytes);
      }
      const context = { weights };
      const probe = expectedProbe(weights);
      const fig: ContextStartupFigures = { ...c, shipMs: [], firstBatchMs: [], totalMs: [], payloadBytes: 0 };
      // One extra first run (first case only) warms the driver side (module loading, the worker bundle); not counted.
      for (let r = out.length === 0 ? -1 : 0; r < runs; r++) {
        const spark = await SparkSession.connect(remote);
        try {
          const t0 = performance.now();
          const df = await spark.range(0, 2, 1, 1).mapInArrow(contextProbe, { schema: 'rows int, n bigint, probe double', context, serializer: c.serializer });
          const t1 = performance.now();
          let first: Record<string, unknown> | undefined;
          for await (const batch of df.toLocalIterator()) {
            if (batch.numRows > 0) {
              first = batch.get(0)?.toJSON() as Record<string, unknown>;
              break;
            }
          }
          const t2 = performance.now();
          const problem = first === undefined
            ? 'no result row'
            : first.rows !== 2 || first.n !== BigInt(weights.length) || first.probe !== probe
              ? `expected rows 2, n ${weights.length}, probe ${probe}; got ${JSON.stringify(first, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`
              : undefined;
          verify(`spark/context/${c.label}/${c.serializer}`, problem);
          fig.payloadBytes = shipReport(df)!.payloadBytes;
          if (r >= 0) {
            fig.shipMs.push(t1 - t0);
            fig.firstBatchMs.push(t2 - t1);
            fig.totalMs.push(t2 - t0);
          }
          ctx.log(`spark: context ${c.label} ${c.serializer}${r < 0 ? ' (warm-up)' : ` run ${r + 1}/${runs}`}: ship ${((t1 - t0) / 1000).toFixed(2)} s, first batch ${((t2 - t1) / 1000).toFixed(2)} s`);
        } finally {
          await spark.stop();
        }
      }
      out.push(fig);
    }
  } finally {
    if (savedCache === undefined) delete process.env.TSAPPLY_CACHE_DIR;
    else process.env.TSAPPLY_CACHE_DIR = savedCache;
    rmSync(cache, { recursive: true, force: true });
  }
  return out;
}
