/**
 * Grouped suite (`npm run bench -- grouped`): one call per group on Spark, tsapply's
 * `groupBy().applyInArrow` against PySpark's `applyInArrow` and `applyInPandas` and
 * Spark SQL's aggregate, on one server in one run, for two shapes of input: many small
 * groups (where the cost per group dominates) and a few huge ones (the cost per row).
 *
 * Each group is summarised (size, sum and maximum of x; `fns.ts`, `grouped_variants.py`).
 * Every variant's checksums must equal the built-in's before timing; each timed run
 * writes the variant into Spark's `noop` writer.
 *
 * Floors: each of the three with a function that reads nothing and returns no rows. Not
 * alternatives but what each path costs on its own, which no function run through it can go
 * below. The paths differ: PySpark's `applyInArrow` and `applyInPandas` are two physical
 * operators in Spark (FlatMapGroupsInArrow, FlatMapGroupsInPandas) that group the rows in the
 * JVM and send the Python worker one table or DataFrame per group; tsapply asks Spark for the
 * same shuffle and sort, streams each partition through one `mapInArrow` task and cuts the
 * groups in the Node worker.
 */
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, verify } from '../lib/measure.js';
import { sparkTarget } from '../lib/spark-target.js';
import type { BenchmarkSuite, ReportTable, SuiteContext, SuiteResult } from '../lib/suite.js';
import { PySparkProcess } from '../spark/pyspark-process.js';
import { checksumProblem, toChecksums, type Checksums } from '../spark/workloads.js';
import { ignoreGroup, summarizeGroup } from './fns.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PARTITIONS = 4;
const SCHEMA = 'g bigint, n bigint, total double, top double';
const CHECKSUM = ['count(1) AS groups', 'sum(g) AS sum_g', 'sum(n) AS rows', 'sum(total) AS sum_total', 'sum(top) AS sum_top'];

type Variant = 'builtin' | 'tsapply' | 'py-arrow' | 'py-pandas' | 'ts-floor' | 'py-arrow-floor' | 'py-pandas-floor';
type TsVariant = 'builtin' | 'tsapply' | 'ts-floor';
const VARIANTS: readonly Variant[] = ['builtin', 'tsapply', 'py-arrow', 'py-pandas', 'ts-floor', 'py-arrow-floor', 'py-pandas-floor'];
/** No rows out (see the file's comment): timed, never checksummed. */
const FLOORS: readonly Variant[] = ['ts-floor', 'py-arrow-floor', 'py-pandas-floor'];
const LABELS: Record<Variant, string> = {
  builtin: 'Spark SQL groupBy().agg()',
  tsapply: 'tsapply groupBy().applyInArrow',
  'py-arrow': 'PySpark groupBy().applyInArrow',
  'py-pandas': 'PySpark groupBy().applyInPandas',
  'ts-floor': 'floor: tsapply applyInArrow, no rows out',
  'py-arrow-floor': 'floor: PySpark applyInArrow, no rows out',
  'py-pandas-floor': 'floor: PySpark applyInPandas, no rows out',
};

