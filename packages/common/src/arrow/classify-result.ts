/**
 * The one classification of the value `apply()` returns. Both consumers of that value
 * use it — `resultToBatches` (a declared or inferred schema: Arrow batches) and
 * `applyResultToRows` (no schema yet: plain rows to infer one from) — so the same
 * mistake gives the same `ResultShapeError`, with the same message, on both paths.
 *
 * The forms (the `ApplyResult` union), checked in this order:
 * - null / undefined: no rows;
 * - a promise (any thenable): its value, classified as below;
 * - an array: rows, each checked with `checkRow` where it is consumed (one pass);
 * - an Arrow RecordBatch or Table from any copy of apache-arrow (cross-copy brands,
 *   never `instanceof`; before iterables, since a Table is iterable);
 * - an async iterable, or a sync iterable other than a string or a typed array: rows,
 *   pulled lazily by the consumer, each checked with `checkRow`;
 * - a plain object: `{column: values}`, each value an array or typed array (null or
 *   undefined: an absent column), all of one length;
 * - anything else (a string, a number, a function, a class instance, a typed array…) is
 *   a `ResultShapeError`.
 *
 * Whether the values fit a schema is not decided here: that is `SchemaMismatchError`'s
 * business (rows-to-batch.ts, build-column.ts, adopt-arrow.ts).
 */
import { Vector } from 'apache-arrow';
import { ResultShapeError } from '../errors.js';
import { isArrowRecordBatch, isArrowTable, type AnyRecordBatch, type AnyTable } from './adopt-arrow.js';
import { describeValue, jsTypeName } from './describe-value.js';

/** A column of a `{column: values}` result: an array or a typed array; null/undefined is an absent column. */
export type ColumnValues = ArrayLike<unknown> | null | undefined;

/** What `apply()` returned, by form. */
export type ClassifiedResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'rows'; readonly rows: readonly unknown[] }
  | { readonly kind: 'recordBatch'; readonly batch: AnyRecordBatch }
  | { readonly kind: 'table'; readonly table: AnyTable }
  | { readonly kind: 'iterable'; readonly rows: Iterable<unknown> }
  | { readonly kind: 'asyncIterable'; readonly rows: AsyncIterable<unknown> }
  /** `numRows`: the common length of the columns (0 when every column is absent). */
  | { readonly kind: 'columns'; readonly columns: Readonly<Record<string, ColumnValues>>; readonly numRows: number };

function isObjectLike(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * An array, a typed array (not a DataView), or an Arrow `Vector` — e.g. an input column
 * handed back as it came, `batch.column(name)`, which is then kept without converting
 * it — : what a `{column: values}` object may hold.
 */
export function isColumnValues(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)) || v instanceof Vector;
}

/**
 * `'iterable'` / `'asyncIterable'` when `value` is a lazy stream of rows (a generator,
 * a Set, a custom iterable…), else undefined. Arrays, Arrow tables, strings and typed
 * arrays are iterable too but are not lazy rows: they are classified as themselves.
 * The runtime uses this to guard user iterators (their throws are user errors).
 */
export function lazyRowsKind(value: unknown): 'iterable' | 'asyncIterable' | undefined {
  if (!isObjectLike(value) || Array.isArray(value) || ArrayBuffer.isView(value)) return undefined;
  if (isArrowTable(value) || isArrowRecordBatch(value)) return undefined;
  if (typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function') return 'asyncIterable';
  if (typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') return 'iterable';
  return undefined;
}

function article(name: string): string {
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

/** A row is any non-null object other than an array: its keys are the column names. */
export function isRow(row: unknown): row is Record<string, unknown> {
  return typeof row === 'object' && row !== null && !Array.isArray(row);
}

/** The error for row `rowIndex` (0-based, within the whole result) that is not an object. */
export function notARowError(row: unknown, rowIndex: number): ResultShapeError {
  const actual = describeValue(row);
  return new ResultShapeError(`Row ${rowIndex} is ${actual}; each row must be an object like { name: value }.`, { actual, rowIndex });
}

/** Throws the `ResultShapeError` for `row` unless it is a row object. */
export function checkRow(row: unknown, rowIndex: number): asserts row is Record<string, unknown> {
  if (!isRow(row)) throw notARowError(row, rowIndex);
}

function wrongForm(value: unknown): ResultShapeError {
  return new ResultShapeError(
    `apply() returned ${article(jsTypeName(value))}; expected an array of rows, a {column: values} object, ` +
      'an Arrow RecordBatch/Table, or an (async) iterable of rows',
    { actual: describeValue(value) },
  );
}

/**
 * Checks the shape of a `{column: values}` object — every value an array or typed
 * array (or null/undefined: absent), all of one length — and returns that length.
 */
export function checkColumnsShape(columns: Readonly<Record<string, unknown>>): number {
  const entries = Object.entries(columns);
  if (entries.length > 0 && !entries.some(([, v]) => isColumnValues(v))) {
    // No array at all: most likely one row returned without the surrounding array.
    const [name, v] = entries[0]!;
    throw new ResultShapeError(
      `apply() returned a single object whose values are not arrays ("${name}" is ${describeValue(v)}). ` +
        'Return an array of rows ([{ … }]) or a {column: values[]} object.',
      { actual: describeValue(columns), column: name },
    );
  }
  let length: number | undefined;
  let first = '';
  for (const [name, values] of entries) {
    if (values === undefined || values === null) continue;
    if (!isColumnValues(values)) {
      throw new ResultShapeError(
        `Column "${name}" in the returned {column: values} object is ${describeValue(values)}; expected an array of values.`,
        { actual: describeValue(values), column: name },
      );
    }
    if (length === undefined) {
      length = values.length;
      first = name;
    } else if (values.length !== length) {
      throw new ResultShapeError(
        `Returned columns have different lengths: "${first}" has ${length} value${length === 1 ? '' : 's'} but "${name}" has ${values.length}. ` +
          'Every column must have one value per row.',
        { column: name },
      );
    }
  }
  return length ?? 0;
}

/**
 * Classifies what `apply()` returned (awaiting it first when it is a promise). Throws
 * `ResultShapeError` for a value that is none of the forms, or a `{column: values}`
 * object of the wrong shape; rows are checked by the consumer as it reads them.
 */
export async function classifyResult(result: unknown): Promise<ClassifiedResult> {
  const value = isObjectLike(result) && typeof (result as { then?: unknown }).then === 'function' ? await result : result;
  if (value === null || value === undefined) return { kind: 'empty' };
  if (Array.isArray(value)) return { kind: 'rows', rows: value };
  if (isArrowTable(value)) return { kind: 'table', table: value };
  if (isArrowRecordBatch(value)) return { kind: 'recordBatch', batch: value };
  const lazy = lazyRowsKind(value);
  if (lazy === 'asyncIterable') return { kind: 'asyncIterable', rows: value as AsyncIterable<unknown> };
  if (lazy === 'iterable') return { kind: 'iterable', rows: value as Iterable<unknown> };
  if (isPlainObject(value)) return { kind: 'columns', columns: value as Record<string, ColumnValues>, numRows: checkColumnsShape(value) };
  throw wrongForm(value);
}
