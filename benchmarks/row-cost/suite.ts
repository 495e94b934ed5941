/**
 * Row-cost suite (`npm run bench -- row-cost`): what tsapply itself costs per row and
 * column inside the Node worker, with no Spark and no user code: Arrow → the JS values
 * `apply` reads (row objects, or `batch.values()` for columnar code), and what `apply`
 * returns (row objects, or `{ column: values }`) → Arrow in the output schema.
 *
 * A second section runs the UDF suite's realistic functions (`../udf/node-only.ts`) and
 * splits each row's time into the user's own code and tsapply's work around it.
 *
 * A third section times `groupBy` on the embedded engine: gathering every group of a
 * 1 M-row input (many small groups, and a few huge ones) into one batch per group.
 *
 * Each case is a batch of 10,000 rows (Spark's `maxRecordsPerBatch`) with four columns
 * of one type, so the row object's own cost is shared as in a real schema; figures are
 * nanoseconds per row per column (median of the profile's runs, with min–max). Every
 * conversion is checked against the input before it is timed.
 */
import type { RecordBatch } from 'apache-arrow';
import { columnsToRecordBatch, createBatch, parseDDL, recordBatchToRows, rowsToRecordBatch } from '@tsapply/common';
import { groupBatches } from '../../packages/tsapply/src/engine/group-by.js';
import { nodeOnly, type NodeOnlyFigure } from '../udf/node-only.js';
import { UDF_WORKLOAD_NAMES } from '../udf/workloads.js';
import { findDifference } from '../lib/deep-compare.js';
import { measureSync, median, verify, type Measurement } from '../lib/measure.js';
import type { BenchmarkSuite, SuiteContext, SuiteResult } from '../lib/suite.js';

/** Rows per batch at scale 1 (Spark's `maxRecordsPerBatch`). */
const BATCH_ROWS = 10_000;
const COLUMNS = 4;

