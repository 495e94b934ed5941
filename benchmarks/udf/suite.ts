/**
 * UDF suite (`npm run bench -- udf`): realistic per-row functions, tsapply against what a
 * PySpark user writes for the same job, on one Spark server in one run.
 *
 * Four workloads (`workloads.ts`: fuzzy matching, log parsing, JSON walking, a numeric
 * simulation). Variants:
 * - tsapply `mapInArrow` with the rows API, the columns API and, for edit distance, the
 *   npm package (`fns.ts`);
 * - PySpark `@udf`, `@udf(useArrow=True)`, `@pandas_udf`, `mapInArrow` with a Python row
 *   loop, and the best C-backed library (`udf_variants.py`);
 * - Spark SQL's built-ins for the same logic;
 * - the floor under every variant that runs through a Python worker: tsapply's and
 *   PySpark's `mapInArrow` reading the input and returning no rows. Not alternatives but
 *   a bound: no function fed through the Python worker is faster than this, so it caps
 *   the ratio any of them can reach over `@udf` on this machine.
 *
 * Each input is built once by Spark SQL and saved as a Parquet table, which every variant
 * reads, as a real job reads its data: so no variant's time includes building it.
 *
 * Every variant is first checked on the same rows: its checksum aggregate must equal the
 * built-in's. Then each is timed into Spark's `noop` writer (every row produced, none
 * returned). Where Python's row-at-a-time variants would take minutes (edit distance),
 * they run on fewer rows than the others; every figure is rows per second.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { DataFrame } from 'tsapply';
import { groupedBarChart } from '../lib/charts.js';
import { median, verify } from '../lib/measure.js';
import { sparkTarget } from '../lib/spark-target.js';
import type { BenchmarkSuite, ReportTable, SuiteContext, SuiteResult } from '../lib/suite.js';
import { PySparkProcess } from '../spark/pyspark-process.js';
import { checksumProblem, toChecksums, type Checksums } from '../spark/workloads.js';
import * as fns from './fns.js';
import { fuzzyTitles, UDF_WORKLOAD_NAMES, udfWorkloads, type UdfWorkload, type UdfWorkloadName } from './workloads.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PARTITIONS = 4;

type Variant = 'builtin' | 'ts-rows' | 'ts-columns' | 'ts-npm' | 'py-udf' | 'py-udf-arrow' | 'py-pandas' | 'py-loop' | 'py-clib' | 'ts-floor' | 'py-floor';
const TS_VARIANTS: readonly Variant[] = ['ts-rows', 'ts-columns', 'ts-npm'];
const PY_VARIANTS: readonly Variant[] = ['py-udf', 'py-udf-arrow', 'py-pandas', 'py-loop', 'py-clib'];
/** Input only, no rows out: the floors (see the file's comment), never checksummed or ranked. */
const FLOOR_VARIANTS: readonly Variant[] = ['ts-floor', 'py-floor'];
const FLOOR_SCHEMA = 'id bigint';
/** Python code run once per row: timed on the workload's smaller row count. */
const PYTHON_ROW_AT_A_TIME: readonly Variant[] = ['py-udf', 'py-udf-arrow', 'py-pandas', 'py-loop'];

const LABELS: Record<Variant, string> = {
  builtin: 'Spark SQL built-in',
  'ts-rows': 'tsapply, rows API',
  'ts-columns': 'tsapply, columns API',
  'ts-npm': 'tsapply + fastest-levenshtein',
  'py-udf': 'PySpark @udf',
  'py-udf-arrow': 'PySpark @udf(useArrow=True)',
  'py-pandas': 'PySpark @pandas_udf',
  'py-loop': 'PySpark mapInArrow, Python loop',
  'py-clib': 'PySpark + C library',
  'ts-floor': 'floor: tsapply mapInArrow, input only',
  'py-floor': 'floor: PySpark mapInArrow, input only',
};

/** The C-backed library each workload's `py-clib` variant uses. */
const CLIB: Record<UdfWorkloadName, string> = {
  fuzzy: 'rapidfuzz (cdist)',
  logs: 'pyarrow.compute (extract_regex, strptime)',
  json: 'orjson',
  simulation: 'numpy',
};

