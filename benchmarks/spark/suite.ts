/**
 * Spark suite: tsapply's mapInArrow against PySpark's mapInArrow (vectorised pyarrow and
 * a plain Python row loop) and Spark SQL's built-ins, on the same server in one run;
 * where tsapply's time goes; job start-up from the CLI next to PySpark's; start-up as
 * the job's context grows.
 *
 * Throughput: for each workload (`workloads.ts`: identity, CPU-bound numeric,
 * tokenising text) and input size, every variant is first checked — its checksum
 * aggregate must equal the built-in's (and, for identity, the closed form) — which also
 * starts its Python and Node workers; then each run times every variant once, in turn,
 * driving it into Spark's `noop` writer (every row is produced, none comes back).
 * Figures are medians over the runs with min and max.
 */
import { performance } from 'node:perf_hooks';
import { groupedBarChart, type ChartSpec } from '../lib/charts.js';
import { median, verify } from '../lib/measure.js';
import type { BenchmarkSuite, ReportSection, ReportTable, SuiteContext, SuiteResult } from '../lib/suite.js';
import type { DataFrame } from 'tsapply';
import * as fns from './fns.js';
import { nodeOnly, type NodeOnlyFigures } from './node-only.js';
import { sparkTarget } from '../lib/spark-target.js';
import { PySparkProcess } from './pyspark-process.js';
import { cliStartup, contextStartup, type CliStartupFigures, type ContextCase, type ContextStartupFigures } from './startup.js';
import { checksumProblem, identityChecksums, movieTitles, workloads, WORKLOAD_NAMES, toChecksums, type Checksums, type Workload, type WorkloadName } from './workloads.js';

type VariantName = 'builtin' | 'tsapply' | 'pyspark-vectorised' | 'pyspark-loop';
const VARIANTS: readonly VariantName[] = ['builtin', 'tsapply', 'pyspark-vectorised', 'pyspark-loop'];
/** Short names for chart legends (the chart library truncates long legend labels). */
const VARIANT_SHORT: Record<VariantName, string> = {
  builtin: 'Spark SQL built-in',
  tsapply: 'tsapply',
  'pyspark-vectorised': 'PySpark pyarrow',
  'pyspark-loop': 'PySpark row loop',
};
const WORKLOAD_SHORT: Record<WorkloadName, string> = { identity: 'identity', numeric: 'numeric', tokens: 'tokenise' };
const VARIANT_LABELS: Record<VariantName, string> = {
  builtin: 'Spark SQL built-in',
  tsapply: 'tsapply mapInArrow',
  'pyspark-vectorised': 'PySpark mapInArrow (pyarrow.compute)',
  'pyspark-loop': 'PySpark mapInArrow (Python row loop)',
};
/**
 * `SPARK_BENCH_ROWS=5000000[,10000000]` and `SPARK_BENCH_RUNS=3` override the input sizes
 * and timed runs (a reduced full run on a busy machine); unset, the mode decides.
 */
function envRows(): number[] | undefined {
  const v = process.env.SPARK_BENCH_ROWS;
  if (!v) return undefined;
  const rows = v.split(',').map(Number);
  if (!rows.every((n) => Number.isSafeInteger(n) && n > 0)) throw new Error(`SPARK_BENCH_ROWS must be positive integers separated by commas, got "${v}".`);
  return rows;
}

function envRuns(): number | undefined {
  const v = process.env.SPARK_BENCH_RUNS;
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`SPARK_BENCH_RUNS must be a positive integer, got "${v}".`);
  return n;
}

/** Input partitions: two per core of local[2], so one slow task does not decide a run. */
const PARTITIONS = 4;

