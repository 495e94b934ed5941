/**
 * Whatever `apply()` returned → a stream of Arrow RecordBatches in the output schema.
 *
 * Accepted forms (the `ApplyResult` union): an array of row objects, a `{column: values[]}`
 * object, an Arrow RecordBatch or Table (from any copy of apache-arrow), a sync or async
 * iterable of rows, or null/undefined (no rows). Large results are cut into batches of at
 * most `maxRowsPerBatch` rows, and iterables are consumed chunk by chunk, so a generator
 * producing millions of rows never has more than one chunk in memory.
 */
import type * as arrow from 'apache-arrow';
import { SchemaMismatchError } from '../errors.js';
import { readOptions } from '../options/read-options.js';
import { adoptRecordBatch, isArrowRecordBatch, isArrowTable } from './adopt-arrow.js';
import { jsTypeName, describeValue } from './describe-value.js';
import { checkColumnsObject, columnsRangeToRecordBatch, rowsRangeToRecordBatch } from './rows-to-batch.js';

export interface ApplyResultOptions {
  /** Upper bound on rows per emitted RecordBatch. @default 10000 */
  maxRowsPerBatch?: number;
}

const DEFAULTS: Required<ApplyResultOptions> = { maxRowsPerBatch: 10_000 };

function validateOptions(options: unknown): Required<ApplyResultOptions> {
  const o = readOptions('applyResultToBatches()', options, ['maxRowsPerBatch'] as const);
  return { maxRowsPerBatch: o.positiveInteger('maxRowsPerBatch') ?? DEFAULTS.maxRowsPerBatch };
}

function isColumnValues(v: unknown): boolean {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function article(name: string): string {
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

function wrongShape(result: unknown): SchemaMismatchError {
  const actual = jsTypeName(result);
  return new SchemaMismatchError(
    `apply() returned ${article(actual)}; expected an array of rows, a {column: values} object, ` +
      'an Arrow RecordBatch/Table, or an (async) iterable of rows',
    { actual: describeValue(result) },
  );
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
  let value = result;
  if (isObjectLike(value) && typeof (value as { then?: unknown }).then === 'function') value = await value;
  if (value === null || value === undefined) return;

  if (Array.isArray(value)) {
    for (let start = 0; start < value.length; start += maxRowsPerBatch) {
      yield rowsRangeToRecordBatch(value, start, Math.min(value.length, start + maxRowsPerBatch), schema);
    }
    return;
  }
  if (isArrowTable(value)) {
    for (const batch of value.batches) yield* sliceBatch(adoptRecordBatch(batch, schema, 'Arrow Table'), maxRowsPerBatch);
    return;
  }
  if (isArrowRecordBatch(value)) {
    yield* sliceBatch(adoptRecordBatch(value, schema), maxRowsPerBatch);
    return;
  }
  if (typeof value === 'string') throw wrongShape(value);
  if (isObjectLike(value) && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    yield* chunkRows(value as AsyncIterable<unknown>, schema, maxRowsPerBatch);
    return;
  }
  if (isObjectLike(value) && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' && !ArrayBuffer.isView(value)) {
    yield* chunkRowsSync(value as Iterable<unknown>, schema, maxRowsPerBatch);
    return;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && !entries.some(([, v]) => isColumnValues(v))) {
      const [k, v] = entries[0]!;
      throw new SchemaMismatchError(
        `apply() returned a single object whose values are not arrays ("${k}" is ${describeValue(v)}). ` +
          'Return an array of rows ([{ … }]) or a {column: values[]} object.',
        { actual: describeValue(value) },
      );
    }
    const n = checkColumnsObject(value, schema);
    for (let start = 0; start < n; start += maxRowsPerBatch) {
      yield columnsRangeToRecordBatch(value, start, Math.min(n, start + maxRowsPerBatch), schema);
    }
    return;
  }
  throw wrongShape(value);
}

function isObjectLike(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
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
