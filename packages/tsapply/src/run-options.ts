/**
 * Options of `runJob()` in three stages (as Temporal's worker options): `RunOptions`
 * as users write them (all optional, each with its default), validated once at the
 * public entry, then `ResolvedRunOptions` with every default filled in.
 */
import { availableParallelism } from 'node:os';
import type { TsconfigChoice } from '@tsapply/bundler';
import type { OutputFormat } from '@tsapply/common';
import { parseMemorySize, readOptions, type OptionReader } from '@tsapply/common';
import { OUTPUT_FORMATS } from './io/output-formats.js';

/** Progress of a running job, reported after each finished task. */
export interface RunProgress {
  /** Input rows handed to `apply` so far. */
  rowsIn: number;
  /** Rows `apply` returned so far. */
  rowsOut: number;
  /** Tasks (batches or groups) finished. */
  batches: number;
  /** Input rows in total, when known before reading. */
  totalRows: number | undefined;
}

/** Options every engine takes: what to do with the job's context, output and notes. */
export interface JobRunOptions {
  /**
   * Context serializer: `'fast'` (msgpackr), `'compressed'` (msgpackr + LZ4), `'zstd'`
   * (msgpackr + Zstandard), or a path to a module whose default export is a
   * `Serializer` (bundled and shipped with the payload). @default 'fast'
   */
  serializer?: string;
  /** Output directory; overrides the job's `output.path` (relative to the current folder). */
  output?: string;
  /** Output format; overrides the job's `output.format`. @default the job's, else 'parquet' */
  format?: OutputFormat;
  /** Replace an existing output directory (like `output.mode: 'overwrite'`). @default false */
  overwrite?: boolean;
  /** Rows shown when the job has no output (a table on stdout). @default 20 */
  show?: number;
  /**
   * Return the results as `summary.table` (an apache-arrow Table, rows in input order on
   * the embedded engine) instead of printing or writing them. The whole result is held
   * in memory, as `DataFrame.toArrow()` holds it; not with an output path. @default false
   */
  collect?: boolean;
  /** Type-check the job file before running it. @default true */
  typecheck?: boolean;
  /**
   * Called once the type-check has chosen its tsconfig.json (`tsconfig: undefined`:
   * none applies, tsapply's defaults), before it checks; not called without a
   * type-check. `tsapply run --verbose` prints it.
   */
  onTypecheckConfig?: (choice: TsconfigChoice) => void;
  /** Print nothing but the result (no inferred-schema notes). @default false */
  quiet?: boolean;
  /** Where the result table goes when the job has no output. @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** Where notes (inferred schema, native addons) go. @default process.stderr */
  stderr?: NodeJS.WritableStream;
}

/** Limits on the workers that run the job's function, on either engine. */
export interface WorkerLimitOptions {
  /**
   * Longest one call of the function may run, in ms: one batch, or one whole group (with
   * `init` when that call runs it). A call that takes longer ends its worker and fails its
   * task with a TaskTimeoutError naming the partition; Spark retries the task as usual.
   * @default the job file's `taskTimeoutMs`, else no limit
   */
  taskTimeoutMs?: number;
  /**
   * JavaScript heap of each worker (a thread of the embedded engine, a Node process beside
   * each Spark executor): megabytes, or `'512m'`, `'2g'`. A function that needs more ends
   * with a WorkerOutOfMemoryError naming the partition and the limit. @default Node's default
   */
  workerMemory?: number | string;
}

/** The keys of `WorkerLimitOptions`, for the option lists of every entry that takes them. */
export const WORKER_LIMIT_KEYS = ['taskTimeoutMs', 'workerMemory'] as const;

export interface ResolvedWorkerLimits {
  taskTimeoutMs: number | undefined;
  workerMemoryMb: number | undefined;
}

/** Reads `taskTimeoutMs` and `workerMemory` (see `WorkerLimitOptions`). */
export function readWorkerLimits(o: OptionReader<(typeof WORKER_LIMIT_KEYS)[number]>): ResolvedWorkerLimits {
  return {
    taskTimeoutMs: o.positiveInteger('taskTimeoutMs'),
    workerMemoryMb: o.has('workerMemory') ? parseMemorySize(o.get('workerMemory'), 'options.workerMemory') : undefined,
  };
}