export interface ThroughputFigure {
  workload: WorkloadName;
  variant: VariantName;
  rows: number;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  rowsPerS: number;
  /** This variant's rows/s ÷ PySpark vectorised's (>1 = faster). */
  vsPysparkVectorised: number;
  /** This variant's rows/s ÷ the built-in's. */
  vsBuiltin: number;
  checksums: Checksums;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const fmtS = (ms: number): string => fmt(ms / 1000, 2);
const fmtRatio = (n: number): string => (n >= 10 ? `${fmt(n, 0)}×` : n >= 0.095 ? `${fmt(n, 2)}×` : `${fmt(n, 3)}×`);
const fmtRows = (n: number): string => (n >= 1e6 ? `${fmt(n / 1e6, n % 1e6 === 0 ? 0 : 1)}M` : `${fmt(n / 1e3)}k`);
const range = (samples: number[]): string => `${fmtS(Math.min(...samples))}–${fmtS(Math.max(...samples))}`;

interface Runners {
  check(w: Workload, v: VariantName, rows: number): Promise<Checksums>;
  time(w: Workload, v: VariantName, rows: number): Promise<number>;
}

async function makeRunners(remote: string, py: PySparkProcess): Promise<{ runners: Runners; close(): Promise<void> }> {
  const { SparkSession } = await import('tsapply');
  const spark = await SparkSession.connect(remote);
  const shipped = new Map<string, DataFrame>();
  const input = (w: Workload, rows: number) => spark.range(0, rows, 1, PARTITIONS).selectExpr(...w.inputExprs);
  const tsDf = async (w: Workload, rows: number): Promise<DataFrame> => {
    const key = `${w.name}/${rows}`;
    let df = shipped.get(key);
    if (!df) shipped.set(key, (df = await input(w, rows).mapInArrow(fns[w.tsExport], { schema: w.schema })));
    return df;
  };
  const localDf = async (w: Workload, v: 'builtin' | 'tsapply', rows: number) => (v === 'builtin' ? input(w, rows).selectExpr(...w.builtinExprs) : await tsDf(w, rows));
  const pyCmd = (op: 'check' | 'time', w: Workload, v: VariantName, rows: number) => ({
    op,
    workload: w.name,
    variant: v === 'pyspark-loop' ? ('loop' as const) : ('vectorised' as const),
    rows,
    partitions: PARTITIONS,
    input: w.inputExprs,
    schema: w.schema,
    checksum: w.checksumExprs,
  });
  const runners: Runners = {
    async check(w, v, rows) {
      if (v === 'builtin' || v === 'tsapply') {
        const [row] = await (await localDf(w, v, rows)).selectExpr(...w.checksumExprs).collect();
        return toChecksums(row!);
      }
      return (await py.run(pyCmd('check', w, v, rows))).checksums!;
    },
    async time(w, v, rows) {
      if (v === 'builtin' || v === 'tsapply') {
        const df = await localDf(w, v, rows);
        const t0 = performance.now();
        await df.write.format('noop').mode('overwrite').save();
        return performance.now() - t0;
      }
      return (await py.run(pyCmd('time', w, v, rows))).ms;
    },
  };
  return { runners, close: () => spark.stop() };
}

async function throughput(ctx: SuiteContext, runners: Runners, all: Record<WorkloadName, Workload>, rows: number, runs: number): Promise<ThroughputFigure[]> {
  const checks = new Map<string, Checksums>();
  for (const name of WORKLOAD_NAMES) {
    const w = all[name];
    for (const v of VARIANTS) {
      const t0 = performance.now();
      checks.set(`${name}/${v}`, await runners.check(w, v, rows));
      ctx.log(`spark: ${fmtRows(rows)} ${name} ${v}: checked in ${fmtS(performance.now() - t0)} s`);
    }
    const reference = checks.get(`${name}/builtin`)!;
    if (name === 'identity') verify(`spark/${fmtRows(rows)}/identity/builtin`, checksumProblem(w, identityChecksums(rows), reference));
    for (const v of VARIANTS) verify(`spark/${fmtRows(rows)}/${name}/${v}`, checksumProblem(w, reference, checks.get(`${name}/${v}`)!));
  }
  const samples = new Map<string, number[]>();
  for (let r = 0; r < runs; r++) {
    for (const name of WORKLOAD_NAMES) {
      for (const v of VARIANTS) {
        const ms = await runners.time(all[name], v, rows);
        samples.set(`${name}/${v}`, [...(samples.get(`${name}/${v}`) ?? []), ms]);
        ctx.log(`spark: ${fmtRows(rows)} run ${r + 1}/${runs} ${name} ${v}: ${fmtS(ms)} s (${fmt(rows / (ms / 1000))} rows/s)`);
      }
    }
  }
  const figures: ThroughputFigure[] = [];
  for (const name of WORKLOAD_NAMES) {
    const medianOf = (v: VariantName) => median(samples.get(`${name}/${v}`)!);
    for (const v of VARIANTS) {
      const s = samples.get(`${name}/${v}`)!;
      const medianMs = median(s);
      figures.push({
        workload: name,
        variant: v,
        rows,
        samplesMs: s,
        medianMs,
        minMs: Math.min(...s),
        maxMs: Math.max(...s),
        rowsPerS: rows / (medianMs / 1000),
        vsPysparkVectorised: medianOf('pyspark-vectorised') / medianMs,
        vsBuiltin: medianOf('builtin') / medianMs,
        checksums: checks.get(`${name}/${v}`)!,
      });
    }
  }
  return figures;
}

function throughputTable(all: Record<WorkloadName, Workload>, figures: ThroughputFigure[], rows: number): ReportTable {
  return {
    title: `Throughput at ${fmtRows(rows)} rows (${PARTITIONS} partitions, noop writer)`,
    columns: ['workload', 'variant', 'rows/s', 'median s', 'min–max s', 'vs PySpark vectorised', 'vs built-in'],
    rows: figures
      .filter((f) => f.rows === rows)
      .map((f) => [all[f.workload].label, VARIANT_LABELS[f.variant], fmt(f.rowsPerS), fmtS(f.medianMs), range(f.samplesMs), fmtRatio(f.vsPysparkVectorised), fmtRatio(f.vsBuiltin)]),
    note:
      'rows/s from the median time of a `noop` write of the variant\'s output (every row computed, nothing returned to the driver). ' +
      '"vs …" columns are speed ratios of medians from this run (rows/s of this variant ÷ rows/s of the other; >1× = faster). ' +
      'Every variant\'s checksum aggregate equalled the built-in\'s before timing (see Correctness).',
  };
}

function growthTable(all: Record<WorkloadName, Workload>, figures: ThroughputFigure[], sizes: number[]): ReportTable {
  const [a, b] = sizes as [number, number];
  return {
    title: `How cost grows: ${fmtRows(a)} → ${fmtRows(b)} rows (${fmt(b / a, 1)}× the rows)`,
    columns: ['workload', 'variant', `median s at ${fmtRows(a)}`, `median s at ${fmtRows(b)}`, 'time ratio', `ns/row at ${fmtRows(b)}`],
    rows: WORKLOAD_NAMES.flatMap((name) =>
      VARIANTS.map((v) => {
        const fa = figures.find((f) => f.rows === a && f.workload === name && f.variant === v)!;
        const fb = figures.find((f) => f.rows === b && f.workload === name && f.variant === v)!;
        return [all[name].label, VARIANT_LABELS[v], fmtS(fa.medianMs), fmtS(fb.medianMs), `${fmt(fb.medianMs / fa.medianMs, 2)}×`, fmt((fb.medianMs * 1e6) / b)];
      }),
    ),
    note: 'A time ratio equal to the row ratio means a constant cost per row; less means fixed costs (planning, task and worker start-up) are being amortised.',
  };
}

function breakdownSection(all: Record<WorkloadName, Workload>, figures: ThroughputFigure[], rows: number, node: Record<WorkloadName, NodeOnlyFigures>): ReportSection {
  const nsPerRow = (name: WorkloadName, v: VariantName) => (figures.find((f) => f.rows === rows && f.workload === name && f.variant === v)!.medianMs * 1e6) / rows;
  const table: ReportTable = {
    title: `Per-row cost at ${fmtRows(rows)} rows (ns of wall time per row on the 2-core server; Node-only on 1 core)`,
    columns: ['workload', 'built-in', 'PySpark vectorised', 'tsapply', 'tsapply − PySpark vec.', 'Node-only: user code', 'Node-only: worker path'],
    rows: WORKLOAD_NAMES.map((name) => [
      all[name].label,
      fmt(nsPerRow(name, 'builtin')),
      fmt(nsPerRow(name, 'pyspark-vectorised')),
      fmt(nsPerRow(name, 'tsapply')),
      fmt(nsPerRow(name, 'tsapply') - nsPerRow(name, 'pyspark-vectorised')),
      fmt(node[name].userNsPerRow, node[name].userNsPerRow < 10 ? 1 : 0),
      fmt(node[name].workerNsPerRow, node[name].workerNsPerRow < 10 ? 1 : 0),
    ]),
    note:
      '"Node-only" runs the same function over the same rows in this process, in Arrow batches of 10,000 rows: *user code* is the function alone; ' +
      '*worker path* adds what the Node worker does per batch (read the Arrow IPC stream, convert the result to Arrow in the output schema, write it as IPC). ' +
      `Medians of ${node.identity.userCode.samplesMs.length} samples over ${fmt(node.identity.rows)} rows. Single-threaded CPU time per row, so on two busy cores roughly half of it shows up as wall time.`,
  };
  const b = nsPerRow('identity', 'builtin');
  const pv = nsPerRow('identity', 'pyspark-vectorised');
  const ts = nsPerRow('identity', 'tsapply');
  const text =
    `Identity isolates the transport. At ${fmtRows(rows)} rows, Spark alone (built-in projection into the noop writer) costs ${fmt(b)} ns/row; ` +
    `sending every batch JVM → Python → JVM (PySpark identity) adds ${fmt(pv - b)} ns/row; sending it on from Python to Node and back (tsapply identity) adds another ${fmt(ts - pv)} ns/row, ` +
    `of which the Node worker's own Arrow work is about ${fmt(node.identity.workerNsPerRow)} ns/row of CPU (Node-only worker path) — the rest is the shim: ` +
    'Python serialising each batch to IPC, the pipe, and reading the result back. For the compute workloads, the user-code column is what the function itself costs in V8; ' +
    'the difference between tsapply and PySpark vectorised is that per-row transport plus the gap between V8 and pyarrow.compute\'s C++ kernels.';
  return { heading: 'Where the time goes (tsapply)', text, tables: [table], charts: [] };
}

function startupTable(f: CliStartupFigures): ReportTable {
  const py = median(f.pysparkFirstResultMs);
  const row = (label: string, samples: number[], exit: number[] | undefined): (string | number)[] => [
    label,
    fmtS(median(samples)),
    range(samples),
    exit ? fmtS(median(exit)) : '–',
    fmtRatio(median(samples) / py),
  ];
  return {
    title: 'Job start-up: process spawn → first result (same 1,000-row job, new session each run)',
    columns: ['client', 'median s', 'min–max s', 'median s to exit', 'time vs PySpark'],
    rows: [
      row('`tsapply run startup-job.ts --remote`', f.tsapplyFirstResultMs, f.tsapplyExitMs),
      row('PySpark script (connect, mapInArrow, collect)', f.pysparkFirstResultMs, f.pysparkExitMs),
      row('tsapply, first run with an empty cache', [f.tsapplyColdMs], undefined),
      row('PySpark, first run', [f.pysparkFirstRunMs], undefined),
    ],
    note:
      'From spawning the process to its result on stdout. tsapply\'s includes Node start-up, bundling the job with esbuild, its cached type-check, ' +
      'probing the executors\' Python version, uploading shim, worker and payload, and starting a Node worker beside each Python worker; ' +
      'PySpark\'s includes Python start-up, importing pyspark and cloudpickling the function. "time vs PySpark" is this median ÷ PySpark\'s (>1× = slower). ' +
      'The empty-cache run adds the first type-check and the worker bundle build.',
  };
}

function contextTable(figs: ContextStartupFigures[]): ReportTable {
  return {
    title: 'Start-up vs context size: mapInArrow() (bundle, serialize, upload) + first result batch, new session each run',
    columns: ['context', 'serializer', 'payload MB', 'ship s (median)', 'first batch s (median)', 'total s (median)', 'total min–max s'],
    rows: figs.map((f) => [f.label, f.serializer, fmt(f.payloadBytes / 1e6, 1), fmtS(median(f.shipMs)), fmtS(median(f.firstBatchMs)), fmtS(median(f.totalMs)), range(f.totalMs)]),
    note:
      'Context: a Float64Array of quantised model weights (values k/1000), handed to the function as `ctx.context`. ' +
      '*ship* is `df.mapInArrow(fn, { context, serializer })` resolving: bundle, serialize, frame and upload the payload as a session artifact. ' +
      '*first batch* is from there to the first result batch on the driver: the executor fetches the payload, starts the Python and Node workers, ' +
      'and the Node worker reads, verifies (sha256) and deserializes it before running the function on 2 rows.',
  };
}

/** The rows/s bar chart at one input size (exported to redraw a report from its latest.json). */
export function throughputChart(figures: readonly ThroughputFigure[], rows: number): ChartSpec {
  return groupedBarChart(
    figures.filter((f) => f.rows === rows).map((f) => ({ workload: WORKLOAD_SHORT[f.workload], variant: VARIANT_SHORT[f.variant], rowsPerS: Math.round(f.rowsPerS) })),
    { title: `Spark mapInArrow throughput, ${fmtRows(rows)} rows`, group: 'workload', series: 'variant', value: 'rowsPerS', valueTitle: 'rows/s (higher is better)', seriesOrder: VARIANTS.map((v) => VARIANT_SHORT[v]), log: true },
  );
}

export const suite: BenchmarkSuite = {
  name: 'spark',
  title: 'Spark benchmarks: tsapply vs PySpark vs Spark SQL',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const scaled = (n: number) => Math.max(10_000, Math.round(n * ctx.scale));
    const sizes = envRows() ?? (ctx.quick ? [scaled(500_000)] : [scaled(5_000_000), scaled(10_000_000)]);
    const runs = envRuns() ?? (ctx.quick ? 1 : 3);
    const context = (mb: number, serializer: 'fast' | 'zstd'): ContextCase => {
      const bytes = Math.max(1024, Math.round(mb * 1e6 * ctx.scale));
      return { label: bytes >= 1e6 ? `${fmt(bytes / 1e6)} MB` : `${fmt(bytes / 1e3)} kB`, bytes, serializer };
    };
    const contextCases: ContextCase[] = [
      context(1, 'fast'),
      context(50, 'fast'),
      context(50, 'zstd'),
      ...(ctx.quick ? [] : [context(500, 'fast')]),
    ];
    const titles = movieTitles();
    const all = workloads(titles);
    const target = await sparkTarget(ctx);
    let figures: ThroughputFigure[] = [];
    let node: Record<WorkloadName, NodeOnlyFigures>;
    let startup: CliStartupFigures;
    let contextFigures: ContextStartupFigures[];
    let pyVersions: Record<string, string> = {};
    try {
      ctx.log(`spark: ${sizes.map(fmtRows).join(' and ')} rows, ${runs} timed run(s) per variant, against ${target.remote}`);
      const py = await PySparkProcess.start(target.python, target.remote);
      pyVersions = py.versions;
      const { runners, close } = await makeRunners(target.remote, py);
      try {
        for (const rows of sizes) figures = figures.concat(await throughput(ctx, runners, all, rows, runs));
      } finally {
        await close();
        await py.close();
      }
      node = {} as Record<WorkloadName, NodeOnlyFigures>;
      for (const name of WORKLOAD_NAMES) node[name] = await nodeOnly(all[name], titles, ctx.quick ? 5 : 20, { warmup: 1, runs: ctx.quick ? 3 : 5, minSampleMs: 0 });
      startup = await cliStartup(ctx, target.remote, target.python, runs);
      contextFigures = await contextStartup(ctx, target.remote, contextCases, runs);
    } finally {
      await target.stop();
    }

    const largest = sizes.at(-1)!;
    const sections: ReportSection[] = [
      {
        heading: 'Throughput',
        text:
          'Each variant runs the same logic over the same rows, built on the server by Spark SQL. ' +
          'tsapply ships an exported TypeScript function (`benchmarks/spark/fns.ts`: typed arrays for numbers, string methods for text); ' +
          'PySpark runs `pyspark_variants.py` — pyarrow.compute kernels over whole columns, or a plain Python loop over rows.',
        charts: sizes.map((rows) => ({
          name: `throughput-${fmtRows(rows).toLowerCase()}`,
          caption: `Rows per second at ${fmtRows(rows)} rows (higher is better, log scale)`,
          spec: throughputChart(figures, rows),
        })),
        tables: [...sizes.map((rows) => throughputTable(all, figures, rows)), ...(sizes.length > 1 ? [growthTable(all, figures, sizes)] : [])],
      },
      breakdownSection(all, figures, largest, node),
      {
        heading: 'Job start-up',
        charts: [
          {
            name: 'context-startup',
            caption: 'Start-up (ship + first batch) vs context size and serializer',
            spec: groupedBarChart(
              contextFigures.map((c) => ({ context: c.label, serializer: c.serializer, seconds: median(c.totalMs) / 1000 })),
              { title: 'mapInArrow start-up vs context size', group: 'context', series: 'serializer', value: 'seconds', valueTitle: 'seconds to first result (lower is better)', labelFormat: '.2f' },
            ),
          },
        ],
        tables: [startupTable(startup), contextTable(contextFigures)],
      },
      {
        heading: 'Correctness and versions',
        tables: [
          {
            title: 'Checksums (each variant\'s aggregate over its output, computed before timing)',
            columns: ['rows', 'workload', 'variant', 'checksums'],
            rows: figures.map((f) => [fmtRows(f.rows), f.workload, VARIANT_LABELS[f.variant], Object.entries(f.checksums).map(([k, v]) => `${k}=${v}`).join(', ')]),
            note: 'Equal to the built-in\'s for every variant (sums of doubles within 1e-9 relative: Java, V8, glibc and Arrow\'s kernels may differ in the last bit, and the summation order differs); identity\'s also equal the closed form.',
          },
          { title: 'PySpark side', columns: ['component', 'version'], rows: Object.entries(pyVersions) },
        ],
        charts: [],
      },
    ];
    return {
      suite: 'spark',
      title: 'Spark benchmarks: tsapply vs PySpark vs Spark SQL',
      intro:
        `Measured on ${target.description}, every variant against that one server in one run, ${runs} timed run(s) each (median, with min and max). ` +
        'The server, its Python workers, tsapply\'s Node workers and the clients all share the machine\'s cores, so absolute figures are low and noisy; ' +
        'the ratios between variants, measured back to back, are the result.',
      sections,
      raw: { sizes, runs, partitions: PARTITIONS, remote: target.remote, figures, nodeOnly: node, startup, context: contextFigures, pyVersions },
    };
  },
};
