/**
 * Errors raised by the `tsapply` package itself: bad options, unreadable inputs and
 * refused outputs. Every class extends `TsapplyError` from `@tsapply/common`, so the
 * CLI prints its message alone and `isTsapplyError(e)` recognises it across copies.
 */
import { TsapplyError } from '@tsapply/common';

// One class for every bad option in tsapply, shared with the other packages.
export { InvalidOptionError } from '@tsapply/common';

/** The job file's `input` cannot be read: missing path, unreadable file, bad contents. */
export class InputError extends TsapplyError {
  /** Absolute path of the input (or the part file) that failed, when there is one. */
  readonly path: string | undefined;
  /** Input format, e.g. `csv`, `range`, `rows`. */
  readonly format: string;
  constructor(message: string, fields: { path?: string; format: string }, options?: { cause?: unknown }) {
    super(message, 'INPUT', options);
    this.path = fields.path;
    this.format = fields.format;
  }
}

/** The output could not be written (or may not be, e.g. it exists and mode is 'error'). */
export class OutputError extends TsapplyError {
  /** Absolute path of the output directory. */
  readonly path: string;
  constructor(message: string, fields: { path: string }, code = 'OUTPUT', options?: { cause?: unknown }) {
    super(message, code, options);
    this.path = fields.path;
  }
}

/** The job definition itself (the default export) is missing or malformed. */
export class JobDefinitionError extends TsapplyError {
  /** The job file, as given. */
  readonly jobFile: string;
  constructor(message: string, fields: { jobFile: string }) {
    super(message, 'JOB_DEFINITION');
    this.jobFile = fields.jobFile;
  }
}

/** The job's `context` holds a value no serializer can ship (a function, symbol, socket…). */
export class UnserializableContextError extends TsapplyError {
  /** Path inside the context, e.g. `context.model.predict`. */
  readonly path: string;
  constructor(message: string, fields: { path: string }) {
    super(message, 'UNSERIALIZABLE_CONTEXT');
    this.path = fields.path;
  }
}
