/** Column constructors PySpark builds on the client: `col`, `lit`, `expr`, `when`, `call`, sort orders. */
import { create } from '@bufbuild/protobuf';
import { ExpressionSchema } from '../gen/spark/connect/expressions_pb.js';
import { Column, callFunction, toColumn, toColumnFromName, type ColumnOrName, type ColumnOrValue } from '../column.js';

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

/** Sort orders, as PySpark's `asc('x')` etc.: the same as `col('x').asc()`. */
export const asc = (c: ColumnOrName): Column => toColumnFromName(c).asc();
export const desc = (c: ColumnOrName): Column => toColumnFromName(c).desc();
export const ascNullsFirst = (c: ColumnOrName): Column => toColumnFromName(c).ascNullsFirst();
export const ascNullsLast = (c: ColumnOrName): Column => toColumnFromName(c).ascNullsLast();
export const descNullsFirst = (c: ColumnOrName): Column => toColumnFromName(c).descNullsFirst();
export const descNullsLast = (c: ColumnOrName): Column => toColumnFromName(c).descNullsLast();

/** Marks a (small) DataFrame to be broadcast to every executor in a join: `df.hint('broadcast')`. */
export function broadcast<T extends { hint(name: string): T }>(df: T): T {
  return df.hint('broadcast');
}
