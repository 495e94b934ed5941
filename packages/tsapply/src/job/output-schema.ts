/**
 * The output schema of a run, inferred once and explained once. Every path that runs a
 * user function without a declared schema — the embedded engine (from its first
 * task's rows), Spark runs and `mapInArrow` / `applyInArrow` (from a sample run on
 * the driver), `parallelize().map` (from its first items) — infers with
 * `inferSchema` here and prints the same note, naming where the DDL goes to pin it.
 */
import type * as arrow from 'apache-arrow';
import { inferSchema, SchemaInferenceError, toDDL } from '@tsapply/common';

export interface SampleDescription {
  /** The job file or function, as named in messages (`job.ts`, `mapInArrow(score)`). */
  what: string;
  /** What was sampled, e.g. `the whole input`, `the first 1000 input rows`. */
  sampled: string;
  /** Where a declared schema goes, e.g. `to the job`, `to mapInArrow()`. */
  where: string;
}

/** The function returned no rows for the whole sample, so there is nothing to infer from. */
export function noSampleRowsError(d: SampleDescription): SchemaInferenceError {
  return new SchemaInferenceError(
    `Cannot infer the output schema of ${d.what}: it returned no rows for ${d.sampled}. Add schema: '…' (Spark DDL, e.g. 'name string, n bigint') ${d.where}.`,
  );
}

/** Infers the schema of `rows` (the function's results on the sample); no rows is an error. */
export function schemaFromSample(rows: readonly Record<string, unknown>[], d: SampleDescription): arrow.Schema {
  if (rows.length === 0) throw noSampleRowsError(d);
  return inferSchema(rows as Record<string, unknown>[]);
}

/**
 * The note printed after inference: the DDL, and how to pin it. `label` names what was
 * inferred (`schema`, or `result type` for parallelize().map, whose schema is a type).
 */
export function inferredSchemaNote(schema: arrow.Schema | string, where: string, label = 'schema'): string {
  const ddl = typeof schema === 'string' ? schema : toDDL(schema);
  return `Inferred ${label}: ${ddl}\nAdd schema: '${ddl}' ${where} to skip inference and pin the types.`;
}
