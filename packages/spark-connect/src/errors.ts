/**
 * Errors raised by the Spark Connect client. All extend `TsapplyError` from
 * `@tsapply/common`, so `isTsapplyError(e)` recognises them across library copies.
 */
import { TsapplyError } from '@tsapply/common';

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
 * the way Spark itself prints errors.
 */
export class SparkError extends TsapplyError {
  readonly errorClass: string | undefined;
  readonly sqlState: string | undefined;
  readonly errorId: string | undefined;
  readonly messageParameters: Record<string, string>;
  readonly grpcCode: number;
  readonly errorTypeHierarchy: string[];
  readonly serverMessage: string;
  readonly causes: string[];

  constructor(fields: SparkErrorFields, options?: { cause?: unknown }) {
    super(formatSparkMessage(fields), 'SPARK_ERROR', options);
    this.errorClass = fields.errorClass;
    this.sqlState = fields.sqlState;
    this.errorId = fields.errorId;
    this.messageParameters = fields.messageParameters ?? {};
    this.grpcCode = fields.grpcCode;
    this.errorTypeHierarchy = fields.errorTypeHierarchy ?? [];
    this.serverMessage = fields.serverMessage;
    this.causes = fields.causes ?? [];
  }
}

function formatSparkMessage(fields: SparkErrorFields): string {
  let text = fields.serverMessage.trim();
  // Spark's messages usually already start with "[CLASS] " and end with ". SQLSTATE: x";
  // add what is missing so every SparkError prints the same way.
  if (fields.errorClass && !text.startsWith(`[${fields.errorClass}]`)) text = `[${fields.errorClass}] ${text}`;
  if (fields.sqlState && !text.includes(`SQLSTATE: ${fields.sqlState}`)) {
    text = `${text.replace(/\.$/, '')}. SQLSTATE: ${fields.sqlState}`;
  }
  return text;
}

/** The Spark Connect server could not be reached (after the bounded retries). */
export class SparkConnectionError extends TsapplyError {
  /** `host:port` the client tried. */
  readonly address: string;
  /** How many attempts were made in total. */
  readonly attempts: number;
  /** Time spent trying, in milliseconds. */
  readonly elapsedMs: number;

  constructor(message: string, fields: { address: string; attempts: number; elapsedMs: number }, options?: { cause?: unknown }) {
    super(message, 'SPARK_CONNECTION', options);
    this.address = fields.address;
    this.attempts = fields.attempts;
    this.elapsedMs = fields.elapsedMs;
  }
}

/** A connection string (`sc://…`) or a client option is invalid. */
export class SparkConnectOptionError extends TsapplyError {
  constructor(message: string) {
    super(message, 'SPARK_CONNECT_OPTION');
  }
}

/** An API was used wrongly (bad argument, stopped session, …); raised before any RPC. */
export class SparkUsageError extends TsapplyError {
  constructor(message: string) {
    super(message, 'SPARK_USAGE');
  }
}
