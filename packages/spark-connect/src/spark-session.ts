/**
 * `SparkSession`: one Spark Connect session (one session id, UUID v4) on one server.
 * Entry point for DataFrames (`sql`, `range`, `read`, `createDataFrame`), configuration,
 * artifacts and interrupts. Emits `'progress'` events (`ProgressEvent`) for every
 * ExecutionProgress report of any query it runs.
 */
import { EventEmitter } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import type { Interceptor } from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { InvalidOptionError, TsapplyError, inferSchema, parseDDL, readOptions, rowsToRecordBatch, shownValue, toDDL, withSparkTypes } from '@tsapply/common';
import { PlanSchema, InterruptRequest_InterruptType as InterruptType, type ExecutePlanResponse, type Plan } from './gen/spark/connect/base_pb.js';
import type { Command } from './gen/spark/connect/commands_pb.js';
import { RelationSchema, type Relation } from './gen/spark/connect/relations_pb.js';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { CommandSchema } from './gen/spark/connect/commands_pb.js';
import { parseConnectionString } from './connection-string.js';
import { CONNECT_DEADLINE_MS, SparkConnectClient, type ClientOptions } from './spark-connect-client.js';
import type { ConnectionParams } from './connection-string.js';
import { DEFAULT_RETRY, type ResolvedRetryOptions, type RetryOptions } from './retry-policy.js';
import { executePlanStream, type ExecuteOptions, type ExecuteStats, type ProgressEvent } from './execute-stream.js';
import { DataFrame } from './data-frame.js';
import { DataFrameReader } from './data-frame-reader.js';
import { Catalog } from './catalog.js';
import { RuntimeConfig } from './runtime-config.js';
import { addArtifacts, sendArtifacts, type AddArtifactsOptions, type AddArtifactsResult, type Artifact } from './artifacts.js';
import { SparkUsageError } from './errors.js';
import { structToSchemaDDL } from './data-types.js';

/** Options of `SparkSession.connect`. */
export interface ConnectOptions {
  /** Retries of transient failures (unreachable server, broken stream). @default DEFAULT_RETRY */
  retry?: RetryOptions;
  /** grpc-js client interceptors, applied to every call (tracing, custom auth, tests). @default [] */
  interceptors?: Interceptor[];
  /**
   * How long a call may wait for the server's first answer, in milliseconds; a port
   * where something else listens then fails with a message instead of hanging.
   * @default 60000
   */
  connectTimeoutMs?: number;
}

const CONNECT_OPTION_KEYS = ['retry', 'interceptors', 'connectTimeoutMs'] as const;
const RETRY_KEYS = ['maxRetries', 'initialBackoffMs', 'maxBackoffMs', 'backoffMultiplier'] as const;

/** Checks the options of `SparkSession.connect()` once (InvalidOptionError) and fills in the defaults. */
function checkConnectOptions(options: unknown): ClientOptions {
  const o = readOptions('SparkSession.connect()', options, CONNECT_OPTION_KEYS);
  const r = o.nested('retry', RETRY_KEYS, 'an object such as { maxRetries: 3 }');
  const retry: ResolvedRetryOptions = {
    maxRetries: r?.nonNegativeInteger('maxRetries') ?? DEFAULT_RETRY.maxRetries,
    initialBackoffMs: r?.nonNegativeNumber('initialBackoffMs') ?? DEFAULT_RETRY.initialBackoffMs,
    maxBackoffMs: r?.nonNegativeNumber('maxBackoffMs') ?? DEFAULT_RETRY.maxBackoffMs,
    backoffMultiplier: r?.nonNegativeNumber('backoffMultiplier') ?? DEFAULT_RETRY.backoffMultiplier,
  };
  const interceptors = o.get('interceptors');
  if (interceptors !== undefined && (!Array.isArray(interceptors) || interceptors.some((i) => typeof i !== 'function'))) {
    o.fail('interceptors', 'an array of grpc-js interceptor functions');
  }
  const connectTimeoutMs = o.positiveInteger('connectTimeoutMs') ?? CONNECT_DEADLINE_MS;
  return { retry, interceptors: interceptors as Interceptor[] | undefined, connectTimeoutMs };
}

export class SparkSession extends EventEmitter {
  readonly client: SparkConnectClient;
  readonly conf: RuntimeConfig;
  private planIdCounter = 0n;
  private readonly sessionTags = new Set<string>();
  private stopped = false;
  private versionPromise: Promise<string> | undefined;
  private knownVersion: string | undefined;

  private constructor(
    client: SparkConnectClient,
    private readonly params: ConnectionParams,
    private readonly clientOptions: ClientOptions,
  ) {
    super();
    this.client = client;
    this.conf = new RuntimeConfig(client);
  }

