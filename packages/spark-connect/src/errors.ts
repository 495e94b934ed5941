/**
 * Errors raised by the Spark Connect client. All extend `TsapplyError` from
 * `@tsapply/common` (constructor `(message, fields?, { cause }?)`), so
 * `isTsapplyError(e)` and `SparkError.is(e)` recognise them across library copies, and
 * are registered so `deserializeError` rebuilds them. A bad option or argument is an
 * `InvalidOptionError` (from `@tsapply/common`).
 */
import { InvalidOptionError, TsapplyError, registerErrorClass, type TsapplyErrorOptions } from '@tsapply/common';
import { pathNotFoundHint } from './path-not-found-hint.js';

/** Structured fields of an error reported by the Spark server. */
export interface SparkErrorFields {
  /** Spark's error class, e.g. `PARSE_SYNTAX_ERROR`; undefined for errors without one. */
  errorClass?: string;
  /** ANSI SQLSTATE, e.g. `42601`. */
  sqlState?: string;
  /** Server-side id of the error, usable with FetchErrorDetails. */
  errorId?: string;
  /** Parameters of the error class's message template. */
  messageParameters?: Record<string, string>;
  /** gRPC status code of the failed call (`@grpc/grpc-js` `status` enum). */
  grpcCode: number;
  /** Fully qualified JVM exception classes, most specific first. */
  errorTypeHierarchy?: string[];
  /** The server's complete message (FetchErrorDetails), including a Python worker traceback. */
  serverMessage: string;
  /** Messages of the chained causes reported by the server, outermost first. */
  causes?: string[];
}

/**
 * A Spark operation failed on the server. Prints as `[CLASS] message. SQLSTATE: x`,
 * the way Spark itself prints errors; `SparkError.fromFields(fields)` builds that message.
 */
export class SparkError extends TsapplyError {
  static override readonly className = 'SparkError';
  static override readonly code = 'SPARK_ERROR';

  /** The error with Spark's message format, `[CLASS] message. SQLSTATE: x`. */
  static fromFields(fields: SparkErrorFields, options?: TsapplyErrorOptions): SparkError {
    return new SparkError(formatSparkMessage(fields), fields, options);
  }

  readonly errorClass: string | undefined;
  readonly sqlState: string | undefined;
  readonly errorId: string | undefined;
  readonly messageParameters: Record<string, string>;
  readonly grpcCode: number;
  readonly errorTypeHierarchy: string[];
  readonly serverMessage: string;
  readonly causes: string[];

  constructor(message: string, fields: SparkErrorFields, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.errorClass = fields.errorClass;
    this.sqlState = fields.sqlState;
    this.errorId = fields.errorId;
    this.messageParameters = fields.messageParameters ?? {};
    this.grpcCode = fields.grpcCode;
    this.errorTypeHierarchy = fields.errorTypeHierarchy ?? [];
    this.serverMessage = fields.serverMessage;
    this.causes = fields.causes ?? [];
  }

  /**
   * What Node prints for an uncaught SparkError or `console.log(e)`: the message, the
   * stack and Spark's class and state — not the gRPC cause with its raw status bytes and
   * the server message a second time (both stay on the object: `e.cause`, `e.serverMessage`).
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const facts = [
      this.errorClass && `errorClass: '${this.errorClass}'`,
      this.sqlState && `sqlState: '${this.sqlState}'`,
      this.errorTypeHierarchy[0] && `serverException: '${this.errorTypeHierarchy[0]}'`,
    ].filter(Boolean);
    return `${this.stack ?? `SparkError: ${this.message}`}${facts.length ? ` {\n  ${facts.join(',\n  ')}\n}` : ''}`;
  }
}

/**
 * What an older server says of a plan message it does not know (a relation or expression
 * that a newer Spark added): 4.1+ "This oneOf field in spark.connect.Relation is not set:
 * RELTYPE_NOT_SET", 4.0 "Expected Relation to be set, but is empty" or "Expression with
 * ID: 0 is not supported".
 */
const UNKNOWN_PLAN_PART = /This oneOf field in spark\.connect\.\w+ is not set: \w+_NOT_SET|Expected \w+ to be set, but is empty|Expression with ID: \d+ is not supported/;

/** The DataFrame members whose plan messages need a Spark newer than 4.0, and which. */
const NEWER_MEMBERS = 'repartitionById needs Spark 4.1, nearestByJoin 4.2, zip 4.3';

function formatSparkMessage(fields: SparkErrorFields): string {
  let text = fields.serverMessage.trim();
  // Spark's messages usually already start with "[CLASS] " and end with ". SQLSTATE: x";
  // add what is missing so every SparkError prints the same way.
  if (fields.errorClass && !text.startsWith(`[${fields.errorClass}]`)) text = `[${fields.errorClass}] ${text}`;
  if (fields.sqlState && !text.includes(`SQLSTATE: ${fields.sqlState}`)) {
    text = `${text.replace(/\.$/, '')}. SQLSTATE: ${fields.sqlState}`;
  }
  if (fields.errorClass === 'PATH_NOT_FOUND') text += pathNotFoundHint(fields.messageParameters?.path ?? /Path does not exist: (\S+?)\.?(?:\s|$)/.exec(text)?.[1]);
  if (UNKNOWN_PLAN_PART.test(text)) {
    text +=
      `\nThe server did not recognise part of the plan: it runs an older Spark than one of the DataFrame members used needs (${NEWER_MEMBERS}; ` +
      '`await spark.version` gives the server\'s). Run the query on a newer Spark, or do without that member.';
  }
  return text;
}

/** The Spark Connect server could not be reached (after the bounded retries). */
export class SparkConnectionError extends TsapplyError {
  static override readonly className = 'SparkConnectionError';
  static override readonly code = 'SPARK_CONNECTION';
  /** `host:port` the client tried. */
  readonly address: string;
  /** How many attempts were made in total. */
  readonly attempts: number;
  /** Time spent trying, in milliseconds. */
  readonly elapsedMs: number;

  constructor(message: string, fields: { address: string; attempts: number; elapsedMs: number }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.address = fields.address;
    this.attempts = fields.attempts;
    this.elapsedMs = fields.elapsedMs;
  }
}

/**
 * @deprecated A bad connection string or client option is an `InvalidOptionError`;
 * this name is kept so `instanceof SparkConnectOptionError` and
 * `SparkConnectOptionError.is(e)` keep working (`name` and `code` are
 * `InvalidOptionError` / `INVALID_OPTION`).
 */
export const SparkConnectOptionError = InvalidOptionError;
/** @deprecated Use `InvalidOptionError`. */
export type SparkConnectOptionError = InvalidOptionError;

/**
 * An API was used in a state that does not allow it — a stopped session, `when()`
 * after `otherwise()`, a released model — raised before any RPC. (A bad argument is an
 * `InvalidOptionError`.)
 */
export class SparkUsageError extends TsapplyError {
  static override readonly className = 'SparkUsageError';
  static override readonly code = 'SPARK_USAGE';
}

registerErrorClass(SparkError);
registerErrorClass(SparkConnectionError);
registerErrorClass(SparkUsageError);