/**
 * Issue 13's targets: tsapply's best API at least `atLeast` times as fast as `variant` on
 * every workload. Judged in the report from this run's figures, met or missed.
 */
const TARGETS: readonly { variant: Variant; atLeast: number }[] = [
  { variant: 'py-udf', atLeast: 3 },
  { variant: 'py-pandas', atLeast: 1 },
  { variant: 'py-loop', atLeast: 1 },
];

/** Python packages the C-library variants need beyond the managed environment's. */
const EXTRA_PYTHON = ['rapidfuzz==3.14.6', 'orjson==3.13.0'];

function variantsOf(w: UdfWorkload): Variant[] {
  return ['builtin', ...TS_VARIANTS.filter((v) => v !== 'ts-npm' || w.name === 'fuzzy'), ...PY_VARIANTS, ...FLOOR_VARIANTS];
}

const TS_FUNCTIONS: Record<UdfWorkloadName, Partial<Record<Variant, (...args: never[]) => unknown>>> = {
  fuzzy: { 'ts-rows': fns.fuzzyRows, 'ts-columns': fns.fuzzyColumns, 'ts-npm': fns.fuzzyNpm },
  logs: { 'ts-rows': fns.logsRows, 'ts-columns': fns.logsColumns },
  json: { 'ts-rows': fns.jsonRows, 'ts-columns': fns.jsonColumns },
  simulation: { 'ts-rows': fns.simulationRows, 'ts-columns': fns.simulationColumns },
};

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const fmtRatio = (n: number): string => (n >= 10 ? `${fmt(n, 0)}×` : `${fmt(n, 2)}×`);
/** A ratio judged against `bound`: three decimals where two would round it onto the bound. */
const fmtAgainst = (n: number, bound: number): string => (n !== bound && fmtRatio(n) === fmtRatio(bound) ? `${fmt(n, 3)}×` : fmtRatio(n));
const fmtRows = (n: number): string => (n >= 1e6 ? `${fmt(n / 1e6, 1)}M` : `${fmt(n / 1e3)}k`);

/** Makes sure the managed Python has the C libraries the `py-clib` variants use. */
function ensureExtraPython(python: string, ctx: SuiteContext): void {
  if (spawnSync(python, ['-c', 'import rapidfuzz, orjson'], { encoding: 'utf8' }).status === 0) return;
  ctx.log(`udf: pip install ${EXTRA_PYTHON.join(' ')} into ${python}`);
  const r = spawnSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', ...EXTRA_PYTHON], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pip install ${EXTRA_PYTHON.join(' ')} failed:\n${(r.stderr || r.stdout).slice(-2000)}`);
}

interface Figure {
  workload: UdfWorkloadName;
  variant: Variant;
  rows: number;
  samplesMs: number[];
  rowsPerS: number;
  /** Undefined for the floors, which return no rows. */
  checksums: Checksums | undefined;
}