interface Shape {
  name: string;
  rows: number;
  groups: number;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface Figure {
  shape: string;
  variant: Variant;
  rows: number;
  groups: number;
  samplesMs: number[];
}

export const suite: BenchmarkSuite = {
  name: 'grouped',
  title: 'Grouped work on Spark: tsapply applyInArrow against PySpark',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const scale = ctx.scale * (ctx.quick ? 0.1 : 1);
    const rows = Math.max(1000, Math.round(2_000_000 * scale));
    const shapes: Shape[] = [
      { name: 'many small groups', rows, groups: Math.max(10, Math.round(rows / 50)) },
      { name: 'a few huge groups', rows, groups: 4 },
    ];
    const runs = ctx.quick ? 1 : 3;
    const target = await sparkTarget(ctx);
    const figures: Figure[] = [];
    let versions: Record<string, string> = {};
    try {
      const py = await PySparkProcess.start(target.python, target.remote, join(HERE, 'grouped_variants.py'));
      versions = py.versions;
      const { SparkSession, expr } = await import('tsapply');
      const spark = await SparkSession.connect(target.remote);
      try {
        const inputExprs = (s: Shape) => ['id', `id % ${s.groups} AS g`, 'CAST(id % 1000 AS DOUBLE) AS x'];
        const frame = async (s: Shape, v: TsVariant) => {
          const input = spark.range(0, s.rows, 1, PARTITIONS).selectExpr(...inputExprs(s));
          if (v === 'builtin') return input.groupBy('g').agg(expr('count(1) AS n'), expr('sum(x) AS total'), expr('max(x) AS top'));
          return input.groupBy('g').applyInArrow(v === 'ts-floor' ? ignoreGroup : summarizeGroup, { schema: SCHEMA });
        };
        const pyCmd = (op: 'check' | 'time', s: Shape, v: Variant) => ({
          op,
          workload: s.name,
          variant: v.slice('py-'.length),
          rows: s.rows,
          partitions: PARTITIONS,
          input: inputExprs(s),
          schema: SCHEMA,
          checksum: CHECKSUM,
        });
        for (const s of shapes) {
          const checks = new Map<Variant, Checksums>();
          const checked = VARIANTS.filter((v) => !FLOORS.includes(v));
          for (const v of checked) {
            if (v.startsWith('py-')) checks.set(v, (await py.run(pyCmd('check', s, v))).checksums!);
            else checks.set(v, toChecksums((await (await frame(s, v as TsVariant)).selectExpr(...CHECKSUM).collect())[0]!));
            ctx.log(`grouped: ${s.name} ${v}: checked`);
          }
          for (const v of checked) verify(`grouped/${s.name}/${v}`, checksumProblem({ approximate: [] }, checks.get('builtin')!, checks.get(v)!));
          const samples = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
          for (let r = 0; r < runs; r++) {
            for (const v of VARIANTS) {
              let ms: number;
              if (v.startsWith('py-')) ms = (await py.run(pyCmd('time', s, v))).ms;
              else {
                const df = await frame(s, v as TsVariant);
                const t0 = performance.now();
                await df.write.format('noop').mode('overwrite').save();
                ms = performance.now() - t0;
              }
              samples.get(v)!.push(ms);
              ctx.log(`grouped: ${s.name} run ${r + 1}/${runs} ${v}: ${fmt(ms / 1000, 2)} s`);
            }
          }
          for (const v of VARIANTS) figures.push({ shape: s.name, variant: v, rows: s.rows, groups: s.groups, samplesMs: samples.get(v)! });
        }
      } finally {
        await spark.stop();
        await py.close();
      }
    } finally {
      await target.stop();
    }
    const tables: ReportTable[] = shapes.map((s) => {
      const mine = figures.filter((f) => f.shape === s.name);
      const ts = median(mine.find((f) => f.variant === 'tsapply')!.samplesMs);
      return {
        title: `${s.name}: ${fmt(s.groups)} groups of ${fmt(s.rows / s.groups)} rows (${fmt(s.rows)} rows)`,
        columns: ['variant', 'median s', 'min–max s', 'groups/s', 'rows/s', 'tsapply ÷ this (speed)'],
        rows: mine.map((f) => {
          const m = median(f.samplesMs);
          const ratio = FLOORS.includes(f.variant) ? '(floor)' : `${fmt(m / ts, 2)}×`;
          return [LABELS[f.variant], fmt(m / 1000, 2), `${fmt(Math.min(...f.samplesMs) / 1000, 2)}–${fmt(Math.max(...f.samplesMs) / 1000, 2)}`, fmt(f.groups / (m / 1000)), fmt(f.rows / (m / 1000)), ratio];
        }),
      };
    });
    const seconds = (shape: string, v: Variant) => median(figures.find((f) => f.shape === shape && f.variant === v)!.samplesMs) / 1000;
    tables.push({
      title: 'The floors: what each path costs with no work in the function, and each variant above its own floor',
      columns: ['shape', 'tsapply floor s', 'applyInArrow floor s', 'applyInPandas floor s', 'applyInPandas floor ÷ applyInArrow floor (speed)', 'tsapply above its floor s', 'applyInArrow above its floor s', 'applyInPandas above its floor s'],
      rows: shapes.map((s) => {
        const [ts, arrow, pandas] = [seconds(s.name, 'ts-floor'), seconds(s.name, 'py-arrow-floor'), seconds(s.name, 'py-pandas-floor')];
        return [s.name, fmt(ts, 2), fmt(arrow, 2), fmt(pandas, 2), `${fmt(arrow / pandas, 2)}×`, fmt(seconds(s.name, 'tsapply') - ts, 2), fmt(seconds(s.name, 'py-arrow') - arrow, 2), fmt(seconds(s.name, 'py-pandas') - pandas, 2)];
      }),
    });
    return {
      suite: 'grouped',
      title: suite.title,
      intro:
        `Each group summarised (size, sum and maximum of x) on ${target.description}, ${PARTITIONS} input partitions, written into Spark's \`noop\` writer; ` +
        `median of ${runs} run(s); every variant's checksums equalled the built-in's first. Python side: ` +
        Object.entries(versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') +
        '. ' +
        "A floor is the same `applyIn*` with a function that reads nothing and returns no rows: Spark shuffles, sorts and groups the rows and sends every group through its Python worker (for tsapply, on to the Node worker), so no function run through that path is faster. " +
        "The three paths differ: PySpark's `applyInArrow` and `applyInPandas` are two operators of Spark's that group the rows in the JVM and send the Python worker one table or DataFrame per group; " +
        'tsapply asks Spark for the same shuffle and sort, streams each partition through one `mapInArrow` task and cuts the groups in the Node worker. ' +
        "Each variant's time above its own floor is what its function and results cost.",
      sections: [{ heading: 'Throughput', tables, charts: [] }],
      raw: figures,
    };
  },
};
