/** Aggregate functions, for `groupBy(...).agg(...)` and `df.agg(...)`. */
import { Column, callFunction, toColumnFromName, type ColumnOrName } from '../column.js';

/** `count(col)`; `count('*')` counts rows. */
export function count(c: ColumnOrName): Column {
  return callFunction('count', [c === '*' ? 1 : toColumnFromName(c)]);
}
export function countDistinct(...cols: ColumnOrName[]): Column {
  return callFunction('count', cols.map(toColumnFromName), true);
}
export function sum(c: ColumnOrName): Column {
  return callFunction('sum', [toColumnFromName(c)]);
}
export function sumDistinct(c: ColumnOrName): Column {
  return callFunction('sum', [toColumnFromName(c)], true);
}
export function avg(c: ColumnOrName): Column {
  return callFunction('avg', [toColumnFromName(c)]);
}
export function mean(c: ColumnOrName): Column {
  return callFunction('mean', [toColumnFromName(c)]);
}
export function min(c: ColumnOrName): Column {
  return callFunction('min', [toColumnFromName(c)]);
}
export function max(c: ColumnOrName): Column {
  return callFunction('max', [toColumnFromName(c)]);
}
/** First value in the group; `ignoreNulls` skips nulls. */
export function first(c: ColumnOrName, ignoreNulls = false): Column {
  return callFunction('first', [toColumnFromName(c), ignoreNulls]);
}
export function last(c: ColumnOrName, ignoreNulls = false): Column {
  return callFunction('last', [toColumnFromName(c), ignoreNulls]);
}
/** Sample standard deviation. */
export function stddev(c: ColumnOrName): Column {
  return callFunction('stddev', [toColumnFromName(c)]);
}
export function variance(c: ColumnOrName): Column {
  return callFunction('variance', [toColumnFromName(c)]);
}
export function collectList(c: ColumnOrName): Column {
  return callFunction('collect_list', [toColumnFromName(c)]);
}
export function collectSet(c: ColumnOrName): Column {
  return callFunction('collect_set', [toColumnFromName(c)]);
}
export function approxCountDistinct(c: ColumnOrName): Column {
  return callFunction('approx_count_distinct', [toColumnFromName(c)]);
}
