/**
 * Errors raised by the `tsapply` package itself: bad options, unreadable inputs and
 * refused outputs. Every class extends `TsapplyError` from `@tsapply/common` (constructor
 * `(message, fields?, { cause }?)`) and is registered for `deserializeError`, so the CLI
 * prints its message alone and `isTsapplyError(e)` / `X.is(e)` recognise it across copies.
 */
import { TsapplyError, registerErrorClass, type TsapplyErrorOptions } from '@tsapply/common';

// One class for every bad option in tsapply, shared with the other packages; one class
// for a malformed job, raised by the one check of a job's shape (driver and workers).
export { InvalidOptionError, JobDefinitionError } from '@tsapply/common';

/** The job file's `input` cannot be read: missing path, unreadable file, bad contents. */
export class InputError extends TsapplyError {
  static override readonly className = 'InputError';
  static override readonly code = 'INPUT';
  /** Absolute path of the input (or the part file) that failed, when there is one. */
  readonly path: string | undefined;
  /** Input format, e.g. `csv`, `range`, `rows`. */
  readonly format: string;
  constructor(message: string, fields: { path?: string; format: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.path = fields.path;
    this.format = fields.format;
  }
}

/**
 * The output could not be written (or may not be, e.g. it exists and mode is 'error').
 * `code` says why: `OUTPUT` (default), `OUTPUT_EXISTS`, `OUTPUT_UNSAFE`, `OUTPUT_UNSUPPORTED`, ….
 */
export class OutputError extends TsapplyError {
  static override readonly className = 'OutputError';
  static override readonly code = 'OUTPUT';
  /** Absolute path of the output directory. */
  readonly path: string;
  constructor(message: string, fields: { path: string; code?: string }, options?: TsapplyErrorOptions) {
    super(message, { code: fields.code }, options);
    this.path = fields.path;
  }
}

/** The run was stopped through its `signal` (the CLI: Ctrl-C) before it finished; nothing was written. */
export class JobInterruptedError extends TsapplyError {
  static override readonly className = 'JobInterruptedError';
  static override readonly code = 'INTERRUPTED';
  constructor(message = 'The run was interrupted before it finished; its workers were stopped and nothing was written.', fields: Record<string, never> = {}, options?: TsapplyErrorOptions) {
    super(message, fields, options);
  }
}

/** The job's `context` holds a value no serializer can ship (a function, symbol, socket…). */
export class UnserializableContextError extends TsapplyError {
  static override readonly className = 'UnserializableContextError';
  static override readonly code = 'UNSERIALIZABLE_CONTEXT';
  /** Path inside the context, e.g. `context.model.predict`. */
  readonly path: string;
  constructor(message: string, fields: { path: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.path = fields.path;
  }
}

/**
 * A file in an image format Spark decodes but the embedded engine's decoder does not
 * (or one that fails Spark's read too). The image reader turns it into an `InputError`
 * naming the file.
 */
export class UnsupportedImageFormat extends TsapplyError {
  static override readonly className = 'UnsupportedImageFormat';
  static override readonly code = 'UNSUPPORTED_IMAGE_FORMAT';

  /** `<formatName>: <hint>`. */
  static fromFields(fields: { formatName: string; hint: string }, options?: TsapplyErrorOptions): UnsupportedImageFormat {
    return new UnsupportedImageFormat(`${fields.formatName}: ${fields.hint}`, fields, options);
  }

  /** The format, e.g. `GIF` or `CMYK JPEG`. */
  readonly formatName: string;
  /** What to do about it (one sentence, no final period). */
  readonly hint: string;
  constructor(message: string, fields: { formatName: string; hint: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.formatName = fields.formatName;
    this.hint = fields.hint;
  }
}

registerErrorClass(InputError);
registerErrorClass(OutputError);
registerErrorClass(UnserializableContextError);
registerErrorClass(UnsupportedImageFormat);
registerErrorClass(JobInterruptedError);
