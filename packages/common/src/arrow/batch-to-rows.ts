/** Arrow RecordBatch → plain row objects (all at once). For lazy iteration use `createBatch`. */
import type * as arrow from 'apache-arrow';
import { rowFactory, vectorToJS } from './data-to-js.js';

/** All rows of a RecordBatch (or Table) as plain objects, converted column by column. */
export function recordBatchToRows(batch: arrow.RecordBatch | arrow.Table): Record<string, unknown>[] {
  const names = batch.schema.fields.map((f) => f.name);
  const columns = names.map((_, j) => vectorToJS(batch.getChildAt(j)!));
  const makeRow = rowFactory(names);
  const n = batch.numRows;
  const rows = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) rows[i] = makeRow(columns, i);
  return rows;
}
