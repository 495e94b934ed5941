/**
 * Error classes shared by every tsapply package, and the machinery every tsapply error
 * class uses.
 *
 * One hierarchy, one constructor shape: every class extends `TsapplyError` and is built
 * as `new X(message, fields?, { cause }?)`. `fields` are the class's typed fields (a
 * class with sub-codes takes `fields.code`); classes whose message is computed from
 * their fields also offer `X.fromFields(fields)`. Each class declares its `className`
 * (its name, spelled out so it survives minification) and its default `code`, and is
 * registered with `registerErrorClass` so `deserializeError` rebuilds it after it
 * crossed a thread, a process or the Python shim.
 *
 * User bundles carry their own copy of `@tsapply/common`, and errors cross worker
 * threads and processes, so `instanceof` is unreliable: use `isTsapplyError(e)` (any
 * tsapply error) or `X.is(e)` (an `X` or a subclass of it), which compare a
 * `Symbol.for` brand and the class names the error was built with — the way arrow-js's
 * `DataType.isDataType` and Temporal's type-helpers check across copies.
 */

const BRAND = Symbol.for('tsapply.error');
/** The `className`s of the error's class and of each tsapply class above it, most specific first. */
const CLASSES = Symbol.for('tsapply.error.classes');

/** The third constructor argument of every tsapply error class. */
export interface TsapplyErrorOptions {
  /** The error that caused this one (kept as `cause`, serialized with it). */
  cause?: unknown;
}

/** Fields every tsapply error class accepts. */
export interface TsapplyErrorFields {
  /** Overrides the class's default `code` (for classes with sub-codes, e.g. `PAYLOAD_TRUNCATED`). */
  code?: string;
}

/** What `registerErrorClass` and `X.is` need of an error class. */
export interface TsapplyErrorClass<T extends TsapplyError = TsapplyError> {
  new (message: string, fields: never, options?: TsapplyErrorOptions): T;
  readonly className: string;
  readonly code: string;
  readonly prototype: T;
}

/** The class's own `className`; a subclass that declares none is known by its JS name. */
function nameOf(cls: Function): string {
  return Object.hasOwn(cls, 'className') ? String((cls as unknown as { className: string }).className) : cls.name;
}

/** Base class of every error tsapply raises on purpose. `code` is stable and machine-readable. */
export class TsapplyError extends Error {
  /** The class's name, spelled out: a minified copy of tsapply keeps it. */
  static readonly className: string = 'TsapplyError';
  /** `code` of this class's errors unless `fields.code` says otherwise. */
  static readonly code: string = 'TSAPPLY_ERROR';

  /**
   * True when `e` is an error of this class or of a subclass, also one built by another
   * copy of tsapply (a user bundle's, or one rebuilt by `deserializeError`).
   * `TsapplyError.is(e)` is `isTsapplyError(e)`.
   */
  static is<T extends TsapplyError>(this: { readonly prototype: T }, e: unknown): e is T {
    if (!isTsapplyError(e)) return false;
    const name = nameOf(this as unknown as Function);
    const classes = (e as unknown as Record<symbol, unknown>)[CLASSES];
    // An error from an older copy carries only the base brand: compare its name.
    return Array.isArray(classes) ? classes.includes(name) : e.name === name;
  }

  readonly code: string;

