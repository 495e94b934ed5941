/**
 * Options of `runJob()` in three stages (as Temporal's worker options): `RunOptions`
 * as users write them (all optional, each with its default), validated once at the
 * public entry, then `ResolvedRunOptions` with every default filled in.
 */
import { availableParallelism } from 'node:os';
import type { OutputFormat } from '@tsapply/common';
import { InvalidOptionError } from './errors.js';
import { OUTPUT_FORMATS } from './io/writers/dataset-writer.js';

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
  /** Type-check the job file before running it. @default true */
  typecheck?: boolean;
  /** Print nothing but the result (no inferred-schema notes). @default false */
  quiet?: boolean;
  /** Where the result table goes when the job has no output. @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** Where notes (inferred schema, native addons) go. @default process.stderr */
  stderr?: NodeJS.WritableStream;
}

/** Options of the embedded engine's `runJob()`. */
export interface RunOptions extends JobRunOptions {
  /** Worker threads in the pool. @default os.availableParallelism() */
  workers?: number;
  /** Partitions the input is cut into (contiguous chunks; hash buckets with groupBy). @default workers */
  numPartitions?: number;
  /** Called after each finished task. */
  onProgress?: (progress: RunProgress) => void;
}

export interface ResolvedRunOptions {
  workers: number;
  serializer: string;
  output: string | undefined;
  format: OutputFormat | undefined;
  overwrite: boolean;
  show: number;
  typecheck: boolean;
  quiet: boolean;
  numPartitions: number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  onProgress: ((progress: RunProgress) => void) | undefined;
}

const KEYS = [
  'workers',
  'serializer',
  'output',
  'format',
  'overwrite',
  'show',
  'typecheck',
  'quiet',
  'numPartitions',
  'stdout',
  'stderr',
  'onProgress',
] as const;

function fail(option: string, message: string): never {
  throw new InvalidOptionError(message, { option });
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(name, `options.${name} must be a positive integer, got ${String(v)}.`);
  return v;
}

/** Validates `options` (unknown keys and wrong types are errors) and fills defaults. */
export function resolveRunOptions(options: RunOptions | undefined, fn = 'runJob'): ResolvedRunOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null || Array.isArray(o)) fail('options', `Invalid options in ${fn}(): expected an object.`);
  for (const key of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(key)) fail(key, `Invalid option in ${fn}(): "${key}". Valid options: ${KEYS.join(', ')}.`);
  }
  const workers = o.workers === undefined ? availableParallelism() : positiveInt('workers', o.workers);
  const serializer = o.serializer ?? 'fast';
  if (typeof serializer !== 'string' || serializer === '') fail('serializer', `options.serializer must be 'fast', 'compressed', 'zstd' or a module path, got ${String(serializer)}.`);
  if (o.output !== undefined && (typeof o.output !== 'string' || o.output === '')) fail('output', 'options.output must be a non-empty path.');
  if (o.format !== undefined && !OUTPUT_FORMATS.includes(o.format)) {
    fail('format', `options.format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}.`);
  }
  const show = o.show ?? 20;
  if (typeof show !== 'number' || !Number.isInteger(show) || show < 0) fail('show', `options.show must be a non-negative integer, got ${String(show)}.`);
  for (const k of ['overwrite', 'typecheck', 'quiet'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') fail(k, `options.${k} must be a boolean, got ${typeof o[k]}.`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') fail('onProgress', 'options.onProgress must be a function.');
  return {
    workers,
    serializer,
    output: o.output,
    format: o.format,
    overwrite: o.overwrite ?? false,
    show,
    typecheck: o.typecheck ?? true,
    quiet: o.quiet ?? false,
    numPartitions: o.numPartitions === undefined ? workers : positiveInt('numPartitions', o.numPartitions),
    stdout: o.stdout ?? process.stdout,
    stderr: o.stderr ?? process.stderr,
    onProgress: o.onProgress,
  };
}
