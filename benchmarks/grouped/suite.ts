/**
 * Grouped suite (`npm run bench -- grouped`): one call per group on Spark, tsapply's
 * `groupBy().applyInArrow` against PySpark's `applyInArrow` and `applyInPandas` and
 * Spark SQL's aggregate, on one server in one run, for two shapes of input: many small
 * groups (where the cost per group dominates) and a few huge ones (the cost per row).
 *
 * Each group is summarised (size, sum and maximum of x; `fns.ts`, `grouped_variants.py`).
 * Every variant's checksums must equal the built-in's before timing; each timed run
 * writes the variant into Spark's `noop` writer.
 */
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, verify } from '../lib/measure.js';
import { sparkTarget } from '../lib/spark-target.js';
import type { BenchmarkSuite, ReportTable, SuiteContext, SuiteResult } from '../lib/suite.js';
import { PySparkProcess } from '../spark/pyspark-process.js';
import { checksumProblem, toChecksums, type Checksums } from '../spark/workloads.js';
import { summarizeGroup } from './fns.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PARTITIONS = 4;
const SCHEMA = 'g bigint, n bigint, total double, top double';
const CHECKSUM = ['count(1) AS groups', 'sum(g) AS sum_g', 'sum(n) AS rows', 'sum(total) AS sum_total', 'sum(top) AS sum_top'];

type Variant = 'builtin' | 'tsapply' | 'py-arrow' | 'py-pandas';
const VARIANTS: readonly Variant[] = ['builtin', 'tsapply', 'py-arrow', 'py-pandas'];
const LABELS: Record<Variant, string> = {
  builtin: 'Spark SQL groupBy().agg()',
  tsapply: 'tsapply groupBy().applyInArrow',
  'py-arrow': 'PySpark groupBy().applyInArrow',
  'py-pandas': 'PySpark groupBy().applyInPandas',
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
        const frame = async (s: Shape, v: 'builtin' | 'tsapply') => {
          const input = spark.range(0, s.rows, 1, PARTITIONS).selectExpr(...inputExprs(s));
          if (v === 'builtin') return input.groupBy('g').agg(expr('count(1) AS n'), expr('sum(x) AS total'), expr('max(x) AS top'));
          return input.groupBy('g').applyInArrow(summarizeGroup, { schema: SCHEMA });
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
          for (const v of VARIANTS) {
            if (v.startsWith('py-')) checks.set(v, (await py.run(pyCmd('check', s, v))).checksums!);
            else checks.set(v, toChecksums((await (await frame(s, v as 'builtin' | 'tsapply')).selectExpr(...CHECKSUM).collect())[0]!));
            ctx.log(`grouped: ${s.name} ${v}: checked`);
          }
          for (const v of VARIANTS) verify(`grouped/${s.name}/${v}`, checksumProblem({ approximate: [] }, checks.get('builtin')!, checks.get(v)!));
          const samples = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
          for (let r = 0; r < runs; r++) {
            for (const v of VARIANTS) {
              let ms: number;
              if (v.startsWith('py-')) ms = (await py.run(pyCmd('time', s, v))).ms;
              else {
                const df = await frame(s, v as 'builtin' | 'tsapply');
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
          return [LABELS[f.variant], fmt(m / 1000, 2), `${fmt(Math.min(...f.samplesMs) / 1000, 2)}–${fmt(Math.max(...f.samplesMs) / 1000, 2)}`, fmt(f.groups / (m / 1000)), fmt(f.rows / (m / 1000)), `${fmt(m / ts, 2)}×`];
        }),
      };
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
        '.',
      sections: [{ heading: 'Throughput', tables, charts: [] }],
      raw: figures,
    };
  },
};