export const suite: BenchmarkSuite = {
  name: 'udf',
  title: 'Realistic functions: tsapply against PySpark UDFs',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const scale = ctx.scale * (ctx.quick ? 0.1 : 1);
    const runs = ctx.quick ? 1 : 3;
    const checkRows = Math.max(200, Math.round(20_000 * scale));
    const all = udfWorkloads();
    const context = { references: fuzzyTitles().references };
    const target = await sparkTarget(ctx);
    const figures: Figure[] = [];
    let versions: Record<string, string> = {};
    try {
      ensureExtraPython(target.python, ctx);
      const py = await PySparkProcess.start(target.python, target.remote, join(HERE, 'udf_variants.py'));
      versions = py.versions;
      const { SparkSession } = await import('tsapply');
      const spark = await SparkSession.connect(target.remote);
      const tables = new Set<string>();
      try {
        /** The workload's first `rows` rows as a Parquet table (written once). */
        const tableOf = async (w: UdfWorkload, rows: number): Promise<string> => {
          const name = `tsapply_bench_udf_${w.name}_${rows}`;
          if (!tables.has(name)) {
            await spark.range(0, rows, 1, PARTITIONS).selectExpr(...w.inputExprs).write.mode('overwrite').format('parquet').saveAsTable(name);
            tables.add(name);
          }
          return name;
        };
        const frame = async (w: UdfWorkload, v: Variant, rows: number): Promise<DataFrame> => {
          const input = spark.read.table(await tableOf(w, rows));
          if (v === 'builtin') return w.builtinStages.reduce((df, stage) => df.selectExpr(...stage), input);
          // The floor is one function for every workload.
          const [fn, schema] = v === 'ts-floor' ? [fns.inputOnly, FLOOR_SCHEMA] : [TS_FUNCTIONS[w.name][v]!, w.schema];
          return input.mapInArrow(fn as never, { schema, ...(w.name === 'fuzzy' ? { context } : {}) });
        };
        const pyCmd = async (op: 'check' | 'time', w: UdfWorkload, v: Variant, rows: number) => ({
          op,
          table: await tableOf(w, rows),
          workload: w.name,
          variant: v.slice('py-'.length),
          rows,
          partitions: PARTITIONS,
          input: w.inputExprs,
          udf_inputs: w.udfInputs,
          schema: w.schema,
          checksum: w.checksumExprs,
          context,
        });
        const check = async (w: UdfWorkload, v: Variant): Promise<Checksums> => {
          if (v.startsWith('py-')) return (await py.run(await pyCmd('check', w, v, checkRows))).checksums!;
          const [row] = await (await frame(w, v, checkRows)).selectExpr(...w.checksumExprs).collect();
          return toChecksums(row!);
        };
        const time = async (w: UdfWorkload, v: Variant, rows: number): Promise<number> => {
          if (v.startsWith('py-')) return (await py.run(await pyCmd('time', w, v, rows))).ms;
          const df = await frame(w, v, rows);
          const t0 = performance.now();
          await df.write.format('noop').mode('overwrite').save();
          return performance.now() - t0;
        };
        for (const name of UDF_WORKLOAD_NAMES) {
          const w = all[name];
          const variants = variantsOf(w);
          const checks = new Map<Variant, Checksums>();
          const checked = variants.filter((v) => !FLOOR_VARIANTS.includes(v));
          for (const v of checked) {
            checks.set(v, await check(w, v));
            ctx.log(`udf: ${name} ${v}: checked`);
          }
          for (const v of checked) verify(`udf/${name}/${v}`, checksumProblem(w, checks.get('builtin')!, checks.get(v)!));
          const rowsOf = (v: Variant) => Math.max(200, Math.round((PYTHON_ROW_AT_A_TIME.includes(v) ? w.rows.python : w.rows.fast) * scale));
          const samples = new Map<Variant, number[]>(variants.map((v) => [v, []]));
          for (let r = 0; r < runs; r++) {
            for (const v of variants) {
              const ms = await time(w, v, rowsOf(v));
              samples.get(v)!.push(ms);
              ctx.log(`udf: ${name} run ${r + 1}/${runs} ${v}: ${fmtRows(rowsOf(v))} rows in ${fmt(ms / 1000, 2)} s (${fmt(rowsOf(v) / (ms / 1000))} rows/s)`);
            }
          }
          for (const v of variants) {
            const s = samples.get(v)!;
            figures.push({ workload: name, variant: v, rows: rowsOf(v), samplesMs: s, rowsPerS: rowsOf(v) / (median(s) / 1000), checksums: checks.get(v) });
          }
        }
      } finally {
        for (const name of tables) await (await spark.sql(`DROP TABLE IF EXISTS ${name}`)).collect();
        await spark.stop();
        await py.close();
      }
    } finally {
      await target.stop();
    }
    return report(figures, all, { target: target.description, checkRows, runs, quick: ctx.quick, versions });
  },
};

/** Where Python's row-at-a-time variants ran on fewer rows, said so. */
function fewerRows(figures: Figure[]): string {
  const fewer = UDF_WORKLOAD_NAMES.filter((w) => {
    const rows = figures.filter((f) => f.workload === w).map((f) => f.rows);
    return Math.min(...rows) < Math.max(...rows);
  });
  return fewer.length === 0
    ? 'Every variant ran on the same rows. '
    : `Python's row-at-a-time variants (@udf, @udf with Arrow, @pandas_udf, the mapInArrow loop) ran on fewer rows than the others for ${fewer.join(', ')} (see the rows column); figures are rows per second. `;
}

