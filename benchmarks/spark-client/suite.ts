/**
 * Spark client suite: how fast a result comes back from Spark Connect, tsapply's client
 * next to PySpark's own Connect client, on the same server in the same run.
 *
 * The result is `spark.range(rows)` with derived bigint, double, string, boolean and
 * timestamp columns (`query.ts`); 10 M rows in full mode, 1 M with `--quick`. Each client
 * runs in its own process (`ts-client.ts`, `pyspark_collect.py`), checks one warm-up
 * result column by column against closed-form checksums, then times several calls.
 * Order: tsapply toArrow, PySpark toArrow and collect, then tsapply stream and collect, so the
 * headline pair runs back to back.
 *
 * The server is a managed one from `@tsapply/spark-local` (local[2], its own port and
 * state directory, stopped at the end) unless `SPARK_REMOTE` names one. Set
 * `SPARK_CLIENT_BENCH_CPU_PROF=<dir>` to write a V8 CPU profile of the tsapply process
 * there (read it with `profile-summary.ts`); set `SPARK_CLIENT_BENCH_MODULE=<path to another
 * build's dist/index.js>` to measure that build of the tsapply client instead.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupedBarChart, type ChartSpec } from '../lib/charts.js';
import { sparkTarget } from '../lib/spark-target.js';
import { median, mbPerSecond, verify } from '../lib/measure.js';
import type { BenchmarkSuite, ReportTable, SuiteContext, SuiteResult } from '../lib/suite.js';
import { checksumProblem, expectedChecksums, SELECT_EXPRS, type Checksums } from './query.js';
import type { ClientReport } from './ts-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Heap for the tsapply process: `collect()` of 10 M rows holds ~2 GB of row objects. */
const TS_HEAP_MB = 8192;

interface PathFigure {
  /** Row label, e.g. `tsapply toArrow()`. */
  path: string;
  client: 'tsapply' | 'pyspark';
  mode: string;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  rowsPerS: number;
  mbPerS: number;
  /** PySpark toArrow median / this median (>1 = this path is faster). */
  vsPyspark: number;
  /** PySpark's median for the same kind of result (collect for collect, else toArrow) / this median. */
  vsPysparkSameKind: number;
  /** Client process CPU time per call (user + system, all threads), ms. */
  cpuMs: number[];
  medianCpuMs: number;
  /** PySpark's median client CPU / this one (>1 = this client spends less CPU). */
  cpuVsPyspark: number;
}

/** Runs a client script; resolves to the JSON it prints. Its stderr lines go to the log. */
function runClient(command: string, args: string[], ctx: SuiteContext): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderrTail = (stderrTail + d).slice(-4000);
      for (const line of d.split('\n')) if (line.startsWith('[ts-client]') || line.startsWith('[pyspark-client]')) ctx.log(line);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}). Last output:\n${stderrTail}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientReport);
      } catch (e) {
        reject(new Error(`${command} printed no JSON report (${(e as Error).message}). Output:\n${stdout.slice(-2000)}`));
      }
    });
  });
}