  constructor(message: string, fields: TsapplyErrorFields = {}, options?: TsapplyErrorOptions) {
    super(message, options);
    const cls = new.target as unknown as TsapplyErrorClass;
    this.code = fields.code ?? cls.code;
    const classes: string[] = [];
    for (let c: Function = new.target; c !== Error && c !== null; c = Object.getPrototypeOf(c) as Function) {
      classes.push(nameOf(c));
    }
    Object.defineProperty(this, 'name', { value: classes[0], enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
    Object.defineProperty(this, CLASSES, { value: Object.freeze(classes), enumerable: false, configurable: true });
  }
}

/** True for any TsapplyError, including one created by another copy of this library. */
export function isTsapplyError(e: unknown): e is TsapplyError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * An option is unknown or has a bad value: a library option (`workers`), a CLI flag
 * (`--workers`), a connection parameter, an argument of an API call. The one class for
 * every "bad option" in tsapply; the message names the option, the value and what would
 * be valid. Options are checked with `readOptions` (options/read-options.ts).
 */
export class InvalidOptionError extends TsapplyError {
  static override readonly className = 'InvalidOptionError';
  static override readonly code = 'INVALID_OPTION';
  /** The option as the user spelled it, e.g. `workers`, `--workers`, `retry.maxRetries` or `options`. */
  readonly option: string;
  constructor(message: string, fields: { option: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.option = fields.option;
  }
}

/** A value returned by `apply()` (or read from input) does not fit the declared schema. */
export class SchemaMismatchError extends TsapplyError {
  static override readonly className = 'SchemaMismatchError';
  static override readonly code = 'SCHEMA_MISMATCH';
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
    options?: TsapplyErrorOptions,
  ) {
    super(message, {}, options);
    this.column = fields.column;
    this.expected = fields.expected;
    this.actual = fields.actual;
    this.rowIndex = fields.rowIndex;
    this.partition = fields.partition;
  }
}

/**
 * The value `apply()` returned has the wrong shape: not one of the `ApplyResult` forms
 * (a string, a number, a class instance…), a row that is not an object, a
 * `{column: values}` object whose values are not arrays or have different lengths.
 * Raised with and without a declared schema, with the same message; a well-shaped
 * result whose values do not fit the schema is a `SchemaMismatchError` instead.
 */
export class ResultShapeError extends TsapplyError {
  static override readonly className = 'ResultShapeError';
  static override readonly code = 'RESULT_SHAPE';
  /** JS type and a short preview of the offending value (the result, a row or a column), e.g. `number 42`. */
  readonly actual: string | undefined;
  /** 0-based index of the offending row within the returned result, when a row is wrong. */
  readonly rowIndex: number | undefined;
  /** The offending column of a `{column: values}` object, when a column is wrong. */
  readonly column: string | undefined;
  /** The partition whose result was wrong, when the error comes from a task. */
  readonly partition: number | undefined;

  constructor(
    message: string,
    fields: { actual?: string; rowIndex?: number; column?: string; partition?: number } = {},
    options?: TsapplyErrorOptions,
  ) {
    super(message, {}, options);
    this.actual = fields.actual;
    this.rowIndex = fields.rowIndex;
    this.column = fields.column;
    this.partition = fields.partition;
  }
}

/**
 * The job module's export is not a usable job: no default export, not an object, an
 * unknown field, no `input`, `apply` not a function, a bad `schema`, `groupBy`,
 * `batchSize` or `output`; or, for a shipped function (`mapInArrow(fn)`), the named
 * export is missing or not a function. Raised by the one check of a job's shape
 * (`checkJobDefinition` in @tsapply/worker-runtime), with the same message on the
 * driver and in every worker.
 */
export class JobDefinitionError extends TsapplyError {
  static override readonly className = 'JobDefinitionError';
  static override readonly code = 'JOB_DEFINITION';
  /** The job file (or the module of a shipped function), as the message shows it. */
  readonly jobFile: string;
  /** The export that was looked up: `default` for job files, the function's name otherwise. */
  readonly exportName: string;
  /** The job's field that is wrong (`apply`, `output.format`, an unknown field…); undefined when the export itself is. */
  readonly field: string | undefined;

  constructor(message: string, fields: { jobFile: string; exportName?: string; field?: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.jobFile = fields.jobFile;
    this.exportName = fields.exportName ?? 'default';
    this.field = fields.field;
  }
}

/** No `schema` was declared and one could not be inferred from the sample. */
export class SchemaInferenceError extends TsapplyError {
  static override readonly className = 'SchemaInferenceError';
  static override readonly code = 'SCHEMA_INFERENCE';
  readonly column: string | undefined;
  constructor(message: string, fields: { column?: string } = {}, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.column = fields.column;
  }
}

/** A Spark DDL schema string could not be parsed. */
export class DDLParseError extends TsapplyError {
  static override readonly className = 'DDLParseError';
  static override readonly code = 'DDL_PARSE';
  readonly ddl: string;
  /** 0-based character offset into `ddl` where parsing failed. */
  readonly position: number;
  /** What the parser expected at `position`. */
  readonly expected: string;
  constructor(message: string, fields: { ddl: string; position: number; expected: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.ddl = fields.ddl;
    this.position = fields.position;
    this.expected = fields.expected;
  }
}

/** A serializer failed, is unknown, or a custom serializer module has the wrong shape. */
export class SerializerError extends TsapplyError {
  static override readonly className = 'SerializerError';
  static override readonly code = 'SERIALIZER';
  readonly serializerId: string | undefined;
  constructor(message: string, fields: { serializerId?: string } = {}, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.serializerId = fields.serializerId;
  }
}

/**
 * Payload bytes are not a valid tsapply payload. `code` says what was wrong:
 * `PAYLOAD_BAD_MAGIC`, `PAYLOAD_TRUNCATED`, `PAYLOAD_CORRUPTED`, `PAYLOAD_UNKNOWN_SERIALIZER`, … (`PAYLOAD` by default).
 */
export class PayloadError extends TsapplyError {
  static override readonly className = 'PayloadError';
  static override readonly code = 'PAYLOAD';
  constructor(message: string, fields: { code?: string } = {}, options?: TsapplyErrorOptions) {
    super(message, fields, options);
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
  /** With `groupBy`: the failing group's key, as `g="a", n=3` (see `describeGroupKey`). */
  group?: string;
  /** Which user function threw. @default 'apply' */
  phase?: 'apply' | 'init' | 'load';
}

/** User code (`apply`, `init`, or the job module itself) threw. Build it with `UserCodeError.fromFields`. */
export class UserCodeError extends TsapplyError {
  static override readonly className = 'UserCodeError';
  static override readonly code = 'USER_CODE';
  readonly userMessage: string;
  readonly errorName: string;
  readonly location: SourceLocation | undefined;
  readonly userStack: string | undefined;
  readonly partition: number | undefined;
  readonly group: string | undefined;
  readonly phase: 'apply' | 'init' | 'load';

  /** `Error in apply() at x.ts:12:7 (partition 3, group g="a"): TypeError: boom`. */
  static formatMessage(fields: UserCodeErrorFields): string {
    const where = fields.location ? ` at ${fields.location.file}:${fields.location.line}:${fields.location.column}` : '';
    const place = describeCallPlace(fields.partition, fields.group);
    const part = place !== '' ? ` (${place})` : '';
    const name = fields.errorName && fields.errorName !== 'Error' ? `${fields.errorName}: ` : '';
    return `Error in ${fields.phase ?? 'apply'}()${where}${part}: ${name}${fields.userMessage}`;
  }

  /** The error with its standard message (`UserCodeError.formatMessage(fields)`). */
  static fromFields(fields: UserCodeErrorFields, options?: TsapplyErrorOptions): UserCodeError {
    return new UserCodeError(UserCodeError.formatMessage(fields), fields, options);
  }

  constructor(message: string, fields: UserCodeErrorFields, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.userMessage = fields.userMessage;
    this.errorName = fields.errorName;
    this.location = fields.location;
    this.userStack = fields.userStack;
    this.partition = fields.partition;
    this.group = fields.group;
    this.phase = fields.phase ?? 'apply';
  }
}

/** Where a call of user code ran, for messages: `partition 3`, `partition 3, group g="a"`, or ''. */
export function describeCallPlace(partition: number | undefined, group: string | undefined): string {
  return [...(partition !== undefined ? [`partition ${partition}`] : []), ...(group !== undefined ? [`group ${group}`] : [])].join(', ');
}


/**
 * One call of the user's function (one batch, or one whole group; `init` counts in the
 * call that runs it) took longer than `taskTimeoutMs`. The worker running it was ended:
 * a synchronous loop cannot be interrupted any other way. On Spark the task is retried.
 */
export class TaskTimeoutError extends TsapplyError {
  static override readonly className = 'TaskTimeoutError';
  static override readonly code = 'TASK_TIMEOUT';
  readonly partition: number | undefined;
  readonly timeoutMs: number;
  /** With `groupBy`: the key of the group whose call ran too long, as `g="a", n=3` (see `describeGroupKey`). */
  readonly group: string | undefined;

  static fromFields(fields: { partition?: number; timeoutMs: number; group?: string }): TaskTimeoutError {
    const part = fields.partition !== undefined ? ` in partition ${fields.partition}` : '';
    const group = fields.group !== undefined ? ` (group ${fields.group})` : '';
    const secs = fields.timeoutMs / 1000;
    return new TaskTimeoutError(
      `The function ran longer than the task timeout${part}${group}: one call took more than ${secs} s (taskTimeoutMs: ${fields.timeoutMs}). ` +
        'Find where it hangs, make one call do less (a smaller batchSize), or allow more time with taskTimeoutMs (--task-timeout <seconds>).',
      fields,
    );
  }

  constructor(message: string, fields: { partition?: number; timeoutMs: number; group?: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.partition = fields.partition;
    this.timeoutMs = fields.timeoutMs;
    this.group = fields.group;
  }
}

/** The worker running the user's function reached its heap limit. */
export class WorkerOutOfMemoryError extends TsapplyError {
  static override readonly className = 'WorkerOutOfMemoryError';
  static override readonly code = 'WORKER_OUT_OF_MEMORY';
  readonly partition: number | undefined;
  /** The heap limit in MB, when known. */
  readonly heapLimitMb: number | undefined;

  static fromFields(fields: { partition?: number; heapLimitMb?: number }): WorkerOutOfMemoryError {
    const part = fields.partition !== undefined ? ` in partition ${fields.partition}` : '';
    const limit = fields.heapLimitMb !== undefined ? `heap limit ${fields.heapLimitMb} MB` : "Node's default heap limit";
    return new WorkerOutOfMemoryError(
      `Out of memory${part} (${limit}): the function's worker ran out of JavaScript heap and was ended. ` +
        'Raise the limit with workerMemory (--worker-memory, e.g. 4g), or make one call hold less (a smaller batchSize, streaming the rows).',
      fields,
    );
  }

  constructor(message: string, fields: { partition?: number; heapLimitMb?: number }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.partition = fields.partition;
    this.heapLimitMb = fields.heapLimitMb;
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

const classes = new Map<string, TsapplyErrorClass>();
const factories = new Map<string, ErrorFactory>();

/**
 * Registers an error class so `deserializeError` rebuilds it — with its class, `code`
 * and fields — instead of a plain TsapplyError, after it crossed a thread, a process or
 * the Python shim. Every tsapply error class registers itself where it is defined:
 * `registerErrorClass(MyError)` rebuilds it as `new MyError(message, { ...fields, code })`.
 * The form `registerErrorClass(name, factory)` registers a factory of one's own.
 */
export function registerErrorClass(cls: TsapplyErrorClass): void;
export function registerErrorClass(name: string, factory: ErrorFactory): void;
export function registerErrorClass(clsOrName: TsapplyErrorClass | string, factory?: ErrorFactory): void {
  if (typeof clsOrName === 'string') {
    classes.delete(clsOrName);
    factories.set(clsOrName, factory!);
    return;
  }
  const cls = clsOrName;
  const name = nameOf(cls);
  classes.set(name, cls);
  factories.set(name, (s) => new cls(s.message, { ...s.fields, ...(s.code !== undefined ? { code: s.code } : {}) } as never));
}

/** The class registered under `name` (its `className`), or undefined. */
export function registeredErrorClass(name: string): TsapplyErrorClass | undefined {
  return classes.get(name);
}

registerErrorClass(TsapplyError);
registerErrorClass(InvalidOptionError);
registerErrorClass(SchemaMismatchError);
registerErrorClass(ResultShapeError);
registerErrorClass(JobDefinitionError);
registerErrorClass(SchemaInferenceError);
registerErrorClass(DDLParseError);
registerErrorClass(SerializerError);
registerErrorClass(PayloadError);
registerErrorClass(UserCodeError);
registerErrorClass(TaskTimeoutError);
registerErrorClass(WorkerOutOfMemoryError);

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

/** Inverse of `serializeError`: rebuilds registered tsapply error classes with their fields; others become `Error`s. */
export function deserializeError(obj: unknown): Error {
  if (typeof obj !== 'object' || obj === null || (obj as SerializedError).__tsapplyError !== 1) {
    return new TsapplyError(`Unknown error: ${String(obj)}`);
  }
  const s = obj as SerializedError;
  const factory = factories.get(s.name);
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
    // An unregistered tsapply error class (kept branded, with its code and name, so
    // `isTsapplyError` holds and `X.is` of another copy that knows X compares the name)
    // or a foreign error.
    err = s.tsapply ? new TsapplyError(s.message, s.code !== undefined ? { code: s.code } : {}) : new Error(s.message);
    Object.defineProperty(err, 'name', { value: s.name, configurable: true, writable: true });
    if (s.tsapply) Object.defineProperty(err, CLASSES, { value: Object.freeze([s.name, 'TsapplyError']) });
    if (!s.tsapply && s.code !== undefined) (err as Error & { code: string }).code = s.code;
    Object.assign(err, s.fields);
  }
  if (s.stack !== undefined) Object.defineProperty(err, 'stack', { value: s.stack, configurable: true, writable: true });
  if (s.cause !== undefined) Object.defineProperty(err, 'cause', { value: deserializeError(s.cause), configurable: true, writable: true });
  return err;
}