interface Case {
  name: string;
  ddl: string;
  /** Value of row i, column j. */
  value(i: number, j: number): unknown;
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const CASES: readonly Case[] = [
  { name: 'double', ddl: 'double', value: (i, j) => i * 0.25 + j },
  { name: 'bigint', ddl: 'bigint', value: (i, j) => BigInt(i * 4 + j) },
  { name: 'int', ddl: 'int', value: (i, j) => i * 4 + j },
  { name: 'boolean', ddl: 'boolean', value: (i, j) => (i + j) % 3 === 0 },
  { name: 'timestamp', ddl: 'timestamp', value: (i, j) => new Date(1_790_000_000_000 + i * 60_000 + j) },
  { name: 'string, 4–8 chars ASCII', ddl: 'string', value: (i, j) => WORDS[(i + j) % 10]!.slice(0, 4 + ((i + j) % 5)) },
  { name: 'string, ~30 chars ASCII', ddl: 'string', value: (i, j) => `${WORDS[i % 10]}/${WORDS[(i * 7 + j) % 10]}?id=${i * 4 + j}&q=x` },
  { name: 'string, ~30 chars non-ASCII', ddl: 'string', value: (i, j) => `${WORDS[i % 10]}/café/${WORDS[(i * 7 + j) % 10]}?id=${i * 4 + j}` },
  { name: 'string with nulls (1 in 5)', ddl: 'string', value: (i, j) => ((i + j) % 5 === 0 ? null : `${WORDS[i % 10]}-${i}`) },
];

export interface RowCostFigures {
  case: string;
  rows: number;
  inRows: Measurement;
  inValues: Measurement | undefined;
  outRows: Measurement;
  outColumns: Measurement;
}

export function measureCase(c: Case, ctx: Pick<SuiteContext, 'profile'>, ROWS: number): RowCostFigures {
  const names = Array.from({ length: COLUMNS }, (_, j) => `c${j}`);
  const schema = parseDDL(names.map((n) => `${n} ${c.ddl}`).join(', '));
  const columns = Object.fromEntries(names.map((n, j) => [n, Array.from({ length: ROWS }, (_, i) => c.value(i, j))]));
  const rows = Array.from({ length: ROWS }, (_, i) => Object.fromEntries(names.map((n, j) => [n, c.value(i, j)])));
  const rb = columnsToRecordBatch(columns, schema);
  verify(`row-cost ${c.name}: Arrow → rows`, findDifference(rows, createBatch(rb).toArray()));
  verify(`row-cost ${c.name}: rows → Arrow`, findDifference(rows, recordBatchToRows(rowsToRecordBatch(rows, schema))));
  const batchOf = () => createBatch(rb) as ReturnType<typeof createBatch> & { values?: (name: string) => ArrayLike<unknown> };
  const hasValues = typeof batchOf().values === 'function'; // batch.values() is newer than some measured builds
  if (hasValues) {
    const b = batchOf();
    verify(`row-cost ${c.name}: values()`, findDifference(names.map((n) => columns[n]), names.map((n) => Array.from(b.values!(n)))));
  }
  return {
    case: c.name,
    rows: ROWS,
    inRows: measureSync(() => batchOf().toArray(), ctx.profile),
    inValues: hasValues
      ? measureSync(() => {
          const b = batchOf();
          return names.map((n) => b.values!(n));
        }, ctx.profile)
      : undefined,
    outRows: measureSync(() => rowsToRecordBatch(rows, schema), ctx.profile),
    outColumns: measureSync(() => columnsToRecordBatch(columns, schema), ctx.profile),
  };
}

const GROUP_SCHEMA = parseDDL('k int, email string, x double, n bigint');

/** `rows` input rows in batches of 10,000, whose key `k` takes `groups` values. */
function groupInput(rows: number, groups: number): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows; start += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, rows - start);
    batches.push(
      columnsToRecordBatch(
        {
          k: Int32Array.from({ length: n }, (_, i) => ((start + i) * 7919) % groups),
          email: Array.from({ length: n }, (_, i) => `user-${(start + i) % 5000}@example.org`),
          x: Float64Array.from({ length: n }, (_, i) => (start + i) * 0.5),
          n: BigInt64Array.from({ length: n }, (_, i) => BigInt(start + i)),
        },
        GROUP_SCHEMA,
      ),
    );
  }
  return batches;
}

