/**
 * Workaround for a plan bug in tsapply's `mapInArrow` (0.1.0): its MapPartitions UDF
 * is sent without arguments, so Spark's optimizer believes the function reads none of
 * its input columns. Any projection or aggregate over the result (`select`, `count`,
 * the Spark ML stages) then prunes the input to zero columns, and the function sees
 * empty batches — the result silently has no rows. PySpark passes every input column
 * as an argument of the UDF; `withUdfInputs` does the same to a mapInArrow result.
 * Remove once `mapInArrow` does it itself (it returns the DataFrame unchanged then).
 */
import type { DataFrame } from 'tsapply';

/** `mapped` (= `await input.mapInArrow(…)`) with `input`'s columns as the UDF's arguments. */
export async function withUdfInputs(input: DataFrame, mapped: DataFrame): Promise<DataFrame> {
  const rel = mapped.relation.relType;
  if (rel.case !== 'mapPartitions' || rel.value.func === undefined || rel.value.func.arguments.length > 0) return mapped;
  const columns = await input.columns();
  return mapped.withRelation({
    case: 'mapPartitions',
    value: { ...rel.value, func: { ...rel.value.func, arguments: columns.map((c) => input.col(c).toProto()) } },
  });
}