/** A run's rows/s by workload and variant, and that of tsapply's fastest API per workload. */
interface Rates {
  rate(w: UdfWorkloadName, v: Variant): number;
  bestTs(w: UdfWorkloadName): number;
}

function ratesOf(figures: Figure[]): Rates {
  const find = (w: UdfWorkloadName, v: Variant) => figures.find((f) => f.workload === w && f.variant === v)?.rowsPerS;
  return {
    rate: (w, v) => find(w, v)!,
    // Not every API runs on every workload (the npm package only on fuzzy).
    bestTs: (w) => Math.max(...TS_VARIANTS.map((v) => find(w, v) ?? 0)),
  };
}

/**
 * Each target met or missed per workload, and every alternative faster than tsapply's best
 * (the C libraries, Spark's built-ins) with by how much: the goal judged on this run.
 */
function targetsTable(figures: Figure[], all: Record<UdfWorkloadName, UdfWorkload>, { rate, bestTs }: Rates, quick: boolean): ReportTable {
  let met = 0;
  const rows = UDF_WORKLOAD_NAMES.map((name) => {
    const cells = TARGETS.map(({ variant, atLeast }) => {
      const ratio = bestTs(name) / rate(name, variant);
      if (ratio >= atLeast) met++;
      return `${fmtAgainst(ratio, atLeast)} ${ratio >= atLeast ? 'met' : 'missed'}`;
    });
    const faster = figures
      .filter((f) => f.workload === name && !TS_VARIANTS.includes(f.variant) && !FLOOR_VARIANTS.includes(f.variant) && f.rowsPerS > bestTs(name))
      .map((f) => `${f.variant === 'py-clib' ? CLIB[name] : LABELS[f.variant]}, ${fmtAgainst(f.rowsPerS / bestTs(name), 1)}`);
    return [all[name].label, ...cells, faster.length > 0 ? faster.join('; ') : 'none'];
  });
  const longestS = Math.max(...figures.map((f) => median(f.samplesMs))) / 1000;
  return {
    title: "Issue 13's targets: tsapply's best API ÷ each PySpark variant, and what is still faster than tsapply",
    columns: ['workload', ...TARGETS.map(({ variant, atLeast }) => `vs ${LABELS[variant]} (target ≥${atLeast}×)`), 'faster than tsapply (by how much)'],
    rows,
    note:
      `${met} of ${TARGETS.length * UDF_WORKLOAD_NAMES.length} targets met in this run.` +
      (quick ? ` Quick mode: the longest timed run lasted ${fmt(longestS, 2)} s, so fixed per-job costs weigh more than at full size; judge the targets on a full run.` : ''),
  };
}

/**
 * The floors against @udf: how fast reading the input through the Python worker alone is
 * (PySpark's and tsapply's), and so the highest ratio over @udf that any function fed
 * that way could reach here, beside the ratio tsapply's best reached.
 */
function floorTable(all: Record<UdfWorkloadName, UdfWorkload>, { rate, bestTs }: Rates): ReportTable {
  const target = TARGETS.find((t) => t.variant === 'py-udf')!.atLeast;
  const capped = UDF_WORKLOAD_NAMES.filter((name) => rate(name, 'py-floor') / rate(name, 'py-udf') < target);
  return {
    title: 'The floor: reading the input through the Python worker and returning no rows, against @udf',
    columns: [
      'workload',
      'PySpark floor rows/s',
      'tsapply floor rows/s',
      'tsapply floor ÷ PySpark floor',
      'PySpark floor ÷ @udf (the most any function could reach)',
      "tsapply's best ÷ @udf",
    ],
    rows: UDF_WORKLOAD_NAMES.map((name) => [
      all[name].label,
      fmt(rate(name, 'py-floor')),
      fmt(rate(name, 'ts-floor')),
      fmtRatio(rate(name, 'ts-floor') / rate(name, 'py-floor')),
      fmtRatio(rate(name, 'py-floor') / rate(name, 'py-udf')),
      fmtRatio(bestTs(name) / rate(name, 'py-udf')),
    ]),
    note:
      "A floor variant is `mapInArrow` over the same table with a function that reads nothing and returns no rows: Spark reads the Parquet table and sends every batch through its Python worker (and, for tsapply, on to the Node worker). " +
      `Every UDF variant pays at least that, so where @udf is less than ${target}× slower than the floor, no function run through the Python worker, in any language, can be ${target}× faster than @udf on this machine. ` +
      (capped.length > 0
        ? `In this run that holds for ${capped.map((n) => all[n].label).join(', ')}. `
        : `In this run the floor allows more than ${target}× on every workload: where tsapply falls short, the time goes to the function and its result, not to the transport. `) +
      '@udf ran on fewer rows than the floors where the rows column says so, which favours the floors (fixed per-job costs weigh more on fewer rows).',
  };
}

