/**
 * Whatever `apply()` returned → a stream of Arrow RecordBatches in the output schema
 * (`applyResultToBatches`), or → plain rows when there is no schema yet and one is to
 * be inferred from them (`applyResultToRows`). Both classify the value with
 * `classifyResult` (classify-result.ts), so a wrongly shaped result is the same
 * `ResultShapeError` with or without a schema; values that do not fit the schema are
 * `SchemaMismatchError`s.
 *
 * Large results are cut into batches of at most `maxRowsPerBatch` rows, and iterables
 * are consumed chunk by chunk, so a generator producing millions of rows never has
 * more than one chunk in memory.
 */
import type * as arrow from 'apache-arrow';
import { Vector } from 'apache-arrow';
import { readOptions } from '../options/read-options.js';
import { adoptRecordBatch } from './adopt-arrow.js';
import { recordBatchToRows } from './batch-to-rows.js';
import { vectorToJS } from './data-to-js.js';
import { checkRow, classifyResult, type ColumnValues } from './classify-result.js';
import { checkColumnNames, columnsRangeToRecordBatch, rowsRangeToRecordBatch } from './rows-to-batch.js';

export interface ApplyResultOptions {
  /** Upper bound on rows per emitted RecordBatch. @default 10000 */
  maxRowsPerBatch?: number;
}

const DEFAULTS: Required<ApplyResultOptions> = { maxRowsPerBatch: 10_000 };

function validateOptions(options: unknown): Required<ApplyResultOptions> {
  const o = readOptions('applyResultToBatches()', options, ['maxRowsPerBatch'] as const);
  return { maxRowsPerBatch: o.positiveInteger('maxRowsPerBatch') ?? DEFAULTS.maxRowsPerBatch };
}

/** Convert any `ApplyResult` to RecordBatches of at most `maxRowsPerBatch` rows in `schema`. */
export function applyResultToBatches(
  result: unknown,
  schema: arrow.Schema,
  options: ApplyResultOptions = {},
): AsyncGenerator<arrow.RecordBatch, void, undefined> {
  let checked: Required<ApplyResultOptions>;
  try {
    checked = validateOptions(options);
  } catch (e) {
    // An async generator reports a bad option on its first next(), as before.
    return (async function* () {
      throw e;
    })();
  }
  return resultToBatches(result, schema, checked.maxRowsPerBatch);
}

/**
 * `applyResultToBatches` without the option check, for the runtime's own per-batch
 * loop: its options are built by tsapply (checked once per task), so checking them
 * again for every batch would only cost time.
 */
export async function* resultToBatches(
  result: unknown,
  schema: arrow.Schema,
  maxRowsPerBatch: number = DEFAULTS.maxRowsPerBatch,
): AsyncGenerator<arrow.RecordBatch, void, undefined> {
  const c = await classifyResult(result);
  switch (c.kind) {
    case 'empty':
      return;
    case 'rows':
      for (let start = 0; start < c.rows.length; start += maxRowsPerBatch) {
        yield rowsRangeToRecordBatch(c.rows, start, Math.min(c.rows.length, start + maxRowsPerBatch), schema);
      }
      return;
    case 'table':
      for (const batch of c.table.batches) yield* sliceBatch(adoptRecordBatch(batch, schema, 'Arrow Table'), maxRowsPerBatch);
      return;
    case 'recordBatch':
      yield* sliceBatch(adoptRecordBatch(c.batch, schema), maxRowsPerBatch);
      return;
    case 'asyncIterable':
      yield* chunkRows(c.rows, schema, maxRowsPerBatch);
      return;
    case 'iterable':
      yield* chunkRowsSync(c.rows, schema, maxRowsPerBatch);
      return;
    case 'columns':
      checkColumnNames(c.columns, schema);
      for (let start = 0; start < c.numRows; start += maxRowsPerBatch) {
        yield columnsRangeToRecordBatch(c.columns, start, Math.min(c.numRows, start + maxRowsPerBatch), schema);
      }
      return;
  }
}

/**
 * Collects any `ApplyResult` into plain row objects, without a schema: what schema
 * inference reads (the driver infers the output schema from these rows). Shapes are
 * checked exactly as `applyResultToBatches` checks them, with the same messages.
 */
export async function applyResultToRows(result: unknown): Promise<Record<string, unknown>[]> {
  const c = await classifyResult(result);
  switch (c.kind) {
    case 'empty':
      return [];
    case 'rows':
      for (let i = 0; i < c.rows.length; i++) checkRow(c.rows[i], i);
      return c.rows as Record<string, unknown>[];
    case 'table':
      return c.table.batches.flatMap((b) => recordBatchToRows(b as unknown as arrow.RecordBatch));
    case 'recordBatch':
      return recordBatchToRows(c.batch as unknown as arrow.RecordBatch);
    case 'asyncIterable': {
      const rows: Record<string, unknown>[] = [];
      for await (const row of c.rows) {
        checkRow(row, rows.length);
        rows.push(row);
      }
      return rows;
    }
    case 'iterable': {
      const rows: Record<string, unknown>[] = [];
      for (const row of c.rows) {
        checkRow(row, rows.length);
        rows.push(row);
      }
      return rows;
    }
    case 'columns':
      return columnsToRows(c.columns, c.numRows);
  }
}

/** A checked `{column: values}` object as rows; an absent column (null/undefined) gives that value in every row. */
function columnsToRows(columns: Readonly<Record<string, ColumnValues>>, numRows: number): Record<string, unknown>[] {
  // An Arrow column is read as JS values once, not one `get` per cell.
  const entries = Object.entries(columns).map(([name, v]): [string, ColumnValues] => [name, v instanceof Vector ? vectorToJS(v) : v]);
  const rows = new Array<Record<string, unknown>>(numRows);
  for (let i = 0; i < numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const [name, values] of entries) row[name] = values === null || values === undefined ? values : values[i];
    rows[i] = row;
  }
  return rows;
}

function* sliceBatch(batch: arrow.RecordBatch, max: number): Generator<arrow.RecordBatch> {
  if (batch.numRows <= max) {
    if (batch.numRows > 0) yield batch;
    return;
  }
  for (let start = 0; start < batch.numRows; start += max) yield batch.slice(start, Math.min(batch.numRows, start + max));
}

/** Sync iterables are pulled with a plain loop: no microtask per row. */
function* chunkRowsSync(rows: Iterable<unknown>, schema: arrow.Schema, max: number): Generator<arrow.RecordBatch> {
  let chunk: unknown[] = [];
  let rowBase = 0;
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= max) {
      yield rowsRangeToRecordBatch(chunk, 0, chunk.length, schema, rowBase);
      rowBase += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield rowsRangeToRecordBatch(chunk, 0, chunk.length, schema, rowBase);
}

async function* chunkRows(
  rows: AsyncIterable<unknown>,
  schema: arrow.Schema,
  max: number,
): AsyncGenerator<arrow.RecordBatch> {
  let chunk: unknown[] = [];
  let rowBase = 0;
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length >= max) {
      yield rowsRangeToRecordBatch(chunk, 0, chunk.length, schema, rowBase);
      rowBase += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield rowsRangeToRecordBatch(chunk, 0, chunk.length, schema, rowBase);
}
