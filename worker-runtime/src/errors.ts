/**
 * Errors raised by the worker runtime itself (as opposed to errors thrown by user
 * code, which become `UserCodeError` from `@tsapply/common`).
 *
 * Each class is registered with `registerErrorClass` so that `deserializeError`
 * rebuilds it with its fields after it crossed a thread or process boundary — as long
 * as the receiving side imported `@tsapply/worker-runtime` (the driver does, to find
 * the piscina task entry).
 */
import { registerErrorClass, TsapplyError } from '@tsapply/common';

/** The job module evaluated, but what it exports is not a usable job or function. */
export class JobShapeError extends TsapplyError {
  /** The job's original source file (as recorded in the payload). */
  readonly file: string;
  /** The export that was looked up: `default` for job files, the function name otherwise. */
  readonly exportName: string;

  constructor(message: string, fields: { file: string; exportName: string }) {
    super(message, 'JOB_SHAPE');
    this.file = fields.file;
    this.exportName = fields.exportName;
  }
}

/** A task or call handed to the runtime is malformed (a bug in the caller, not in user code). */
export class InvalidTaskError extends TsapplyError {
  constructor(message: string) {
    super(message, 'INVALID_TASK');
  }
}

registerErrorClass('JobShapeError', (s) => new JobShapeError(s.message, s.fields as { file: string; exportName: string }));
registerErrorClass('InvalidTaskError', (s) => new InvalidTaskError(s.message));
