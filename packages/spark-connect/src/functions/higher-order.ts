/**
 * Higher-order functions: Spark evaluates a lambda per element of an array or entry of
 * a map. The lambda is a TypeScript arrow function that BUILDS the expression — it is
 * called once, here, with Columns standing for its variables — as PySpark's are:
 *
 *   F.transform('scores', (x) => x.multiply(2))
 *   F.filter('tags', (t, i) => i.lt(3).and(t.ne('')))
 *   F.aggregate('xs', lit(0), (acc, x) => acc.plus(x), (acc) => acc.divide(10))
 *
 * Nothing runs per row in Node: the lambda's body is sent to Spark as an expression.
 * (To run TypeScript per row, use mapInArrow.)
 */
import { create } from '@bufbuild/protobuf';
import { InvalidOptionError, shownValue } from '@tsapply/common';
import { ExpressionSchema } from '../gen/spark/connect/expressions_pb.js';
import { Column, callFunction, isColumn, toColumnFromName, type ColumnOrName } from '../column.js';

type Lambda1 = (x: Column) => Column;
type Lambda2 = (x: Column, y: Column) => Column;
type Lambda3 = (x: Column, y: Column, z: Column) => Column;

// Variable names only need to be unique within one expression tree; a counter per
// process keeps nested lambdas (a transform inside a filter) apart, as PySpark's does.
let nextVariable = 0;
const VARIABLE_NAMES = ['x', 'y', 'z'];

/** The lambda expression for `f`, with as many variables as it declares (between `min` and `max`). */
function lambda(f: unknown, what: string, min: number, max: number): Column {
  if (typeof f !== 'function') throw new InvalidOptionError(`${what} needs a function building a Column, such as (x) => x.plus(1); got ${shownValue(f)}.`, { option: 'f' });
  const arity = Math.min(Math.max(f.length, min), max);
  const names = Array.from({ length: arity }, (_, i) => `${VARIABLE_NAMES[i]}_${nextVariable++}`);
  const variables = names.map((n) => new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedNamedLambdaVariable', value: { nameParts: [n] } } })));
  const body: unknown = (f as (...v: Column[]) => unknown)(...variables);
  if (!isColumn(body)) {
    throw new InvalidOptionError(`${what}: the function must return a Column expression built from its arguments (e.g. x.plus(1)), got ${shownValue(body)}. It is not run per row.`, { option: 'f' });
  }
  return new Column(
    create(ExpressionSchema, {
      exprType: { case: 'lambdaFunction', value: { function: body.toProto(), arguments: names.map((n) => ({ nameParts: [n] })) } },
    }),
  );
}

/** Each element mapped: `f(x)` or `f(x, index)`. */
export function transform(col: ColumnOrName, f: Lambda1 | Lambda2): Column {
  return callFunction('transform', [toColumnFromName(col), lambda(f, 'transform(col, f)', 1, 2)]);
}
/** The elements for which `f(x)` (or `f(x, index)`) is true. */
export function filter(col: ColumnOrName, f: Lambda1 | Lambda2): Column {
  return callFunction('filter', [toColumnFromName(col), lambda(f, 'filter(col, f)', 1, 2)]);
}
/** Whether `f(x)` holds for some element. */
export function exists(col: ColumnOrName, f: Lambda1): Column {
  return callFunction('exists', [toColumnFromName(col), lambda(f, 'exists(col, f)', 1, 1)]);
}
/** Whether `f(x)` holds for every element. */
export function forall(col: ColumnOrName, f: Lambda1): Column {
  return callFunction('forall', [toColumnFromName(col), lambda(f, 'forall(col, f)', 1, 1)]);
}
/** Folds the array from `initialValue` with `merge(acc, x)`, then applies `finish(acc)` if given. */
export function aggregate(col: ColumnOrName, initialValue: ColumnOrName, merge: Lambda2, finish?: Lambda1): Column {
  return callFunction('aggregate', [
    toColumnFromName(col),
    toColumnFromName(initialValue),
    lambda(merge, 'aggregate(col, initialValue, merge)', 2, 2),
    ...(finish === undefined ? [] : [lambda(finish, 'aggregate(…, finish)', 1, 1)]),
  ]);
}
/** Same as `aggregate` (Spark's `reduce`). */
export function reduce(col: ColumnOrName, initialValue: ColumnOrName, merge: Lambda2, finish?: Lambda1): Column {
  return callFunction('reduce', [
    toColumnFromName(col),
    toColumnFromName(initialValue),
    lambda(merge, 'reduce(col, initialValue, merge)', 2, 2),
    ...(finish === undefined ? [] : [lambda(finish, 'reduce(…, finish)', 1, 1)]),
  ]);
}
/** Two arrays merged element by element with `f(left, right)` (the shorter padded with nulls). */
export function zipWith(left: ColumnOrName, right: ColumnOrName, f: Lambda2): Column {
  return callFunction('zip_with', [toColumnFromName(left), toColumnFromName(right), lambda(f, 'zipWith(left, right, f)', 2, 2)]);
}
/** The map's entries for which `f(key, value)` is true. */
export function mapFilter(col: ColumnOrName, f: Lambda2): Column {
  return callFunction('map_filter', [toColumnFromName(col), lambda(f, 'mapFilter(col, f)', 2, 2)]);
}
/** Two maps merged key by key with `f(key, value1, value2)`. */
export function mapZipWith(col1: ColumnOrName, col2: ColumnOrName, f: Lambda3): Column {
  return callFunction('map_zip_with', [toColumnFromName(col1), toColumnFromName(col2), lambda(f, 'mapZipWith(col1, col2, f)', 3, 3)]);
}
/** The map with each key replaced by `f(key, value)`. */
export function transformKeys(col: ColumnOrName, f: Lambda2): Column {
  return callFunction('transform_keys', [toColumnFromName(col), lambda(f, 'transformKeys(col, f)', 2, 2)]);
}
/** The map with each value replaced by `f(key, value)`. */
export function transformValues(col: ColumnOrName, f: Lambda2): Column {
  return callFunction('transform_values', [toColumnFromName(col), lambda(f, 'transformValues(col, f)', 2, 2)]);
}
/** The array sorted ascending (nulls last), or by `comparator(a, b)` returning a negative, zero or positive integer. */
export function arraySort(col: ColumnOrName, comparator?: Lambda2): Column {
  return callFunction('array_sort', [toColumnFromName(col), ...(comparator === undefined ? [] : [lambda(comparator, 'arraySort(col, comparator)', 2, 2)])]);
}