  /**
   * Connects to `url` (`sc://host:port/;…`), or `SPARK_REMOTE`, or `sc://localhost:15002`,
   * and checks the server answers (asks its version). Rejects with `SparkConnectionError`
   * when it cannot be reached after the bounded retries.
   */
  static async connect(url?: string, options?: ConnectOptions): Promise<SparkSession> {
    return SparkSession.open(parseConnectionString(url), checkConnectOptions(options));
  }

  private static async open(params: ConnectionParams, clientOptions: ClientOptions): Promise<SparkSession> {
    const client = new SparkConnectClient(params, clientOptions);
    const session = new SparkSession(client, params, clientOptions);
    try {
      const answered = session.version;
      for (const hook of SparkSession.connectingHooks) hook();
      await answered;
    } catch (e) {
      client.close();
      throw e;
    }
    SparkSession.activeSession = session;
    return session;
  }

  // PySpark's "active session": the one most recently connected and not stopped since.
  private static activeSession: SparkSession | undefined;

  /** The session most recently connected in this process, if it is not stopped. */
  static getActiveSession(): SparkSession | undefined {
    return SparkSession.activeSession;
  }

  /** Like `getActiveSession`, but throws when there is none. */
  static active(): SparkSession {
    const s = SparkSession.activeSession;
    if (!s) throw new SparkUsageError('No active SparkSession: connect one first with await SparkSession.connect(url).');
    return s;
  }

  /** Another session on the same server, with the same options and its own id, configuration, temp views and artifacts. */
  async newSession(): Promise<SparkSession> {
    this.assertOpen();
    return SparkSession.open({ ...this.params, sessionId: undefined }, this.clientOptions);
  }

  /** True once `stop()` was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** A table or view by name (`spark.read.table(name)`). */
  table(name: string): DataFrame {
    return this.read.table(name);
  }

  /** Calls `handler` with every progress report of this session's queries (the `'progress'` event). */
  registerProgressHandler(handler: (p: ProgressEvent) => void): void {
    this.on('progress', handler);
  }
  removeProgressHandler(handler: (p: ProgressEvent) => void): void {
    this.off('progress', handler);
  }
  clearProgressHandlers(): void {
    this.removeAllListeners('progress');
  }

  /** This session's id (UUID v4). */
  get sessionId(): string {
    return this.client.sessionId;
  }

  /** The server's Spark version, e.g. `4.1.1`. */
  get version(): Promise<string> {
    this.versionPromise ??= this.client.analyzePlan({ analyze: { case: 'sparkVersion', value: {} } }).then((r) => {
      this.knownVersion = r.result.case === 'sparkVersion' ? r.result.value.version : '';
      return this.knownVersion;
    });
    return this.versionPromise;
  }

  /** The server's Spark version without waiting: known once `connect()` has returned (it asks). */
  get serverVersion(): string | undefined {
    return this.knownVersion;
  }

  /** Next plan id for a new relation (unique within the session). */
  nextPlanId(): bigint {
    return this.planIdCounter++;
  }

  /** Databases, tables, functions and caching (`spark.catalog.listTables()`, …). */
  get catalog(): Catalog {
    return new Catalog(this);
  }

  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** Wraps a relation as a DataFrame (assigning a plan id if it has none). */
  dataFrame(relation: MessageInitShape<typeof RelationSchema> | Relation): DataFrame {
    return new DataFrame(this, create(RelationSchema, relation as MessageInitShape<typeof RelationSchema>));
  }

  /**
   * Runs `query` eagerly like PySpark (DDL/DML statements take effect now) and returns its
   * result as a DataFrame.
   */
  async sql(query: string): Promise<DataFrame> {
    const responses = await this.executeCommand({ commandType: { case: 'sqlCommand', value: { sql: query, input: { relType: { case: 'sql', value: { query } } } } } });
    for (const r of responses) {
      if (r.responseType.case === 'sqlCommandResult' && r.responseType.value.relation) return new DataFrame(this, r.responseType.value.relation);
    }
    return this.dataFrame({ relType: { case: 'sql', value: { query } } });
  }

  /** `range(end)` or `range(start, end, step = 1, numPartitions?)`: a `id bigint` column. */
  range(startOrEnd: number | bigint, end?: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    const start = end === undefined ? 0n : toBigInt(startOrEnd, 'start');
    const stop = end === undefined ? toBigInt(startOrEnd, 'end') : toBigInt(end, 'end');
    const s = toBigInt(step, 'step');
    if (s === 0n) throw new InvalidOptionError('range(): step must not be 0.', { option: 'step' });
    if (numPartitions !== undefined && (!Number.isInteger(numPartitions) || numPartitions < 1)) throw new InvalidOptionError(`range(): numPartitions must be a positive integer, got ${numPartitions}.`, { option: 'numPartitions' });
    return this.dataFrame({ relType: { case: 'range', value: { start, end: stop, step: s, ...(numPartitions !== undefined ? { numPartitions } : {}) } } });
  }

