/**
 * Errors raised while planning or running a job on Spark. Each extends `TsapplyError`
 * (constructor `(message, fields?, { cause }?)`) and is registered for `deserializeError`.
 * The Python shim raises `ExecutorSetupError` and `WorkerCrashError` by name (see
 * `worker-runtime/python/tsapply_shim.py`, `ERROR_CODES`).
 */
import { TsapplyError, registerErrorClass, type TsapplyErrorOptions } from '@tsapply/common';

/** The function given to mapInArrow/applyInArrow/parallelize cannot be located or shipped. */
export class FunctionLocationError extends TsapplyError {
  static override readonly className = 'FunctionLocationError';
  static override readonly code = 'FUNCTION_LOCATION';

  /** `Cannot ship the function to Spark: <problem>`. */
  static fromFields(fields: { problem: string }, options?: TsapplyErrorOptions): FunctionLocationError {
    return new FunctionLocationError(`Cannot ship the function to Spark: ${fields.problem}`, fields, options);
  }

  /** What is wrong with the function, without the "Cannot ship…" prefix. */
  readonly problem: string;
  constructor(message: string, fields: { problem: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.problem = fields.problem;
  }
}

/** Fields of a `ClosureCaptureError`. */
export interface ClosureCaptureFields {
  /** The captured variable or path that cannot travel (`socket`, `config.client`, `this`). */
  variable: string;
  /** What it holds, e.g. `an instance of class Model`, `a stream or socket (Socket)`. */
  kind: string;
  /** Where it was declared (or used, for `this`), as `file:line`, when known. */
  declaredAt: string | undefined;
}

/**
 * A function given to mapInArrow/applyInArrow/parallelize().map (or its init) uses
 * something that cannot be captured and shipped: a class instance, a stream, `this`
 * of the code around an arrow, a native or bound function…. Raised before anything is
 * uploaded; the message names the variable, the kind of value, where it was declared
 * and what to do instead.
 */
export class ClosureCaptureError extends TsapplyError {
  static override readonly className = 'ClosureCaptureError';
  static override readonly code = 'CLOSURE_CAPTURE';
  readonly variable: string;
  readonly kind: string;
  readonly declaredAt: string | undefined;

  constructor(message: string, fields: ClosureCaptureFields, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.variable = fields.variable;
    this.kind = fields.kind;
    this.declaredAt = fields.declaredAt;
  }
}

/**
 * An executor lacks something tsapply needs: Node.js >= 20, pyarrow, a Python whose
 * version the driver could determine, or a shipped artifact. `reason` is the shim's
 * code: `NODE_MISSING`, `NODE_TOO_OLD`, `PYARROW_MISSING`, `ARTIFACT_MISSING`,
 * `PYTHON_VER_UNKNOWN`, …. (A malformed `pythonVer` option is an InvalidOptionError.)
 */
export class ExecutorSetupError extends TsapplyError {
  static override readonly className = 'ExecutorSetupError';
  static override readonly code = 'EXECUTOR_SETUP';
  readonly reason: string;
  /** For `PYTHON_VERSION_MISMATCH`: the executors' Python `major.minor`, when Spark named it. */
  readonly workerPythonVersion: string | undefined;

  constructor(message: string, fields: { reason: string; workerPythonVersion?: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.reason = fields.reason;
    this.workerPythonVersion = fields.workerPythonVersion;
  }
}

/** Fields of a `WorkerCrashError`. */
export interface WorkerCrashFields {
  /** Process id of the Node worker on its executor. */
  pid: number | undefined;
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  /** Signal name (`SIGKILL`), or null after a normal exit. */
  signal: string | null;
  /** Spark partition whose task was running. */
  partition: number | undefined;
  /** Last lines the worker wrote to stderr. */
  stderrTail: string[];
}

/**
 * The Node worker beside an executor died while running a task (exit, OOM, a crashing
 * native addon) and Spark's retries were exhausted. The message holds the exit status
 * and the tail of the worker's stderr.
 */
export class WorkerCrashError extends TsapplyError {
  static override readonly className = 'WorkerCrashError';
  static override readonly code = 'WORKER_CRASHED';
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly partition: number | undefined;
  readonly stderrTail: string[];

  constructor(message: string, fields: WorkerCrashFields, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.pid = fields.pid;
    this.exitCode = fields.exitCode;
    this.signal = fields.signal;
    this.partition = fields.partition;
    this.stderrTail = fields.stderrTail;
  }
}

/** The session's server runs a Spark that tsapply cannot ship functions to (older than 4.0). */
export class UnsupportedSparkVersionError extends TsapplyError {
  static override readonly className = 'UnsupportedSparkVersionError';
  static override readonly code = 'SPARK_VERSION_UNSUPPORTED';
  readonly serverVersion: string;
  constructor(message: string, fields: { serverVersion: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.serverVersion = fields.serverVersion;
  }
}

registerErrorClass(FunctionLocationError);
registerErrorClass(UnsupportedSparkVersionError);
registerErrorClass(ClosureCaptureError);
registerErrorClass(ExecutorSetupError);
registerErrorClass(WorkerCrashError);
