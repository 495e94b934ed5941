/** Column constructors: `col`, `lit`, `expr`, `when`, `call` and a few general helpers. */
import { create } from '@bufbuild/protobuf';
import { ExpressionSchema } from '../gen/spark/connect/expressions_pb.js';
import { Column, callFunction, toColumn, toColumnFromName, type ColumnOrName, type ColumnOrValue } from '../column.js';

/** `name(c)` for a one-column Spark function; shared by the function modules (not re-exported by index.ts). */
export const c1 = (name: string) => (c: ColumnOrName): Column => callFunction(name, [toColumnFromName(c)]);

/** A column by name (`'a'`, `'t.a'`, `` '`odd name`' ``, or `'*'`). */
export function col(name: string): Column {
  return toColumnFromName(name);
}
/** Same as `col`. */
export const column = col;

/** A literal value (see `toLiteral` for the type mapping). */
export function lit(value: unknown): Column {
  return toColumn(value);
}

/** A SQL expression string parsed by Spark, e.g. `expr('a + 1 AS b')`. */
export function expr(sql: string): Column {
  return new Column(create(ExpressionSchema, { exprType: { case: 'expressionString', value: { expression: sql } } }));
}

/** Starts a CASE WHEN; chain `.when(…)` and finish with `.otherwise(…)`. */
export function when(condition: Column, value: ColumnOrValue): Column {
  return callFunction('when', [condition, toColumn(value)]);
}

/** Any Spark SQL function by name, e.g. `call('date_add', col('d'), lit(1))`. */
export function call(name: string, ...args: ColumnOrValue[]): Column {
  return callFunction(name, args);
}
/** Same as `call` (PySpark's `call_function`). */
export const callFunctionByName = call;

export function coalesce(...cols: ColumnOrName[]): Column {
  return callFunction('coalesce', cols.map(toColumnFromName));
}
export function isnull(c: ColumnOrName): Column {
  return toColumnFromName(c).isNull();
}
export const abs = c1('abs');
export function round(c: ColumnOrName, scale = 0): Column {
  return callFunction('round', [toColumnFromName(c), scale]);
}
export const sqrt = c1('sqrt');
export const floor = c1('floor');
export const ceil = c1('ceil');
export const year = c1('year');
export const month = c1('month');
export function toDate(c: ColumnOrName, format?: string): Column {
  return callFunction('to_date', format === undefined ? [toColumnFromName(c)] : [toColumnFromName(c), format]);
}
/** Partition index of each row (`spark_partition_id()`). */
export function sparkPartitionId(): Column {
  return callFunction('spark_partition_id', []);
}