function tsClientArgs(remote: string, rows: number, runs: number, modes: string[]): string[] {
  const args = [`--max-old-space-size=${TS_HEAP_MB}`, '--expose-gc'];
  const profDir = process.env.SPARK_CLIENT_BENCH_CPU_PROF;
  if (profDir) args.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  args.push('--import', 'tsx', join(HERE, 'ts-client.ts'), '--remote', remote, '--rows', String(rows), '--runs', String(runs), '--modes', modes.join(','));
  return args;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const fmtRatio = (n: number): string => `${fmt(n, 2)}×`;
const PATH_LABELS: Record<string, string> = {
  'tsapply/toArrow': 'tsapply toArrow()',
  'tsapply/stream': 'tsapply for await (stream)',
  'tsapply/collect': 'tsapply collect() rows',
  'pyspark/toArrow': 'PySpark toArrow()',
  'pyspark/collect': 'PySpark collect() Rows',
};

function checkClient(report: ClientReport, expected: Checksums): void {
  for (const [mode, m] of Object.entries(report.modes)) {
    verify(`spark-client/${report.client}/${mode}`, checksumProblem(expected, m.checksums));
  }
}

/** The rows/s bar chart (exported to redraw a report from its latest.json). */
export function throughputChart(figures: readonly { path: string; rowsPerS: number }[], rows: number): ChartSpec {
  return groupedBarChart(
    figures.map((f) => ({ result: `${fmt(rows / 1e6)}M rows × 5 columns`, path: f.path, rowsPerS: Math.round(f.rowsPerS) })),
    { title: 'Spark Connect result throughput', group: 'result', series: 'path', value: 'rowsPerS', valueTitle: 'rows/s (higher is better)', log: false },
  );
}

export const suite: BenchmarkSuite = {
  name: 'spark-client',
  title: 'Spark Connect client benchmarks',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const rows = Math.max(1000, Math.round((ctx.quick ? 1_000_000 : 10_000_000) * ctx.scale));
    // Each call moves the whole result; 5 timed calls per path (3 in quick mode) is enough for a median.
    const runs = ctx.quick ? Math.min(ctx.profile.runs, 3) : Math.min(ctx.profile.runs, 5);
    const expected = expectedChecksums(rows);
    const target = await sparkTarget(ctx);
    let ts1: ClientReport;
    let py: ClientReport;
    let ts2: ClientReport;
    try {
      ctx.log(`spark-client: ${fmt(rows)} rows, ${runs} timed runs per path, against ${target.remote}`);
      // The server's JIT warms over its first fetches (measured: tsapply's first toArrow calls
      // after a start took 530–700 ms, the same calls later 360–480): warm it first, untimed,
      // so the first client measured is not the one that pays for it.
      ctx.log('spark-client: warming the server (untimed)');
      await runClient(process.execPath, tsClientArgs(target.remote, rows, runs, ['toArrow', 'stream']), ctx);
      ts1 = await runClient(process.execPath, tsClientArgs(target.remote, rows, runs, ['toArrow']), ctx);
      checkClient(ts1, expected);
      py = await runClient(target.python, [join(HERE, 'pyspark_collect.py'), '--remote', target.remote, '--rows', String(rows), '--runs', String(runs), '--exprs', JSON.stringify(SELECT_EXPRS)], ctx);
      checkClient(py, expected);
      ts2 = await runClient(process.execPath, tsClientArgs(target.remote, rows, runs, ['stream', 'collect']), ctx);
      checkClient(ts2, expected);
    } finally {
      await target.stop();
    }

    const bytes = ts1.arrowBytes;
    const pyMedian = median(py.modes.toArrow!.samplesMs);
    const pyCpuMedian = median(py.modes.toArrow!.cpuMs);
    const figures: PathFigure[] = [];
    const pyCollectMedian = median(py.modes.collect!.samplesMs);
    for (const [report, mode] of [[ts1, 'toArrow'], [ts2, 'stream'], [ts2, 'collect'], [py, 'toArrow'], [py, 'collect']] as const) {
      const { samplesMs, cpuMs } = report.modes[mode]!;
      const medianMs = median(samplesMs);
      const medianCpuMs = median(cpuMs);
      figures.push({
        path: PATH_LABELS[`${report.client}/${mode}`]!,
        client: report.client as 'tsapply' | 'pyspark',
        mode,
        samplesMs,
        medianMs,
        minMs: Math.min(...samplesMs),
        maxMs: Math.max(...samplesMs),
        rowsPerS: rows / (medianMs / 1000),
        mbPerS: mbPerSecond(bytes, medianMs),
        vsPyspark: pyMedian / medianMs,
        vsPysparkSameKind: (mode === 'collect' ? pyCollectMedian : pyMedian) / medianMs,
        cpuMs,
        medianCpuMs,
        cpuVsPyspark: pyCpuMedian / medianCpuMs,
      });
    }

    const throughput: ReportTable = {
      title: `Fetching ${fmt(rows)} rows (${fmt(bytes / 1e6, 1)} MB of Arrow buffers)`,
      columns: ['path', 'rows/s', 'MB/s', 'median s', 'min–max s', 'vs PySpark toArrow', 'vs PySpark, same kind', 'client CPU s', 'CPU vs PySpark'],
      rows: figures.map((f) => [
        f.path,
        fmt(f.rowsPerS),
        fmt(f.mbPerS, 1),
        fmt(f.medianMs / 1000, 2),
        `${fmt(f.minMs / 1000, 2)}–${fmt(f.maxMs / 1000, 2)}`,
        fmtRatio(f.vsPyspark),
        fmtRatio(f.vsPysparkSameKind),
        fmt(f.medianCpuMs / 1000, 2),
        fmtRatio(f.cpuVsPyspark),
      ]),
      note:
        'Median of the timed calls (each a complete fetch: plan, execution on the server, transfer, decoding). ' +
        'MB/s counts the Arrow buffer bytes of the result (the same figure for every path). ' +
        '"vs PySpark toArrow" is PySpark\'s median time divided by this path\'s (>1× = faster than PySpark), both from this run; ' +
        '"same kind" compares row objects with PySpark\'s `collect()` (a list of Row) and Arrow with its `toArrow()`. ' +
        'Server and clients share the machine\'s cores, so the server\'s own work is part of every figure. ' +
        '"client CPU s" is the median CPU time (user + system, all threads) of the client process per call — the client\'s own cost, ' +
        'much less sensitive than wall time to a busy machine; "CPU vs PySpark" is PySpark\'s divided by this path\'s (>1× = cheaper than PySpark).',
    };
    const correctness: ReportTable = {
      title: 'Correctness (checked on each path\'s warm-up result before timing)',
      columns: ['check', 'expected', ...figures.map((f) => f.path)],
      rows: (Object.keys(expected) as (keyof Checksums)[]).map((k) => [
        k,
        expected[k],
        ...figures.map((f) => ((f.client === 'pyspark' ? py : f.mode === 'toArrow' ? ts1 : ts2).modes[f.mode]!.checksums[k] === expected[k] ? 'ok' : 'WRONG')),
      ]),
    };
    const versions: ReportTable = {
      title: 'Clients',
      columns: ['client', 'versions'],
      rows: [ts1, py].map((r) => [r.client, Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')]),
    };
    return {
      suite: 'spark-client',
      title: 'Spark Connect client benchmarks',
      intro:
        `Fetches \`spark.range(${fmt(rows)})\` with derived bigint, double, string, boolean and timestamp columns ` +
        `(\`${SELECT_EXPRS.join('`, `')}\`) from ${target.description}, with tsapply's client and with PySpark's own ` +
        'Spark Connect client (Python, pyarrow), one after the other in the same run. Each client runs in its own process, ' +
        'checks a warm-up result column by column against closed-form checksums, then times each path.',
      sections: [
        {
          heading: 'Throughput',
          charts: [
            {
              name: 'throughput',
              caption: `Rows per second fetching ${fmt(rows)} rows (higher is better)`,
              spec: throughputChart(figures, rows),
            },
          ],
          tables: [throughput],
        },
        { heading: 'Correctness and versions', tables: [correctness, versions], charts: [] },
      ],
      raw: { rows, arrowBytes: bytes, pysparkArrowBytes: py.arrowBytes, runs, remote: target.remote, figures, clients: { tsToArrow: ts1, pyspark: py, tsStreamCollect: ts2 } },
    };
  },
};
