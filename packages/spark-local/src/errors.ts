/**
 * Errors raised by the managed local Spark server. All extend `TsapplyError` (constructor
 * `(message, fields?, { cause }?)`), so `isTsapplyError(e)` and `X.is(e)` recognise them
 * across copies of the library, and each carries the facts a caller needs as typed
 * fields (port, pid, log path, log tail…). A bad option is an `InvalidOptionError`.
 */
import { InvalidOptionError, TsapplyError, registerErrorClass, type TsapplyErrorOptions } from '@tsapply/common';

/**
 * @deprecated A bad option of startSparkConnect()/stopSparkConnect()/statusSparkConnect()
 * is an `InvalidOptionError`; this name is kept so `instanceof SparkLocalOptionError` and
 * `SparkLocalOptionError.is(e)` keep working (`name` and `code` are `InvalidOptionError` /
 * `INVALID_OPTION`).
 */
export const SparkLocalOptionError = InvalidOptionError;
/** @deprecated Use `InvalidOptionError`. */
export type SparkLocalOptionError = InvalidOptionError;

/** A required tool (Java 17+, Python 3.10+ with venv) is missing or too old. */
export class MissingPrerequisiteError extends TsapplyError {
  static override readonly className = 'MissingPrerequisiteError';
  static override readonly code = 'SPARK_LOCAL_PREREQUISITE';
  /** `'java'` or `'python'`. */
  readonly tool: 'java' | 'python';
  /** What was found, e.g. `"java 11.0.2 at /usr/bin/java"`, or undefined when nothing was. */
  readonly found: string | undefined;
  constructor(message: string, fields: { tool: 'java' | 'python'; found?: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.tool = fields.tool;
    this.found = fields.found;
  }
}

/** Creating the project-managed Python environment (venv + pip install) failed. */
export class PythonEnvError extends TsapplyError {
  static override readonly className = 'PythonEnvError';
  static override readonly code = 'SPARK_LOCAL_PYTHON_ENV';
  /** Directory of the environment that could not be created. */
  readonly envDir: string;
  /** Last lines of the failing command's output. */
  readonly outputTail: string;
  constructor(message: string, fields: { envDir: string; outputTail?: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.envDir = fields.envDir;
    this.outputTail = fields.outputTail ?? '';
  }
}

/** The port the server should listen on is already taken by another process. */
export class PortInUseError extends TsapplyError {
  static override readonly className = 'PortInUseError';
  static override readonly code = 'SPARK_LOCAL_PORT_IN_USE';

  /** `Port 15002 is already in use (pid 42). Stop that process or pass --port.` */
  static fromFields(fields: { port: number; pid?: number }, options?: TsapplyErrorOptions): PortInUseError {
    const who = fields.pid !== undefined ? ` (pid ${fields.pid})` : '';
    return new PortInUseError(`Port ${fields.port} is already in use${who}. Stop that process or pass --port.`, fields, options);
  }

  readonly port: number;
  /** Pid of the process listening there, when it could be found (Linux /proc, same user). */
  readonly pid: number | undefined;
  constructor(message: string, fields: { port: number; pid?: number }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.port = fields.port;
    this.pid = fields.pid;
  }
}

/** A managed server is already running on this port (servers on other ports may run beside it). */
export class SparkAlreadyRunningError extends TsapplyError {
  static override readonly className = 'SparkAlreadyRunningError';
  static override readonly code = 'SPARK_LOCAL_ALREADY_RUNNING';

  static fromFields(fields: { pid: number; address: string; port: number; stateDir: string }, options?: TsapplyErrorOptions): SparkAlreadyRunningError {
    return new SparkAlreadyRunningError(
      `A managed Spark Connect server is already running at ${fields.address} (pid ${fields.pid}, state in ${fields.stateDir}). ` +
        `Use it, stop it first ("tsapply spark stop --port ${fields.port}"), or start another one with a different --port.`,
      fields,
      options,
    );
  }

  readonly pid: number;
  /** `sc://localhost:PORT`, without any token. */
  readonly address: string;
  readonly port: number | undefined;
  constructor(message: string, fields: { pid: number; address: string; port?: number }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.pid = fields.pid;
    this.address = fields.address;
    this.port = fields.port;
  }
}

/** The server process exited, or did not answer in time, while starting. */
export class SparkStartError extends TsapplyError {
  static override readonly className = 'SparkStartError';
  static override readonly code = 'SPARK_LOCAL_START';
  /** Why: the process exited during start, or it did not answer before the timeout. */
  readonly reason: 'exited' | 'timeout';
  /** Exit code (or signal name) when `reason` is `'exited'`. */
  readonly exitStatus: string | undefined;
  /** Path of the server's log file. */
  readonly log: string;
  /** The last lines (about 30) of that log. */
  readonly logTail: string;
  constructor(
    message: string,
    fields: { reason: 'exited' | 'timeout'; exitStatus?: string; log: string; logTail: string },
    options?: TsapplyErrorOptions,
  ) {
    super(message, {}, options);
    this.reason = fields.reason;
    this.exitStatus = fields.exitStatus;
    this.log = fields.log;
    this.logTail = fields.logTail;
  }
}

registerErrorClass(MissingPrerequisiteError);
registerErrorClass(PythonEnvError);
registerErrorClass(PortInUseError);
registerErrorClass(SparkAlreadyRunningError);
registerErrorClass(SparkStartError);
