/**
 * How the generated wrappers turn their arguments into Columns, following PySpark's
 * three conventions: a string names a column (`ColumnOrName`); a number is a literal
 * where PySpark takes `ColumnOrName | int`; anything not a Column is a literal where
 * PySpark takes a Column or a Python value.
 */
import { toColumn, toColumnFromName, type Column, type ColumnOrName } from '../column.js';

/** `ColumnOrName`: a string is a column name. */
export function asColumn(v: ColumnOrName): Column {
  return toColumnFromName(v);
}

/** `ColumnOrName | int`: a number (or bigint) is a literal, a string a column name. */
export function asColumnOrNumber(v: ColumnOrName | number | bigint): Column {
  return typeof v === 'number' || typeof v === 'bigint' ? toColumn(v) : toColumnFromName(v);
}

/** `Column | value`: a Column stays, anything else (a string too) is a literal. */
export function asColumnOrValue(v: unknown): Column {
  return toColumn(v);
}
