/**
 * How a TypeScript pipeline stage keeps its input: like Spark ML's transformers, a
 * stage adds its output columns to the rows it is given (replacing a column of the same
 * name) instead of returning whole rows. The user's function returns only the new
 * columns, one row per input row; `appendColumns` runs after it on the worker and hands
 * the result converter the input's own columns plus those.
 */
import type { JobExpression } from '../closures/generate-module.js';

/** What `appendColumns` reads of a batch (the job API's `Batch`). */
interface BatchColumns {
  readonly numRows: number;
  readonly columns: readonly string[];
  column(name: string): ArrayLike<unknown>;
}

/**
 * The input's columns plus `names` taken from `result` — rows (an array or iterable of
 * objects) or columns (an object of arrays). Runs on the worker, inlined into the shipped
 * job by its source text, so it uses nothing from outside itself.
 */
export function appendColumns(result: unknown, batch: BatchColumns, names: readonly string[], stage: string): Record<string, ArrayLike<unknown>> {
  const n = batch.numRows;
  const fail = (what: string): never => {
    throw new Error(`${stage}: ${what}. A pipeline stage's function returns one row per input row (${n} here), each with ${names.join(', ')}, as an array of objects or an object of columns.`);
  };
  const out: Record<string, ArrayLike<unknown>> = {};
  // The input's own Arrow columns, which the result keeps as they are (no conversion per batch).
  for (const c of batch.columns) if (!names.includes(c)) out[c] = batch.column(c);
  if (result === null || result === undefined) return fail(`the function returned ${String(result)}`);
  if (typeof result !== 'object') return fail(`the function returned a ${typeof result}`);
  const iterable = Array.isArray(result) || typeof (result as Iterable<unknown>)[Symbol.iterator] === 'function';
  if (iterable) {
    const rows = Array.isArray(result) ? result : Array.from(result as Iterable<unknown>);
    if (rows.length !== n) fail(`the function returned ${rows.length} row${rows.length === 1 ? '' : 's'} for ${n}`);
    for (const name of names) {
      const column = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const row = rows[i] as Record<string, unknown> | null;
        if (row === null || typeof row !== 'object') fail(`row ${i} it returned is ${row === null ? 'null' : typeof row}, not an object`);
        column[i] = row![name];
      }
      out[name] = column;
    }
    return out;
  }
  for (const name of names) {
    const column = (result as Record<string, ArrayLike<unknown> | undefined>)[name];
    if (column === null || column === undefined || typeof column.length !== 'number') fail(`the columns it returned have no ${name}`);
    if (column!.length !== n) fail(`the column ${name} it returned has ${column!.length} values for ${n} rows`);
    out[name] = column!;
  }
  return out;
}

/** The shipped job of a stage: the user's `apply`, then `appendColumns` over its result. */
export function appendingJob(names: readonly string[], stage: string): JobExpression {
  return (apply, init) =>
    '{\n' +
    (init ? `  init: ${init},\n` : '') +
    '  async apply(batch, ctx) {\n' +
    `    return (${appendColumns.toString()})(await ${apply}(batch, ctx), batch, ${JSON.stringify(names)}, ${JSON.stringify(stage)});\n` +
    '  },\n}';
}
