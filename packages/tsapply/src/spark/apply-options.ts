/**
 * The options of the functions that ship a TypeScript function to Spark —
 * `mapInArrow`, `applyInArrow` and `parallelize().map` — and their one check.
 */
import { readOptions, type OptionReader } from '@tsapply/common';
import { checkPythonVer } from './python-version.js';
import { readWorkerLimits, WORKER_LIMIT_KEYS, type ResolvedWorkerLimits, type WorkerLimitOptions } from '../run-options.js';
import { checkExecutorNode, checkExecutorNodeVersion, type ExecutorNodeChoice } from './executor-node/executor-node.js';

/** Options of `mapInArrow` / `applyInArrow`. */
export interface SparkApplyOptions<Context = unknown> extends WorkerLimitOptions {
  /** Output schema as Spark DDL (`'id bigint, name string'`). @default inferred from a sample run on the driver */
  schema?: string;
  /** Handed to the function as `ctx.context`; serialized and shipped once per job. @default undefined */
  context?: Context;
  /** Context serializer: `'fast'`, `'compressed'` or a serializer module path. @default 'fast' */
  serializer?: string;
  /**
   * Runs once per worker process before the first batch; its result is `ctx.state`.
   * A function exported from the SAME module as `fn`, or the name of that export.
   * @default undefined
   */
  init?: ((context: Context) => unknown) | string;
  /** mapInArrow only: run the stage in barrier mode (all tasks start together). @default false */
  barrier?: boolean;
  /** Executors' Python `major.minor`. @default $TSAPPLY_PYTHON_VER, else detected once per server */
  pythonVer?: string;
  /**
   * Which node the executors run: `'auto'` (theirs when they have Node 20+, else tsapply
   * ships one), `'ship'` (always ship), `'local'` (never ship) or an absolute path there.
   * @default $TSAPPLY_EXECUTOR_NODE, else 'auto'
   */
  executorNode?: ExecutorNodeChoice;
  /** Ship this Node version (`24`, `24.19.0`) from the registry. @default the driver's own node when it fits the executors */
  executorNodeVersion?: string;
  /**
   * How long the Node worker beside an executor may sit idle before it is closed (a new
   * one starts with the next task). Bounds the Node processes of many sessions. @default 300000 (5 minutes)
   */
  workerIdleTimeoutMs?: number;
  /** Input rows sampled for schema inference. @default 1000 */
  sampleRows?: number;
  /** Do not print the inferred schema note. @default false */
  quiet?: boolean;
}

/**
 * Checks the options of mapInArrow/applyInArrow/parallelize().map once, with the
 * shared toolkit: the returned object holds only checked values.
 */
export function checkApplyOptions<K extends string>(options: unknown, keys: readonly K[], fn: string): CheckedApplyOptions {
  const o = readOptions(`${fn}()`, options, keys) as unknown as OptionReader<keyof SparkApplyOptions>;
  const init = o.get('init');
  if (init !== undefined && typeof init !== 'function' && (typeof init !== 'string' || init === '')) {
    o.fail('init', 'a function or the export name of one');
  }
  const limits = readWorkerLimits(o as unknown as OptionReader<(typeof WORKER_LIMIT_KEYS)[number]>);
  const checked: CheckedApplyOptions = {
    schema: o.string('schema', "a Spark DDL string such as 'id bigint, name string'"),
    context: o.get('context'),
    serializer: o.string('serializer', "'fast', 'compressed', 'zstd' or a serializer module path"),
    init: init as SparkApplyOptions['init'],
    barrier: o.boolean('barrier'),
    pythonVer: o.has('pythonVer') ? checkPythonVer(o.get('pythonVer'), 'options.pythonVer') : undefined,
    executorNode: o.has('executorNode') ? checkExecutorNode(o.get('executorNode'), 'options.executorNode') : undefined,
    executorNodeVersion: o.has('executorNodeVersion') ? checkExecutorNodeVersion(o.get('executorNodeVersion'), 'options.executorNodeVersion') : undefined,
    workerIdleTimeoutMs: o.positiveInteger('workerIdleTimeoutMs'),
    sampleRows: o.positiveInteger('sampleRows'),
    quiet: o.boolean('quiet'),
    taskTimeoutMs: limits.taskTimeoutMs,
    workerMemoryMb: limits.workerMemoryMb,
  };
  // Absent options stay absent (exactOptionalPropertyTypes-friendly spreading below).
  for (const k of Object.keys(checked) as (keyof CheckedApplyOptions)[]) if (checked[k] === undefined) delete checked[k];
  return checked;
}

/** The options after their check: `workerMemory` in megabytes. */
export type CheckedApplyOptions = Omit<SparkApplyOptions, 'workerMemory'> & Partial<ResolvedWorkerLimits>;

type ShipSettings = Pick<CheckedApplyOptions, 'pythonVer' | 'executorNode' | 'executorNodeVersion' | 'taskTimeoutMs' | 'workerMemoryMb' | 'workerIdleTimeoutMs'>;

/** The options every way of shipping hands to `shipPayload`, only those that were given. */
export function shipSettings(o: ShipSettings): ShipSettings {
  const out: ShipSettings = {};
  for (const k of ['pythonVer', 'executorNode', 'executorNodeVersion', 'taskTimeoutMs', 'workerMemoryMb', 'workerIdleTimeoutMs'] as const) {
    if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  }
  return out;
}

/** The option names behind `shipSettings`, for each entry's list of known keys. */
export const SHIP_KEYS = ['pythonVer', 'executorNode', 'executorNodeVersion', ...WORKER_LIMIT_KEYS, 'workerIdleTimeoutMs'] as const;
