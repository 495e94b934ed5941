/**
 * Row-cost suite (`npm run bench -- row-cost`): what tsapply itself costs per row and
 * column inside the Node worker, with no Spark and no user code: Arrow → the JS values
 * `apply` reads (row objects, or `batch.values()` for columnar code), and what `apply`
 * returns (row objects, or `{ column: values }`) → Arrow in the output schema.
 *
 * Each case is a batch of 10,000 rows (Spark's `maxRecordsPerBatch`) with four columns
 * of one type, so the row object's own cost is shared as in a real schema; figures are
 * nanoseconds per row per column (median of the profile's runs, with min–max). Every
 * conversion is checked against the input before it is timed.
 */
import { columnsToRecordBatch, createBatch, parseDDL, recordBatchToRows, rowsToRecordBatch } from '@tsapply/common';
import { findDifference } from '../lib/deep-compare.js';
import { measureSync, verify, type Measurement } from '../lib/measure.js';
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
      ],
      raw: figures,
    };
  },
};
