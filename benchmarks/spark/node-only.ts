/**
 * The Node side alone, in this process: where tsapply's time goes once the bytes have
 * reached the Node worker. Builds the same input rows as Spark does (`workloads.ts`) as
 * Arrow batches of 10,000 rows (Spark's `maxRecordsPerBatch`), then times, per row:
 *
 * - **user code**: the shipped function on `createBatch(recordBatch)` (for the string
 *   workload this includes decoding UTF-8 into JS strings, which `toArray()` does);
 * - **worker path**: what the Node worker does with a task's input frames — read each
 *   batch from the task's input stream, call the function, turn its result into Arrow in
 *   the output schema (`applyResultToBatches`) and write the result stream — with the
 *   worker's own code (`../lib/worker-path.ts`).
 *
 * Single-threaded; the Spark variants run on two cores, so compare with care (the suite
 * reports both per row).
 */
import type { RecordBatch } from 'apache-arrow';
import { columnsToRecordBatch, createBatch, parseDDL } from '@tsapply/common';
import { taskFrames, workerPath as runWorkerPath } from '../lib/worker-path.js';
import { measureAsync, measureSync, type Measurement, type MeasureProfile } from '../lib/measure.js';
import * as fns from './fns.js';
import { numericX, textOf, type Workload } from './workloads.js';

const BATCH_ROWS = 10_000;

const INPUT_DDL: Record<Workload['name'], string> = {
  identity: 'id bigint, x double, s string',
  numeric: 'id bigint, x double',
  tokens: 'id bigint, text string',
};

/** The workload's input rows [start, start + n) as one record batch, as Spark builds them. */
export function inputBatch(w: Workload, start: number, n: number, titles: readonly string[]): RecordBatch {
  const id = new BigInt64Array(n);
  for (let i = 0; i < n; i++) id[i] = BigInt(start + i);
  const columns: Record<string, ArrayLike<unknown>> = { id };
  if (w.name === 'identity') {
    columns.x = Float64Array.from({ length: n }, (_, i) => (start + i) * 0.5);
    columns.s = Array.from({ length: n }, (_, i) => `row-${start + i}`);
  } else if (w.name === 'numeric') {
    columns.x = Float64Array.from({ length: n }, (_, i) => numericX(start + i));
  } else {
    columns.text = Array.from({ length: n }, (_, i) => textOf(start + i, titles));
  }
  return columnsToRecordBatch(columns, parseDDL(INPUT_DDL[w.name]));
}

export interface NodeOnlyFigures {
  rows: number;
  userCode: Measurement;
  workerPath: Measurement;
  /** ns per row, from the medians. */
  userNsPerRow: number;
  workerNsPerRow: number;
}

/** Times user code and the worker path over `batches` batches of 10,000 rows. */
export async function nodeOnly(w: Workload, titles: readonly string[], batches: number, profile: MeasureProfile): Promise<NodeOnlyFigures> {
  const fn = fns[w.tsExport] as (b: ReturnType<typeof createBatch>) => unknown;
  const outSchema = parseDDL(w.schema);
  const inputs = Array.from({ length: batches }, (_, b) => inputBatch(w, b * BATCH_ROWS * 97, BATCH_ROWS, titles));
  const frames = taskFrames(inputs);
  const rows = batches * BATCH_ROWS;
  const userCode = measureSync(() => {
    let n = 0;
    for (const b of inputs) n += (fn(createBatch(b)) as { length?: number } | null)?.length ?? 1;
    return n;
  }, profile);
  const workerPath = await measureAsync(() => runWorkerPath(frames, fn, outSchema), profile);
  return {
    rows,
    userCode,
    workerPath,
    userNsPerRow: (userCode.medianMs * 1e6) / rows,
    workerNsPerRow: (workerPath.medianMs * 1e6) / rows,
  };
}
