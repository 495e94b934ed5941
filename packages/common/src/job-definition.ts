/**
 * The job file contract: what a user's `export default defineJob({...})` may hold.
 *
 * This module is imported by user bundles (the bundler aliases `tsapply` to a tiny
 * entry that re-exports `defineJob`), so it must stay free of heavy imports: types
 * only, plus one identity function.
 */
import type { RecordBatch, Table, Vector } from 'apache-arrow';

/** Where rows come from. Relative paths are read from the folder of the file the job is written in. */
export type InputSpec =
  | { format: 'csv'; path: string; options?: CsvInputOptions }
  | { format: 'jsonl' | 'json' | 'parquet' | 'arrow'; path: string; options?: Record<string, unknown> }
  | { format: 'image' | 'binaryFile'; path: string; options?: Record<string, unknown> }
  | { range: number | bigint; numPartitions?: number }
  | { rows: ReadonlyArray<Record<string, unknown>> }
  /** An apache-arrow Table in memory, e.g. what a run returned with `collect: true`. */
  | { table: Table }
  /** Spark only: build the input DataFrame yourself. */
  | ((spark: any) => unknown);

export interface CsvInputOptions {
  /** First line holds column names. @default true */
  header?: boolean;
  /** @default ',' */
  delimiter?: string;
  /** Parse numbers and booleans when no schema is declared. @default true */
  inferSchema?: boolean;
  /** The input's schema as Spark DDL; skips inference (like Spark's `.schema(ddl)`). */
  schema?: string;
}

/**
 * `Symbol.for` key under which a job tsapply generates around a captured function keeps
 * that function as the user wrote it, so messages can quote its parameters (the job's
 * own apply is a wrapper that unpacks the captured variables).
 */
export const USER_APPLY_KEY = 'tsapply.userApply';

/** The formats a job can write, in the order messages list them. */
export const OUTPUT_FORMATS = ['parquet', 'csv', 'jsonl', 'arrow'] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputSpec {
  format?: OutputFormat;
  path: string;
  /** 'error' refuses an existing path. @default 'error' */
  mode?: 'error' | 'overwrite';
}

/** What `apply` sees for each call: one Arrow record batch, or one whole group. */
export interface Batch<Row = Record<string, unknown>> extends Iterable<Row> {
  readonly numRows: number;
  /** Column names, in schema order. */
  readonly columns: readonly string[];
  /** The Arrow vector of a column; throws naming the valid columns when absent. */
  column(name: string): Vector;
  /**
   * A column's values as JS values, for columnar code: a numeric column without nulls is
   * its typed array (Float64Array, Int32Array, BigInt64Array…; a read-only view, no copy),
   * any other column an array of the values rows hold (strings, Dates, null…), converted
   * once per batch. Throws naming the valid columns when absent.
   */
  values(name: string): ArrayLike<unknown>;
  /** The underlying apache-arrow RecordBatch (zero-copy). */
  readonly arrow: RecordBatch;
  /** All rows as plain objects (materialised on demand). */
  toArray(): Row[];
}

export interface ApplyContext<Context = unknown, State = unknown> {
  readonly context: Context;
  readonly partitionIndex: number;
  readonly state: State;
  /** With `groupBy`: the group's key values by column name. */
  readonly key?: Record<string, unknown>;
}

export type ApplyResult =
  | ReadonlyArray<Record<string, unknown>>
  | Record<string, ArrayLike<unknown>>
  | RecordBatch
  | Table
  | Iterable<Record<string, unknown>>
  | AsyncIterable<Record<string, unknown>>
  | null
  | undefined;

export interface JobDefinition<Context = unknown, State = unknown> {
  input: InputSpec;
  /** Output schema as Spark DDL, e.g. `'name string, n long'`. Inferred from a sample when omitted. */
  schema?: string;
  groupBy?: readonly string[];
  context?: Context;
  init?: (context: Context) => State | Promise<State>;
  apply: (batch: Batch, ctx: ApplyContext<Context, State>) => ApplyResult | Promise<ApplyResult>;
  output?: OutputSpec;
  /** Rows per Arrow record batch handed to `apply` (without groupBy). @default 10000 */
  batchSize?: number;
  /**
   * Longest one call of `apply` may run, in ms (one batch, or one whole group; `init` counts
   * in the call that runs it). A call that takes longer fails its task with a
   * TaskTimeoutError; Spark retries the task. The `taskTimeoutMs` option and
   * `--task-timeout` override it. @default no limit
   */
  taskTimeoutMs?: number;
}

/**
 * Every field a job definition may have, in the order messages list them (the job's
 * shape is checked once, by `checkJobDefinition` in @tsapply/worker-runtime, on the
 * driver and in every worker).
 */
export const JOB_FIELDS = ['input', 'schema', 'groupBy', 'context', 'init', 'apply', 'output', 'batchSize', 'taskTimeoutMs'] as const satisfies readonly (keyof JobDefinition)[];

/**
 * Fails to compile when a field is added to `JobDefinition` but not to `JOB_FIELDS`
 * (the checker would refuse it as unknown). Types only: nothing reaches user bundles.
 */
export type UnlistedJobFields = CheckNever<Exclude<keyof JobDefinition, (typeof JOB_FIELDS)[number]>>;
type CheckNever<T extends never> = T;

/** Identity at run time; exists so job files get types and editors get completion. */
export function defineJob<Context = unknown, State = unknown>(
  job: JobDefinition<Context, State>,
): JobDefinition<Context, State> {
  return job;
}
