/** Aggregate functions, for `groupBy(...).agg(...)` and `df.agg(...)`. */
import { Column, callFunction, toColumnFromName, type ColumnOrName } from '../column.js';
import { c1 } from './core.js';

/** `count(col)`; `count('*')` counts rows. */
export function count(c: ColumnOrName): Column {
  return callFunction('count', [c === '*' ? 1 : toColumnFromName(c)]);
}
export function countDistinct(...cols: ColumnOrName[]): Column {
  return callFunction('count', cols.map(toColumnFromName), true);
}
export const sum = c1('sum');
export function sumDistinct(c: ColumnOrName): Column {
  return callFunction('sum', [toColumnFromName(c)], true);
}
export const avg = c1('avg');
export const mean = c1('mean');
export const min = c1('min');
export const max = c1('max');
/** First value in the group; `ignoreNulls` skips nulls. */
export function first(c: ColumnOrName, ignoreNulls = false): Column {
  return callFunction('first', [toColumnFromName(c), ignoreNulls]);
}
export function last(c: ColumnOrName, ignoreNulls = false): Column {
  return callFunction('last', [toColumnFromName(c), ignoreNulls]);
}
/** Sample standard deviation. */
export const stddev = c1('stddev');
export const variance = c1('variance');
export const collectList = c1('collect_list');
export const collectSet = c1('collect_set');
export const approxCountDistinct = c1('approx_count_distinct');