/** Options of the embedded engine's `runJob()`. */
export interface RunOptions extends JobRunOptions, WorkerLimitOptions {
  /** Worker threads in the pool. @default os.availableParallelism() */
  workers?: number;
  /**
   * Partitions the input is cut into (contiguous chunks; hash buckets with groupBy).
   * @default the input's own (`range`'s numPartitions), else workers
   */
  numPartitions?: number;
  /** Called after each finished task. */
  onProgress?: (progress: RunProgress) => void;
  /**
   * Stops the run when aborted: running tasks are ended, nothing is written, and `runJob`
   * rejects with a JobInterruptedError. (`tsapply run` aborts it on Ctrl-C.)
   */
  signal?: AbortSignal;
}

/** The engine-independent options with their defaults filled in. */
export interface ResolvedJobRunOptions {
  serializer: string;
  output: string | undefined;
  format: OutputFormat | undefined;
  overwrite: boolean;
  show: number;
  collect: boolean;
  typecheck: boolean;
  onTypecheckConfig: ((choice: TsconfigChoice) => void) | undefined;
  quiet: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface ResolvedRunOptions extends ResolvedJobRunOptions, ResolvedWorkerLimits {
  workers: number;
  /** Undefined: the input's own partitioning (`range`'s numPartitions), else `workers`. */
  numPartitions: number | undefined;
  onProgress: ((progress: RunProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** The keys of `JobRunOptions`, for the option lists of every entry that takes them. */
export type JobRunOptionKey = keyof JobRunOptions;

/** Reads the options every engine takes (see `JobRunOptions`), with their defaults. */
export function readJobRunOptions(o: OptionReader<JobRunOptionKey>): ResolvedJobRunOptions {
  return {
    serializer: o.string('serializer', "'fast', 'compressed', 'zstd' or a serializer module path") ?? 'fast',
    output: o.string('output', 'a non-empty path', true),
    format: o.oneOf('format', OUTPUT_FORMATS),
    overwrite: o.boolean('overwrite') ?? false,
    show: o.nonNegativeInteger('show') ?? 20,
    collect: o.boolean('collect') ?? false,
    typecheck: o.boolean('typecheck') ?? true,
    onTypecheckConfig: o.function<(choice: TsconfigChoice) => void>('onTypecheckConfig'),
    quiet: o.boolean('quiet') ?? false,
    stdout: o.writable('stdout') ?? process.stdout,
    stderr: o.writable('stderr') ?? process.stderr,
  };
}

/** The options every engine takes that select what a run does (output, checks, notes). */
export const JOB_RUN_KEYS = ['serializer', 'output', 'format', 'overwrite', 'show', 'collect', 'typecheck', 'onTypecheckConfig', 'quiet'] as const;

const KEYS = ['workers', ...JOB_RUN_KEYS, 'numPartitions', ...WORKER_LIMIT_KEYS, 'stdout', 'stderr', 'onProgress', 'signal'] as const;

/** Validates `options` of runJob() (unknown keys and wrong types are errors) and fills defaults. */
export function resolveRunOptions(options: RunOptions | undefined, fn = 'runJob'): ResolvedRunOptions {
  const o = readOptions(`${fn}()`, options, KEYS);
  return {
    ...readJobRunOptions(o as OptionReader<JobRunOptionKey>),
    ...readWorkerLimits(o as OptionReader<(typeof WORKER_LIMIT_KEYS)[number]>),
    workers: o.positiveInteger('workers') ?? availableParallelism(),
    numPartitions: o.positiveInteger('numPartitions'),
    onProgress: o.function('onProgress'),
    signal: abortSignal(o),
  };
}

function abortSignal(o: OptionReader<(typeof KEYS)[number]>): AbortSignal | undefined {
  const v = o.get('signal');
  if (v === undefined) return undefined;
  if (!(v instanceof AbortSignal)) o.fail('signal', 'an AbortSignal (from new AbortController().signal)');
  return v as AbortSignal;
}
