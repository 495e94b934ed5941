/**
 * Error classes shared by every tsapply package.
 *
 * User bundles carry their own copy of `@tsapply/common`, and errors cross worker
 * threads and processes, so `instanceof` is unreliable: use `isTsapplyError(e)`
 * (a `Symbol.for` brand) and `serializeError` / `deserializeError` to carry an error
 * across a boundary with its class, `code` and typed fields intact.
 */

const BRAND = Symbol.for('tsapply.error');

/** Base class of every error tsapply raises on purpose. `code` is stable and machine-readable. */
export class TsapplyError extends Error {
  readonly code: string;

  constructor(message: string, code = 'TSAPPLY_ERROR', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/** True for any TsapplyError, including one created by another copy of this library. */
export function isTsapplyError(e: unknown): e is TsapplyError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * An option is unknown or has a bad value: a library option (`workers`), a CLI flag
 * (`--workers`), a connection parameter. The one class for every "bad option" in
 * tsapply; the message names the option, the value and what would be valid.
 */
export class InvalidOptionError extends TsapplyError {
  /** The option as the user spelled it, e.g. `workers`, `--workers` or `options`. */
  readonly option: string;
  constructor(message: string, fields: { option: string }, options?: { cause?: unknown }) {
    super(message, 'INVALID_OPTION', options);
    this.option = fields.option;
  }
}

/** A value returned by `apply()` (or read from input) does not fit the declared schema. */
export class SchemaMismatchError extends TsapplyError {
  /** Column name, or undefined when the problem is the shape of the whole result. */
  readonly column: string | undefined;
  /** Expected Spark DDL type, e.g. `bigint`. */
  readonly expected: string | undefined;
  /** JS type and a short preview of the actual value, e.g. `string "abc"`. */
  readonly actual: string | undefined;
  /** 0-based row index within the returned result, when known. */
  readonly rowIndex: number | undefined;
  /** The partition whose result did not fit, when the error comes from a task. */
  readonly partition: number | undefined;

  constructor(
    message: string,
    fields: { column?: string; expected?: string; actual?: string; rowIndex?: number; partition?: number } = {},
  ) {
    super(message, 'SCHEMA_MISMATCH');
    this.column = fields.column;
    this.expected = fields.expected;
    this.actual = fields.actual;
    this.rowIndex = fields.rowIndex;
    this.partition = fields.partition;
  }
}

/** No `schema` was declared and one could not be inferred from the sample. */
export class SchemaInferenceError extends TsapplyError {
  readonly column: string | undefined;
  constructor(message: string, fields: { column?: string } = {}) {
    super(message, 'SCHEMA_INFERENCE');
    this.column = fields.column;
  }
}

/** A Spark DDL schema string could not be parsed. */
export class DDLParseError extends TsapplyError {
  readonly ddl: string;
  /** 0-based character offset into `ddl` where parsing failed. */
  readonly position: number;
  /** What the parser expected at `position`. */
  readonly expected: string;
  constructor(message: string, fields: { ddl: string; position: number; expected: string }) {
    super(message, 'DDL_PARSE');
    this.ddl = fields.ddl;
    this.position = fields.position;
    this.expected = fields.expected;
  }
}

/** A serializer failed, is unknown, or a custom serializer module has the wrong shape. */
export class SerializerError extends TsapplyError {
  readonly serializerId: string | undefined;
  constructor(message: string, fields: { serializerId?: string } = {}, options?: { cause?: unknown }) {
    super(message, 'SERIALIZER', options);
    this.serializerId = fields.serializerId;
  }
}

/** Payload bytes are not a valid tsapply payload (bad magic, truncated, corrupted, unknown version/serializer). */
export class PayloadError extends TsapplyError {
  constructor(message: string, code = 'PAYLOAD', options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/** Where an error happened in the user's ORIGINAL TypeScript source. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface UserCodeErrorFields {
  /** The message of the error the user's code threw. */
  userMessage: string;
  /** The `name` of the thrown error (`TypeError`, `Error`, a custom class name…). */
  errorName: string;
  /** Original .ts location of the throwing frame, when it could be mapped. */
  location?: SourceLocation;
  /** The user's stack with bundle positions mapped back to the .ts sources. */
  userStack?: string;
  /** Partition (or group) index the failing call worked on. */
  partition?: number;
  /** Which user function threw. @default 'apply' */
  phase?: 'apply' | 'init' | 'load';
}

/** User code (`apply`, `init`, or the job module itself) threw. */
export class UserCodeError extends TsapplyError {
  readonly userMessage: string;
  readonly errorName: string;
  readonly location: SourceLocation | undefined;
  readonly userStack: string | undefined;
  readonly partition: number | undefined;
  readonly phase: 'apply' | 'init' | 'load';

  constructor(fields: UserCodeErrorFields) {
    const phase = fields.phase ?? 'apply';
    const where = fields.location
      ? ` at ${fields.location.file}:${fields.location.line}:${fields.location.column}`
      : '';
    const part = fields.partition !== undefined ? ` (partition ${fields.partition})` : '';
    const name = fields.errorName && fields.errorName !== 'Error' ? `${fields.errorName}: ` : '';
    super(`Error in ${phase}()${where}${part}: ${name}${fields.userMessage}`, 'USER_CODE');
    this.userMessage = fields.userMessage;
    this.errorName = fields.errorName;
    this.location = fields.location;
    this.userStack = fields.userStack;
    this.partition = fields.partition;
    this.phase = phase;
  }
}

/** Plain-object form of an error: survives structured clone and JSON. */
export interface SerializedError {
  __tsapplyError: 1;
  /** True when the original was a TsapplyError (any copy), so it is rebuilt as one. */
  tsapply: boolean;
  /** Class name, e.g. `SchemaMismatchError`; `Error`/`TypeError`… for foreign errors. */
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** Own enumerable fields of the error (typed fields of tsapply errors). */
  fields: Record<string, unknown>;
  cause?: SerializedError;
}

type ErrorFactory = (s: SerializedError) => Error;

const factories: Record<string, ErrorFactory> = {
  TsapplyError: (s) => new TsapplyError(s.message, s.code),
  InvalidOptionError: (s) => new InvalidOptionError(s.message, s.fields as never),
  SchemaMismatchError: (s) => new SchemaMismatchError(s.message, s.fields as never),
  SchemaInferenceError: (s) => new SchemaInferenceError(s.message, s.fields as never),
  DDLParseError: (s) => new DDLParseError(s.message, s.fields as never),
  SerializerError: (s) => new SerializerError(s.message, s.fields as never),
  PayloadError: (s) => new PayloadError(s.message, s.code),
  UserCodeError: (s) => new UserCodeError(s.fields as unknown as UserCodeErrorFields),
};

/**
 * Register how to rebuild an error class defined in another package (e.g. a
 * `BundleError`) so `deserializeError` restores it instead of a plain TsapplyError.
 */
export function registerErrorClass(name: string, factory: ErrorFactory): void {
  factories[name] = factory;
}

function toJsonSafe(v: unknown, depth = 0): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v.toString();
  if (depth > 5) return String(v);
  if (Array.isArray(v)) return v.map((x) => toJsonSafe(x, depth + 1));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) {
      const safe = toJsonSafe(x, depth + 1);
      if (safe !== undefined) out[k] = safe;
    }
    return out;
  }
  return String(v);
}