  /**
   * A DataFrame from local data: an apache-arrow Table, or row objects with an optional
   * DDL schema (inferred from all rows when omitted). Sent as Arrow IPC in a LocalRelation.
   */
  createDataFrame(data: arrow.Table | readonly Record<string, unknown>[], schema?: string): DataFrame {
    let table: arrow.Table;
    if (isArrowTable(data)) {
      table = withSparkTypes(data, 'the Arrow table given to createDataFrame()');
      if (schema !== undefined) {
        const want = toDDL(parseDDL(schema));
        const have = toDDL(table.schema);
        if (want !== have) throw new InvalidOptionError(`createDataFrame(): the Arrow table's schema "${have}" differs from the given schema "${want}". Omit the schema or cast the table.`, { option: 'schema' });
      }
    } else if (Array.isArray(data)) {
      const s = schema !== undefined ? parseDDL(schema) : inferSchema(data);
      table = new arrow.Table([rowsToRecordBatch(data, s)]);
    } else {
      throw new InvalidOptionError('createDataFrame() needs an array of row objects or an apache-arrow Table.', { option: 'data' });
    }
    const ddl = toDDL(table.schema);
    return this.dataFrame({ relType: { case: 'localRelation', value: { data: arrow.tableToIPC(table, 'stream'), schema: ddl } } });
  }

  /**
   * An empty DataFrame with the columns of `schema`, a DDL string such as
   * `'name string, age int'` (PySpark 4.2+'s `spark.emptyDataFrame(schema)`).
   */
  emptyDataFrame(schema: string): DataFrame {
    if (typeof schema !== 'string' || schema.trim() === '') {
      throw new InvalidOptionError(`emptyDataFrame(): schema must be a non-empty DDL string such as "name string, age int", got ${shownValue(schema)}.`, { option: 'schema' });
    }
    return this.createDataFrame([], schema);
  }

  /** Tags added to every execution of this session (for `interruptTag`). */
  addTag(tag: string): void {
    validateTag(tag);
    this.sessionTags.add(tag);
  }
  removeTag(tag: string): void {
    this.sessionTags.delete(tag);
  }
  getTags(): string[] {
    return [...this.sessionTags];
  }
  clearTags(): void {
    this.sessionTags.clear();
  }

  /** Interrupts every running execution of this session; resolves with their operation ids. */
  async interruptAll(): Promise<string[]> {
    return (await this.client.interrupt({ interruptType: InterruptType.ALL })).interruptedIds;
  }
  async interruptTag(tag: string): Promise<string[]> {
    return (await this.client.interrupt({ interruptType: InterruptType.TAG, interrupt: { case: 'operationTag', value: tag } })).interruptedIds;
  }
  async interruptOperation(operationId: string): Promise<string[]> {
    return (await this.client.interrupt({ interruptType: InterruptType.OPERATION_ID, interrupt: { case: 'operationId', value: operationId } })).interruptedIds;
  }

  /**
   * Low-level: runs any plan with reattachable execution and yields its responses (Arrow
   * batches, command results). Progress goes to `options.onProgress` and `'progress'`.
   */
  executePlan(plan: MessageInitShape<typeof PlanSchema> | Plan, options: ExecuteOptions = {}, stats?: ExecuteStats): AsyncGenerator<ExecutePlanResponse> {
    this.assertOpen();
    const tags = [...this.sessionTags, ...(options.tags ?? [])];
    tags.forEach(validateTag);
    const onProgress = (p: ProgressEvent): void => {
      options.onProgress?.(p);
      this.emit('progress', p);
    };
    const stream = executePlanStream(this.client, create(PlanSchema, plan as MessageInitShape<typeof PlanSchema>), { tags, onProgress }, stats);
    return SparkSession.errorHooks.length === 0 ? stream : withErrorHooks(stream);
  }

  /**
   * Functions that may replace an error a query raised (each gets the previous one's
   * result). `tsapply` registers one that turns a failed Python UDF task into the user's
   * TypeScript error. Applied by every `executePlan` (so every DataFrame action).
   */
  static readonly errorHooks: ((e: unknown) => unknown)[] = [];

  /**
   * Called when `connect()` has sent its first request and waits for the server: work
   * worth doing while the network is slow (tsapply prepares closure capture there).
   * Synchronous and must not throw.
   */
  static readonly connectingHooks: (() => void)[] = [];

