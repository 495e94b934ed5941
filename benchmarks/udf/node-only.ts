/**
 * The UDF suite's functions in this process, without Spark: what the user's own logic
 * costs per row, and what the Node worker's whole path costs around it (read the input
 * Arrow IPC stream, `createBatch`, call the function, turn its result into Arrow in the
 * output schema, write the result IPC stream). The difference is tsapply's own cost.
 *
 * The user's own cost is the same function called on a batch whose rows and column
 * values were built beforehand (plain objects and arrays, nothing converted during the
 * call), and whose result is not converted. Inputs are the rows the suite's Spark SQL
 * builds (`workloads.ts`), generated here by the same rules.
 */
import type { RecordBatch } from 'apache-arrow';
import { columnsToRecordBatch, parseDDL, type Batch } from '@tsapply/common';
import { taskFrames, workerPath as runWorkerPath } from '../lib/worker-path.js';
import { measureAsync, measureSync, type Measurement, type MeasureProfile } from '../lib/measure.js';
import * as fns from './fns.js';
import { fuzzyTitles, MONTHS, udfWorkloads, type UdfWorkloadName } from './workloads.js';

const BATCH_ROWS = 10_000;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Input columns of rows [start, start + n) of a workload, by the rules of its SQL. */
export function inputColumns(name: UdfWorkloadName, start: number, n: number, titles = fuzzyTitles()): Record<string, ArrayLike<unknown>> {
  const ids = Array.from({ length: n }, (_, i) => start + i);
  const id = BigInt64Array.from(ids, BigInt);
  switch (name) {
    case 'fuzzy':
      return {
        id,
        name: ids.map((k) => {
          const t = titles.names[k % titles.names.length]!;
          const cut = k % 7;
          return (t.slice(0, cut) + t.slice(cut + 1)).toLowerCase();
        }),
      };
    case 'logs':
      return {
        id,
        line: ids.map(
          (k) =>
            `10.${k % 256}.${Math.floor(k / 256) % 256}.${k % 7} - - [${pad2((k % 28) + 1)}/${MONTHS[k % 12]}/2026:${pad2(k % 24)}:${pad2(k % 60)}:${pad2((k * 7) % 60)} +0000] ` +
            `"${['GET', 'POST', 'PUT', 'DELETE'][k % 4]} /api/v1/items/${k}?q=${k % 13} HTTP/1.1" ${[200, 404, 500, 302, 301][k % 5]} ${100 + ((k * 37) % 50000)}`,
        ),
      };
    case 'json':
      return {
        id,
        doc: ids.map((k) =>
          JSON.stringify({
            user: { id: k, name: `user-${k}`, tags: k % 5 === 0 ? ['new', 'vip'] : ['new'] },
            items: Array.from({ length: (k % 5) + 1 }, (_, j) => ({ sku: `sku-${j + 1}`, qty: j + 1 + (k % 3), price_cents: (k * (j + 1)) % 10000 })),
            meta: { source: 'web', version: 2 },
          }),
        ),
      };
    case 'simulation':
      return { id, x0: Float64Array.from(ids, (k) => ((k % 1000) + 0.5) / 1000), r: Float64Array.from(ids, (k) => 3.5 + (k % 97) / 200) };
  }
}

/** A Batch over values built beforehand: calling a function on it costs only the function. */
function prebuiltBatch(columns: Record<string, ArrayLike<unknown>>): Batch {
  const names = Object.keys(columns);
  const numRows = columns[names[0]!]!.length;
  const rows = Array.from({ length: numRows }, (_, i) => Object.fromEntries(names.map((c) => [c, columns[c]![i]])));
  return {
    numRows,
    columns: names,
    values: (name: string) => columns[name]!,
    column: () => {
      throw new Error('column() is not prebuilt');
    },
    arrow: undefined as unknown as RecordBatch,
    toArray: () => rows,
    [Symbol.iterator]: () => rows[Symbol.iterator](),
  };
}

export interface NodeOnlyFigure {
  workload: UdfWorkloadName;
  api: 'rows' | 'columns';
  rows: number;
  userCode: Measurement;
  workerPath: Measurement;
}

const FUNCTIONS: Record<UdfWorkloadName, Record<'rows' | 'columns', (batch: Batch, ctx: never) => unknown>> = {
  fuzzy: { rows: fns.fuzzyRows, columns: fns.fuzzyColumns },
  logs: { rows: fns.logsRows, columns: fns.logsColumns },
  json: { rows: fns.jsonRows, columns: fns.jsonColumns },
  simulation: { rows: fns.simulationRows, columns: fns.simulationColumns },
};

/** Times one workload's function both ways over `batches` batches of 10,000 rows. */
export async function nodeOnly(name: UdfWorkloadName, api: 'rows' | 'columns', batches: number, profile: MeasureProfile): Promise<NodeOnlyFigure> {
  const w = udfWorkloads()[name];
  const fn = FUNCTIONS[name][api];
  const ctx = { context: { references: fuzzyTitles().references }, partitionIndex: 0, state: undefined } as never;
  const outSchema = parseDDL(w.schema);
  const inputs = Array.from({ length: batches }, (_, b) => inputColumns(name, b * BATCH_ROWS * 31, BATCH_ROWS));
  const inSchema = parseDDL(['id bigint', ...Object.keys(inputs[0]!).slice(1).map((c) => `${c} ${name === 'simulation' ? 'double' : 'string'}`)].join(', '));
  const frames = taskFrames(inputs.map((c) => columnsToRecordBatch(c, inSchema)));
  const prebuilt = inputs.map(prebuiltBatch);
  const userCode = measureSync(() => {
    let n = 0;
    for (const b of prebuilt) n += (fn(b, ctx) as { length?: number }).length ?? 1;
    return n;
  }, profile);
  const workerPath = await measureAsync(() => runWorkerPath(frames, (batch) => fn(batch, ctx), outSchema), profile);
  return { workload: name, api, rows: batches * BATCH_ROWS, userCode, workerPath };
}
