/**
 * Helpers for the value `apply` returns.
 *
 * An iterable or async iterable result is lazy: user code keeps running while the
 * runtime pulls rows from it, so a throw inside a generator surfaces during the Arrow
 * conversion. `guardUserIterable` wraps such results so those throws are attributed
 * to user code (mapped, with partition) and never confused with conversion errors.
 */
import { recordBatchToRows } from '@tsapply/common';
import type { RecordBatch } from 'apache-arrow';
import { TsapplyError } from '@tsapply/common';

/** Duck-typed apache-arrow RecordBatch or Table (any copy of the library: no `instanceof`). */
export function isArrowLike(v: unknown): v is { schema: unknown; numRows: number } {
  return typeof v === 'object' && v !== null && 'schema' in v && typeof (v as { numRows?: unknown }).numRows === 'number';
}

function isTableLike(v: unknown): v is { batches: RecordBatch[] } {
  return isArrowLike(v) && Array.isArray((v as { batches?: unknown }).batches);
}

function hasAsyncIterator(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

function hasIterator(v: unknown): v is Iterable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Record<symbol, unknown>)[Symbol.iterator] === 'function';
}

/**
 * Returns `result` unchanged unless it is a lazy (async) iterable; those are wrapped so
 * that anything their `next()` throws goes through `onUserError` first.
 */
export function guardUserIterable(result: unknown, onUserError: (e: unknown) => Error): unknown {
  if (Array.isArray(result) || isArrowLike(result)) return result;
  if (hasAsyncIterator(result)) return guardAsync(result, onUserError);
  if (hasIterator(result) && typeof result !== 'string') return guardSync(result, onUserError);
  return result;
}

// `yield*` forwards every row without buffering; a throw from the user's iterator
// lands in the catch. The runtime never calls `.throw()` on these wrappers, so the
// catch sees user errors only.
function* guardSync(it: Iterable<unknown>, onUserError: (e: unknown) => Error): Generator<unknown> {
  try {
    yield* it;
  } catch (e) {
    throw onUserError(e);
  }
}

async function* guardAsync(it: AsyncIterable<unknown>, onUserError: (e: unknown) => Error): AsyncGenerator<unknown> {
  try {
    yield* it;
  } catch (e) {
    throw onUserError(e);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

const SHAPES =
  'an array of row objects, a {column: array} object, an Arrow RecordBatch or Table, or an iterable / async iterable of rows';

/**
 * Collects any `ApplyResult` into plain row objects (schema inference mode: the driver
 * infers the output schema from these). Lazy results must already be guarded.
 */
export async function applyResultToRows(result: unknown): Promise<Record<string, unknown>[]> {
  if (result === null || result === undefined) return [];
  if (Array.isArray(result)) return checkRows(result);
  if (isTableLike(result)) return result.batches.flatMap((b) => recordBatchToRows(b));
  if (isArrowLike(result)) return recordBatchToRows(result as unknown as RecordBatch);
  if (hasAsyncIterator(result)) {
    const rows: unknown[] = [];
    for await (const row of result) rows.push(row);
    return checkRows(rows);
  }
  if (hasIterator(result) && typeof result !== 'string') return checkRows([...result]);
  if (typeof result === 'object') return columnsToRows(result as Record<string, unknown>);
  throw new TsapplyError(`apply() returned ${describe(result)}; expected ${SHAPES}.`, { code: 'RESULT_SHAPE' });
}

function checkRows(rows: unknown[]): Record<string, unknown>[] {
  rows.forEach((row, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new TsapplyError(`apply() produced row ${i} as ${describe(row)}; each row must be a plain object like { name: value }.`, { code: 'RESULT_SHAPE' });
    }
  });
  return rows as Record<string, unknown>[];
}

function columnsToRows(columns: Record<string, unknown>): Record<string, unknown>[] {
  const names = Object.keys(columns);
  let length: number | undefined;
  for (const name of names) {
    const col = columns[name] as { length?: unknown } | null;
    if (typeof col !== 'object' || col === null || typeof col.length !== 'number') {
      throw new TsapplyError(`apply() returned an object whose "${name}" is ${describe(col)}; expected ${SHAPES}.`, { code: 'RESULT_SHAPE' });
    }
    if (length !== undefined && col.length !== length) {
      throw new TsapplyError(
        `apply() returned columns of different lengths: "${names[0]}" has ${length} values but "${name}" has ${col.length}. Every column must have one value per row.`,
        { code: 'RESULT_SHAPE' },
      );
    }
    length = col.length;
  }
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < (length ?? 0); i++) {
    const row: Record<string, unknown> = {};
    for (const name of names) row[name] = (columns[name] as ArrayLike<unknown>)[i];
    rows.push(row);
  }
  return rows;
}