  /** Runs a command to completion and returns its (non-progress) responses. */
  async executeCommand(command: MessageInitShape<typeof CommandSchema> | Command, options?: ExecuteOptions): Promise<ExecutePlanResponse[]> {
    const out: ExecutePlanResponse[] = [];
    for await (const r of this.executePlan({ opType: { case: 'command', value: command as MessageInitShape<typeof CommandSchema> } }, options)) out.push(r);
    return out;
  }

  /** Same as `addArtifacts` (PySpark has both names). */
  addArtifact(artifacts: Artifact[], options?: AddArtifactsOptions): Promise<AddArtifactsResult> {
    return this.addArtifacts(artifacts, options);
  }

  /** Uploads session artifacts (see `artifacts.ts` for names and chunking). */
  addArtifacts(artifacts: Artifact[], options?: AddArtifactsOptions): Promise<AddArtifactsResult> {
    this.assertOpen();
    return addArtifacts(this.client, artifacts, options);
  }

  /**
   * Uploads the local file `localPath` to `destPath` on the server's default Hadoop file
   * system (e.g. HDFS), as PySpark's `copyFromLocalToFs`: an artifact named
   * `forward_to_fs<destPath>` that the server copies there. `destPath` is absolute and has
   * no scheme. Servers refuse a local-disk destination unless started with
   * `spark.sql.artifact.copyFromLocalToFs.allowDestLocal=true` (a static conf: anyone who
   * may upload could otherwise overwrite the driver's files).
   */
  async copyFromLocalToFs(localPath: string, destPath: string): Promise<void> {
    this.assertOpen();
    if (typeof localPath !== 'string' || localPath === '') throw new InvalidOptionError(`copyFromLocalToFs(): localPath must be a non-empty path, got ${shownValue(localPath)}.`, { option: 'localPath' });
    if (typeof destPath !== 'string' || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(destPath)) {
      throw new InvalidOptionError(`copyFromLocalToFs(): destPath must be a path without a scheme (it goes to the server's default file system), got ${shownValue(destPath)}. Drop the "scheme:" part.`, { option: 'destPath' });
    }
    if (!destPath.startsWith('/')) throw new InvalidOptionError(`copyFromLocalToFs(): destPath must be an absolute path such as "/data/file.csv", got ${shownValue(destPath)}.`, { option: 'destPath' });
    const info = await stat(localPath).catch((e: NodeJS.ErrnoException) => {
      throw new InvalidOptionError(`copyFromLocalToFs(): cannot read localPath "${localPath}" (${e.code ?? e.message}).`, { option: 'localPath' });
    });
    if (!info.isFile()) throw new InvalidOptionError(`copyFromLocalToFs(): localPath "${localPath}" is not a file; directories are not supported (as in PySpark).`, { option: 'localPath' });
    // Not addArtifacts(): its names are limited to the session prefixes (pyfiles/, files/, …),
    // and an ArtifactStatus check would be meaningless for a file the server forwards.
    await sendArtifacts(this.client, [{ name: `forward_to_fs${destPath}`, data: await readFile(localPath) }]);
  }

  /** Parses a DDL type string on the server; returns Spark's normalised DDL. */
  async parseDDL(ddl: string): Promise<string> {
    const r = await this.client.analyzePlan({ analyze: { case: 'ddlParse', value: { ddlString: ddl } } });
    return r.result.case === 'ddlParse' && r.result.value.parsed ? structToSchemaDDL(r.result.value.parsed) : '';
  }

  /** Ends the session on the server (ReleaseSession) and closes the channel. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (SparkSession.activeSession === this) SparkSession.activeSession = undefined;
    try {
      await this.client.releaseSession();
    } finally {
      this.client.close();
    }
  }

  private assertOpen(): void {
    if (this.stopped) throw new SparkUsageError('This SparkSession was stopped; create a new one with SparkSession.connect().');
  }
}

async function* withErrorHooks(stream: AsyncGenerator<ExecutePlanResponse>): AsyncGenerator<ExecutePlanResponse> {
  try {
    yield* stream;
  } catch (e) {
    let err: unknown = e;
    for (const hook of SparkSession.errorHooks) err = hook(err);
    throw err;
  }
}

function toBigInt(v: number | bigint, name: string): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new InvalidOptionError(`range(): ${name} must be an integer (number or bigint), got ${v}.`, { option: name });
  return BigInt(v);
}

function validateTag(tag: string): void {
  if (typeof tag !== 'string' || tag === '' || tag.includes(',')) throw new InvalidOptionError(`Invalid operation tag "${String(tag)}": tags must be non-empty strings without ",".`, { option: 'tag' });
}

function isArrowTable(v: unknown): v is arrow.Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'schema' in v && 'batches' in v;
}