async function measureGrouping(rows: number, groups: number, ctx: SuiteContext): Promise<{ groups: number; rows: number; ms: number[] }> {
  const input = groupInput(rows, groups);
  const run = async () => {
    async function* batches() {
      yield* input;
    }
    return groupBatches(batches(), GROUP_SCHEMA, ['k'], 4);
  };
  const check = await run();
  const gathered = check.tasks.reduce((sum, t) => sum + t.batch.numRows, 0);
  verify(`row-cost grouping into ${groups} groups`, check.tasks.length === Math.min(groups, rows) && gathered === rows ? undefined : `${check.tasks.length} groups of ${gathered} rows`);
  const ms: number[] = [];
  for (let r = 0; r < ctx.profile.runs; r++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return { groups, rows, ms };
}

export const suite: BenchmarkSuite = {
  name: 'row-cost',
  title: "tsapply's own cost per row and column in the worker",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const rows = Math.max(100, Math.round(BATCH_ROWS * ctx.scale));
    /** ns per row per column from a per-batch measurement. */
    const ns = (m: Measurement) => (m.medianMs * 1e6) / rows / COLUMNS;
    const nsRange = (m: Measurement) => `${((m.minMs * 1e6) / rows / COLUMNS).toFixed(0)}–${((m.maxMs * 1e6) / rows / COLUMNS).toFixed(0)}`;
    const figures: RowCostFigures[] = [];
    for (const c of CASES) {
      ctx.log(`row-cost: ${c.name}`);
      figures.push(measureCase(c, ctx, rows));
    }
    const realistic: NodeOnlyFigure[] = [];
    const realisticBatches = Math.max(1, Math.round(10 * ctx.scale));
    for (const name of UDF_WORKLOAD_NAMES) {
      for (const api of ['rows', 'columns'] as const) {
        ctx.log(`row-cost: ${name} (${api} API), node only`);
        realistic.push(await nodeOnly(name, api, realisticBatches, ctx.profile));
      }
    }
    const perRow = (m: Measurement, rows: number) => (m.medianMs * 1e6) / rows;
    const groupRows = Math.max(1000, Math.round(1_000_000 * ctx.scale));
    const grouping = [];
    for (const groups of [Math.max(1, Math.round(groupRows / 10)), 10]) {
      ctx.log(`row-cost: grouping ${groupRows} rows into ${groups} groups`);
      grouping.push(await measureGrouping(groupRows, groups, ctx));
    }
    const table = figures.map((f) => [
      f.case,
      ns(f.inRows).toFixed(0),
      f.inValues ? ns(f.inValues).toFixed(0) : '—',
      ns(f.outRows).toFixed(0),
      ns(f.outColumns).toFixed(0),
      (ns(f.inRows) + ns(f.outRows)).toFixed(0),
      `${nsRange(f.inRows)} / ${nsRange(f.outRows)}`,
    ]);
    return {
      suite: 'row-cost',
      title: suite.title,
      intro:
        `Batches of ${rows.toLocaleString('en-US')} rows with ${COLUMNS} columns of one type, converted in this process: ` +
        'Arrow → row objects (`for (const row of batch)`), Arrow → `batch.values(name)`, row objects → Arrow and ' +
        '`{ column: values }` → Arrow in the output schema (every value checked against the type). ' +
        'Nanoseconds per row per column, medians. The goal (issue 13) is at most 300 ns per row per column in and out.',
      sections: [
        {
          heading: 'Per row and column',
          tables: [
            {
              title: 'ns per row per column',
              columns: ['column type', 'in: rows', 'in: values()', 'out: rows', 'out: columns', 'rows in + out', 'min–max in / out'],
              rows: table,
            },
          ],
          charts: [],
        },
        {
          heading: 'Realistic functions: user code and tsapply around it',
          text:
            "The UDF suite's functions (`benchmarks/udf/fns.ts`) on its inputs, in this process: the user's own code (the function on " +
            'rows and values built beforehand, its result not converted) and the Node worker\'s whole path (IPC in, `createBatch`, the ' +
            'function, result → Arrow in the output schema, IPC out). The goal (issue 13) is tsapply\'s part at most 1.5× the user\'s.',
          tables: [
            {
              title: `ns per row (${(realisticBatches * BATCH_ROWS).toLocaleString('en-US')} rows)`,
              columns: ['workload', 'API', 'user code', 'worker path', "tsapply's part", "tsapply's part ÷ user code"],
              rows: realistic.map((f) => {
                const user = perRow(f.userCode, f.rows);
                const worker = perRow(f.workerPath, f.rows);
                return [f.workload, f.api, user.toFixed(0), worker.toFixed(0), (worker - user).toFixed(0), `${((worker - user) / user).toFixed(2)}×`];
              }),
            },
          ],
          charts: [],
        },
        {
          heading: 'Grouping on the embedded engine',
          text:
            `\`groupBy\` gathering ${groupRows.toLocaleString('en-US')} rows (\`k int, email string, x double, n bigint\`, ` +
            'batches of 10,000) into one batch per group, grouped by `k`; checked (every row in exactly one group) before timing.',
          tables: [
            {
              title: 'groupBy, whole input',
              columns: ['groups', 'rows per group', 'median ms', 'min–max ms', 'ns per row'],
              rows: grouping.map((g) => {
                const med = median(g.ms);
                return [g.groups.toLocaleString('en-US'), (g.rows / g.groups).toLocaleString('en-US'), med.toFixed(0), `${Math.min(...g.ms).toFixed(0)}–${Math.max(...g.ms).toFixed(0)}`, ((med * 1e6) / g.rows).toFixed(0)];
              }),
            },
          ],
          charts: [],
        },
      ],
      raw: { conversions: figures, realistic, grouping },
    };
  },
};
