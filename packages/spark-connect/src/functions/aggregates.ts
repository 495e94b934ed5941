/** `count`, hand-written for its client-side shape; every other aggregate is generated. */
import { Column, callFunction, toColumnFromName, type ColumnOrName } from '../column.js';

/** `count(col)`: non-null values; `count('*')` counts rows (PySpark sends `count(1)`). */
export function count(c: ColumnOrName): Column {
  return callFunction('count', [c === '*' ? 1 : toColumnFromName(c)]);
}
