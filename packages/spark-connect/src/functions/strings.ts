/** String functions. */
import { Column, callFunction, toColumnFromName, type ColumnOrName } from '../column.js';
import { c1 } from './core.js';

export const upper = c1('upper');
export const lower = c1('lower');
/** Length in characters. */
export const length = c1('length');
export const trim = c1('trim');
export const ltrim = c1('ltrim');
export const rtrim = c1('rtrim');
export const reverse = c1('reverse');
export const initcap = c1('initcap');

export function concat(...cols: ColumnOrName[]): Column {
  return callFunction('concat', cols.map(toColumnFromName));
}
export function concatWs(separator: string, ...cols: ColumnOrName[]): Column {
  return callFunction('concat_ws', [separator, ...cols.map(toColumnFromName)]);
}
/** 1-based `pos`, `len` characters (Spark's `substring`). */
export function substring(c: ColumnOrName, pos: number, len: number): Column {
  return callFunction('substring', [toColumnFromName(c), pos, len]);
}
/** Splits around matches of the Java regex `pattern`; `limit` -1 = no limit. */
export function split(c: ColumnOrName, pattern: string, limit = -1): Column {
  return callFunction('split', [toColumnFromName(c), pattern, limit]);
}
export function regexpReplace(c: ColumnOrName, pattern: string, replacement: string): Column {
  return callFunction('regexp_replace', [toColumnFromName(c), pattern, replacement]);
}
export function regexpExtract(c: ColumnOrName, pattern: string, idx: number): Column {
  return callFunction('regexp_extract', [toColumnFromName(c), pattern, idx]);
}
export function lpad(c: ColumnOrName, len: number, pad: string): Column {
  return callFunction('lpad', [toColumnFromName(c), len, pad]);
}
export function rpad(c: ColumnOrName, len: number, pad: string): Column {
  return callFunction('rpad', [toColumnFromName(c), len, pad]);
}
/** 1-based position of `substr` in the column, 0 when absent. */
export function instr(c: ColumnOrName, substr: string): Column {
  return callFunction('instr', [toColumnFromName(c), substr]);
}
export function formatString(format: string, ...cols: ColumnOrName[]): Column {
  return callFunction('format_string', [format, ...cols.map(toColumnFromName)]);
}
