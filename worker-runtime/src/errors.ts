/**
 * Errors raised by the worker runtime itself (as opposed to errors thrown by user
 * code, which become `UserCodeError` from `@tsapply/common`). A malformed task or a bad
 * option of `applyBatch()` is an `InvalidOptionError`; a job of the wrong shape is a
 * `JobDefinitionError` (`checkJobDefinition`, check-job.ts); a frame that breaks the
 * shim ⇄ worker protocol is a `ProtocolError` or a `TruncatedFrameError` (process/).
 *
 * Each class is registered with `registerErrorClass` so that `deserializeError`
 * rebuilds it with its fields after it crossed a thread or process boundary — as long
 * as the receiving side imported `@tsapply/worker-runtime` (the driver does, to find
 * the piscina task entry).
 */
import { InvalidOptionError, JobDefinitionError, registerErrorClass, TsapplyError, type TsapplyErrorOptions } from '@tsapply/common';

/**
 * @deprecated A job module whose export is not a usable job or function is a
 * `JobDefinitionError` (from `@tsapply/common`), on the driver and in the workers
 * alike; this name is kept so `instanceof JobShapeError` and `JobShapeError.is(e)` keep
 * working (`name` and `code` are `JobDefinitionError` / `JOB_DEFINITION`, and the file
 * is `jobFile`).
 */
export const JobShapeError = JobDefinitionError;
/** @deprecated Use `JobDefinitionError`. */
export type JobShapeError = JobDefinitionError;

/**
 * @deprecated A malformed task or a bad option of `applyBatch()` is an
 * `InvalidOptionError`; this name is kept so `instanceof InvalidTaskError` and
 * `InvalidTaskError.is(e)` keep working (`name` and `code` are `InvalidOptionError` /
 * `INVALID_OPTION`).
 */
export const InvalidTaskError = InvalidOptionError;
/** @deprecated Use `InvalidOptionError`. */
export type InvalidTaskError = InvalidOptionError;

/**
 * A frame broke the shim ⇄ worker protocol: an unknown frame type, a `start` the worker
 * cannot read, a batch outside a task. The shim and the worker bundle come from
 * different tsapply versions, or one of them has a bug.
 */
export class ProtocolError extends TsapplyError {
  static override readonly className = 'ProtocolError';
  static override readonly code = 'PROTOCOL';
  /** The frame type that broke the protocol, when one did. */
  readonly frameType: number | undefined;
  constructor(message: string, fields: { frameType?: number } = {}, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.frameType = fields.frameType;
  }
}

/** The byte stream ended inside a frame (the other side died or closed its pipe mid-write). */
export class TruncatedFrameError extends TsapplyError {
  static override readonly className = 'TruncatedFrameError';
  static override readonly code = 'TRUNCATED_FRAME';

  /** `Input stream ended inside a frame: expected N bytes but only M arrived.` */
  static fromFields(fields: { expected: number; got: number }, options?: TsapplyErrorOptions): TruncatedFrameError {
    return new TruncatedFrameError(`Input stream ended inside a frame: expected ${fields.expected} bytes but only ${fields.got} arrived.`, fields, options);
  }

  /** Bytes the frame (or its header) needed. */
  readonly expected: number;
  /** Bytes that arrived before the stream ended. */
  readonly got: number;
  constructor(message: string, fields: { expected: number; got: number }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.expected = fields.expected;
    this.got = fields.got;
  }
}

registerErrorClass(ProtocolError);
registerErrorClass(TruncatedFrameError);