/** Turn any thrown value into a plain object that survives structured clone and JSON. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error) && !(typeof e === 'object' && e !== null && 'message' in e)) {
    return { __tsapplyError: 1, tsapply: false, name: 'Error', message: String(e), fields: {} };
  }
  const err = e as Error & { code?: unknown; cause?: unknown };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    if (k === 'code' || k === 'message' || k === 'stack' || k === 'name' || k === 'cause') continue;
    const safe = toJsonSafe(v);
    if (safe !== undefined) fields[k] = safe;
  }
  const out: SerializedError = {
    __tsapplyError: 1,
    tsapply: isTsapplyError(e),
    name: typeof err.name === 'string' ? err.name : 'Error',
    message: String(err.message),
    fields,
  };
  if (typeof err.code === 'string') out.code = err.code;
  if (typeof err.stack === 'string') out.stack = err.stack;
  if (err.cause !== undefined) out.cause = serializeError(err.cause);
  return out;
}

/** Inverse of `serializeError`: rebuilds tsapply error classes with their fields; others become `Error`s. */
export function deserializeError(obj: unknown): Error {
  if (typeof obj !== 'object' || obj === null || (obj as SerializedError).__tsapplyError !== 1) {
    return new TsapplyError(`Unknown error: ${String(obj)}`);
  }
  const s = obj as SerializedError;
  const factory = factories[s.name];
  let err: Error;
  if (factory) {
    err = factory(s);
    // The message may have been built with context the constructor cannot recompute.
    if (err.message !== s.message) Object.defineProperty(err, 'message', { value: s.message, configurable: true, writable: true });
    // Fields the constructor does not take (e.g. `partition` on a schema mismatch) are
    // restored too, so nothing set where the error was thrown is lost on the way.
    for (const [k, v] of Object.entries(s.fields)) {
      if (!(k in err)) Object.defineProperty(err, k, { value: v, enumerable: true, configurable: true, writable: true });
    }
  } else {
    // An unregistered tsapply error class (kept branded, with its code) or a foreign error.
    err = s.tsapply ? new TsapplyError(s.message, s.code) : new Error(s.message);
    Object.defineProperty(err, 'name', { value: s.name, configurable: true, writable: true });
    if (!s.tsapply && s.code !== undefined) (err as Error & { code: string }).code = s.code;
    Object.assign(err, s.fields);
  }
  if (s.stack !== undefined) Object.defineProperty(err, 'stack', { value: s.stack, configurable: true, writable: true });
  if (s.cause !== undefined) Object.defineProperty(err, 'cause', { value: deserializeError(s.cause), configurable: true, writable: true });
  return err;
}
