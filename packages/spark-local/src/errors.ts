/**
 * Errors raised by the managed local Spark server. All extend `TsapplyError`, so
 * `isTsapplyError(e)` recognises them across copies of the library, and each carries
 * the facts a caller needs as typed fields (port, pid, log path, log tail…).
 */
import { TsapplyError } from '@tsapply/common';

/** An option passed to startSparkConnect()/the CLI is unknown or has an invalid value. */
export class SparkLocalOptionError extends TsapplyError {
  /** Name of the offending option. */
  readonly option: string;
  constructor(message: string, option: string) {
    super(message, 'SPARK_LOCAL_OPTION');
    this.option = option;
  }
}

/** A required tool (Java 17+, Python 3.10+ with venv) is missing or too old. */
export class MissingPrerequisiteError extends TsapplyError {
  /** `'java'` or `'python'`. */
  readonly tool: 'java' | 'python';
  /** What was found, e.g. `"java 11.0.2 at /usr/bin/java"`, or undefined when nothing was. */
  readonly found: string | undefined;
  constructor(message: string, fields: { tool: 'java' | 'python'; found?: string }) {
    super(message, 'SPARK_LOCAL_PREREQUISITE');
    this.tool = fields.tool;
    this.found = fields.found;
  }
}

/** Creating the project-managed Python environment (venv + pip install) failed. */
export class PythonEnvError extends TsapplyError {
  /** Directory of the environment that could not be created. */
  readonly envDir: string;
  /** Last lines of the failing command's output. */
  readonly outputTail: string;
  constructor(message: string, fields: { envDir: string; outputTail?: string }) {
    super(message, 'SPARK_LOCAL_PYTHON_ENV');
    this.envDir = fields.envDir;
    this.outputTail = fields.outputTail ?? '';
  }
}

/** The port the server should listen on is already taken by another process. */
export class PortInUseError extends TsapplyError {
  readonly port: number;
  /** Pid of the process listening there, when it could be found (Linux /proc, same user). */
  readonly pid: number | undefined;
  constructor(port: number, pid: number | undefined) {
    const who = pid !== undefined ? ` (pid ${pid})` : '';
    super(`Port ${port} is already in use${who}. Stop that process or pass --port.`, 'SPARK_LOCAL_PORT_IN_USE');
    this.port = port;
    this.pid = pid;
  }
}

/** A managed server is already running for this state directory. */
export class SparkAlreadyRunningError extends TsapplyError {
  readonly pid: number;
  readonly address: string;
  constructor(message: string, fields: { pid: number; address: string }) {
    super(message, 'SPARK_LOCAL_ALREADY_RUNNING');
    this.pid = fields.pid;
    this.address = fields.address;
  }
}

/** The server process exited, or did not answer in time, while starting. */
export class SparkStartError extends TsapplyError {
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
  ) {
    super(message, 'SPARK_LOCAL_START');
    this.reason = fields.reason;
    this.exitStatus = fields.exitStatus;
    this.log = fields.log;
    this.logTail = fields.logTail;
  }
}