/** The suite's report from its figures (exported for the report's unit test). */
export function report(
  figures: Figure[],
  all: Record<UdfWorkloadName, UdfWorkload>,
  info: { target: string; checkRows: number; runs: number; quick: boolean; versions: Record<string, string> },
): SuiteResult {
  const rates = ratesOf(figures);
  const { rate, bestTs } = rates;
  const perWorkload: ReportTable[] = UDF_WORKLOAD_NAMES.map((name) => ({
    title: all[name].label,
    columns: ['variant', 'rows', 'rows/s', 'median s', 'min–max s', 'tsapply best ÷ this'],
    rows: figures
      .filter((f) => f.workload === name)
      .map((f) => [
        f.variant === 'py-clib' ? `${LABELS[f.variant]}: ${CLIB[name]}` : LABELS[f.variant],
        fmtRows(f.rows),
        fmt(f.rowsPerS),
        fmt(median(f.samplesMs) / 1000, 2),
        `${fmt(Math.min(...f.samplesMs) / 1000, 2)}–${fmt(Math.max(...f.samplesMs) / 1000, 2)}`,
        FLOOR_VARIANTS.includes(f.variant) ? '(floor)' : fmtRatio(bestTs(name) / f.rowsPerS),
      ]),
  }));
  const headline: ReportTable = {
    title: 'tsapply (best of its APIs) against each alternative: speed ratio (>1× = tsapply faster)',
    columns: ['workload', ...PY_VARIANTS.map((v) => LABELS[v]), 'Spark SQL built-in'],
    rows: UDF_WORKLOAD_NAMES.map((name) => [all[name].label, ...[...PY_VARIANTS, 'builtin' as const].map((v) => fmtRatio(bestTs(name) / rate(name, v)))]),
    note: `rows/s ratios of medians of ${info.runs} run(s). "C library": ${UDF_WORKLOAD_NAMES.map((n) => `${n}: ${CLIB[n]}`).join('; ')}.`,
  };
  return {
    suite: 'udf',
    title: suite.title,
    intro:
      `Four per-row workloads on ${info.target}, each input read from a Parquet table of ${PARTITIONS} files, each variant written into Spark's \`noop\` writer. ` +
      `Every variant's checksum aggregate equalled the Spark SQL built-in's on the same ${fmt(info.checkRows)} rows before timing. ` +
      `Median of ${info.runs} run(s). ` +
      fewerRows(figures) +
      'Python side: ' +
      Object.entries(info.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    sections: [
      {
        heading: 'Headline',
        tables: [headline, targetsTable(figures, all, rates, info.quick), floorTable(all, rates)],
        charts: [
          {
            name: 'rows-per-second',
            caption: 'Rows per second by workload and variant (log scale)',
            spec: groupedBarChart(
              figures.filter((f) => !FLOOR_VARIANTS.includes(f.variant)).map((f) => ({ workload: f.workload, variant: LABELS[f.variant], rowsPerS: Math.round(f.rowsPerS) })),
              { title: 'Realistic functions: rows per second', group: 'workload', series: 'variant', value: 'rowsPerS', valueTitle: 'rows/s (higher is better)', log: true },
            ),
          },
        ],
      },
      { heading: 'Per workload', tables: perWorkload, charts: [] },
    ],
    raw: figures,
  };
}
