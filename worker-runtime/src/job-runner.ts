/**
 * `JobRunner`: one loaded payload inside a worker thread or process.
 *
 * Loading (once per payload per worker, see `runner-cache.ts`): verify the sha256
 * content address, decode the frame, load a custom serializer if the payload ships
 * one, deserialize the context, evaluate the CommonJS bundle and pick the job. Then,
 * per batch: run `init(context)` once (lazily, on the first batch, awaited; concurrent
 * first batches share one call), call `apply(batch, ctx)` and convert what it returns
 * into Arrow record batches of the output schema.
 */
import { readFile } from 'node:fs/promises';
import type { RecordBatch, Schema } from 'apache-arrow';
import {
  applyResultToRows,
  resultToBatches,
  createBatch,
  decodePayload,
  describeGroupKey,
  InvalidOptionError,
  parseDDL,
  payloadHash,
  PayloadError,
  readOptions,
  resolveSerializer,
  validateSerializer,
} from '@tsapply/common';
import type { ApplyContext, ApplyResult, PayloadMeta, Serializer, UserCodeError } from '@tsapply/common';
import { guardUserIterable, isArrowLike } from './apply-result-guard.js';
import { evaluateCommonJs } from './evaluate-bundle.js';
import { pickJob, type RunnableJob } from './pick-job.js';
import { BundleSourceMapper } from './source-mapper.js';
import { toResultError, toUserCodeError } from './user-error.js';
import { batchMisuseHint } from './batch-misuse-hint.js';
import { hasNoReturn, missingReturnError } from './missing-return.js';

export interface ApplyBatchOptions {
  /** Index of the partition (or group) this batch belongs to; shown in errors and `ctx.partitionIndex`. */
  partitionIndex: number;
  /** With `groupBy`: the group's key values by column name, handed to `ctx.key`. */
  key?: Record<string, unknown>;
  /**
   * Output schema to convert results to. Needed when the payload has no schema
   * (inference mode) after the driver inferred one. @default the payload's schema
   */
  schema?: Schema;
  /** Upper bound on rows per emitted RecordBatch. @default the payload's batchSize, else 10000 */
  maxRowsPerBatch?: number;
}

export interface LoadRunnerOptions {
  /** sha256 hex the bytes must hash to (`payloadHash`); a mismatch is a `PayloadError`. */
  expectedHash?: string;
  /** Where the bytes came from, for messages (a file path). @default 'payload bytes' */
  source?: string;
}

const APPLY_OPTION_KEYS = ['partitionIndex', 'key', 'schema', 'maxRowsPerBatch'] as const;

export class JobRunner {
  /** sha256 hex of the payload bytes: the payload's content address. */
  readonly hash: string;
  readonly meta: PayloadMeta;
  /** The deserialized context (deserialized once, shared by every call). */
  readonly context: unknown;
  /** Output schema from the payload's DDL; undefined in inference mode. */
  readonly outputSchema: Schema | undefined;
  /** Script name the bundle runs under; stack frames with this name are mapped. */
  readonly bundleFilename: string;

  private readonly job: RunnableJob;
  private readonly mapper: BundleSourceMapper;

  /**
   * An error thrown by this payload's code outside a call (in a timer, a rejected
   * promise nobody awaited) as a `UserCodeError` at the user's own line.
   */
  asUserError(e: unknown, partition: number | undefined): UserCodeError {
    return toUserCodeError(e, 'apply', partition, this.mapper);
  }
  /** Whether apply's source has no return statement: read once, the first time apply returns undefined. */
  private applyHasNoReturn: boolean | undefined;
  private initPromise: Promise<unknown> | undefined;
  private initCount = 0;

  /** `verified`: `hash` was checked against the content address the caller expected. */
  private constructor(hash: string, bytes: Uint8Array, verified: boolean) {
    this.hash = hash;
    this.bundleFilename = `tsapply-bundle:${hash.slice(0, 16)}.js`;
    const decoded = decodePayload(bytes, {
      loadSerializer: (id, code) => loadSerializer(id, code, hash),
      ...(verified ? { verifiedHash: hash } : {}),
    });
    this.meta = decoded.meta;
    this.context = decoded.context;
    this.mapper = new BundleSourceMapper(this.bundleFilename, decoded.sourceMap);
    this.outputSchema = decoded.meta.schema ? parseDDL(decoded.meta.schema) : undefined;
    let exports: unknown;
    try {
      exports = evaluateCommonJs(decoded.bundle, { filename: this.bundleFilename, requireFrom: decoded.meta.sourceFile });
    } catch (e) {
      throw toUserCodeError(e, 'load', undefined, this.mapper);
    }
    this.job = pickJob(exports, decoded.meta);
  }

  /** Verifies and loads payload bytes. Throws `PayloadError`, `JobDefinitionError` or `UserCodeError` (phase `load`). */
  static fromBytes(bytes: Uint8Array, options: LoadRunnerOptions = {}): JobRunner {
    const hash = payloadHash(bytes);
    if (options.expectedHash !== undefined && options.expectedHash !== hash) {
      throw new PayloadError(
        `Payload hash mismatch for ${options.source ?? 'payload bytes'}: expected sha256 ${options.expectedHash} but the bytes hash to ${hash}. ` +
          'The payload was modified or replaced after it was built; submit the job again.',
        { code: 'PAYLOAD_HASH_MISMATCH' },
      );
    }
    return new JobRunner(hash, bytes, options.expectedHash !== undefined);
  }

  /** Reads a payload file and loads it, verifying it hashes to `expectedHash`. */
  static async fromFile(path: string, expectedHash: string): Promise<JobRunner> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new PayloadError(`Cannot read payload file ${path}: ${(e as Error).message}`, { code: 'PAYLOAD_UNREADABLE' });
    }
    return JobRunner.fromBytes(bytes, { expectedHash, source: path });
  }

  /** How many times `init` has been started in this runner (0 or 1; for diagnostics and tests). */
  get initCalls(): number {
    return this.initCount;
  }

  /**
   * Runs `init(context)` if it has not run yet and returns the state. A failed `init`
   * fails every later call with the same error instead of running again.
   */
  initialize(partitionIndex?: number): Promise<unknown> {
    if (this.initPromise === undefined) {
      const init = this.job.init;
      this.initPromise =
        init === undefined
          ? Promise.resolve(undefined)
          : (async () => {
              this.initCount++;
              try {
                return await init(this.context);
              } catch (e) {
                throw toUserCodeError(e, 'init', partitionIndex, this.mapper);
              }
            })();
    }
    return this.initPromise;
  }

  /**
   * Runs `apply` on one record batch (a batch of a partition, or one whole group) and
   * yields the result as record batches of the output schema. Rejects with
   * `UserCodeError` when user code throws, `ResultShapeError` (with `partition`) when
   * the result is not one of the `ApplyResult` forms, `SchemaMismatchError` (with
   * `partition`) when it does not fit the schema.
   */
  async *applyBatch(recordBatch: RecordBatch, options: ApplyBatchOptions): AsyncGenerator<RecordBatch, void, undefined> {
    yield* this.runBatch(recordBatch, checkApplyOptions(recordBatch, options, 'applyBatch'));
  }

  /**
   * `applyBatch` without the argument check, for the runtime's own task loops (the
   * process task server, the piscina task): their options are built by tsapply and
   * checked once per task, not again for every batch.
   */
  async *runBatch(recordBatch: RecordBatch, opts: ApplyBatchOptions): AsyncGenerator<RecordBatch, void, undefined> {
    const schema = opts.schema ?? this.outputSchema;
    if (schema === undefined) {
      throw new InvalidOptionError(
        'applyBatch() needs an output schema: the payload declares none (inference mode). ' +
          'Run applyBatchRows() on a sample, infer the schema from its rows, then pass it as options.schema.',
        { option: 'schema' },
      );
    }
    const result = await this.callApply(recordBatch, opts);
    const partition = opts.partitionIndex;
    const group = groupOf(opts);
    const guarded = guardUserIterable(result, (e) => this.applyError(e, partition, group));
    const maxRowsPerBatch = opts.maxRowsPerBatch ?? this.meta.batchSize ?? undefined;
    const iterator = resultToBatches(guarded, schema, maxRowsPerBatch ?? undefined)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await iterator.next();
      } catch (e) {
        throw toResultError(e, partition, group);
      }
      if (next.done) return;
      yield next.value;
    }
  }

  /**
   * Runs `apply` on one record batch and returns its result as plain rows, without a
   * schema: used on a sample when the job declares no schema, so the driver can infer one.
   * A wrongly shaped result is the same `ResultShapeError`, with the same message, as
   * from `applyBatch`.
   */
  async applyBatchRows(recordBatch: RecordBatch, options: ApplyBatchOptions): Promise<Record<string, unknown>[]> {
    const opts = checkApplyOptions(recordBatch, options, 'applyBatchRows');
    const result = await this.callApply(recordBatch, opts);
    const partition = opts.partitionIndex;
    const group = groupOf(opts);
    // Only here, where the rows decide the schema: with a schema declared, returning
    // nothing (for its effects) stays allowed.
    if (result === undefined && (this.applyHasNoReturn ??= hasNoReturn(this.job.userApply))) throw toResultError(missingReturnError(), partition, group);
    const guarded = guardUserIterable(result, (e) => this.applyError(e, partition, group));
    try {
      return await applyResultToRows(guarded);
    } catch (e) {
      throw toResultError(e, partition, group);
    }
  }

  /** What apply threw, in the call or while its result was read, at the user's own line. */
  private applyError(e: unknown, partition: number, group: string | undefined): UserCodeError {
    return toUserCodeError(e, 'apply', partition, this.mapper, group, batchMisuseHint(e, this.job.userApply));
  }

  private async callApply(recordBatch: RecordBatch, opts: ApplyBatchOptions): Promise<ApplyResult> {
    const state = await this.initialize(opts.partitionIndex);
    const ctx: ApplyContext = {
      context: this.context,
      partitionIndex: opts.partitionIndex,
      state,
      ...(opts.key !== undefined ? { key: opts.key } : {}),
    };
    try {
      return await this.job.apply(createBatch(recordBatch), ctx);
    } catch (e) {
      throw this.applyError(e, opts.partitionIndex, groupOf(opts));
    }
  }
}

/** A group's call names its key in errors (`g="a"`); a partition's batch has none. */
function groupOf(opts: ApplyBatchOptions): string | undefined {
  return opts.key !== undefined ? describeGroupKey(opts.key) : undefined;
}

/** Checks the arguments of applyBatch()/applyBatchRows() once per call, with the shared toolkit. */
function checkApplyOptions(recordBatch: unknown, options: ApplyBatchOptions, fn: string): ApplyBatchOptions {
  if (!isArrowLike(recordBatch)) {
    throw new InvalidOptionError(`${fn}() expects an apache-arrow RecordBatch, got ${recordBatch === null ? 'null' : typeof recordBatch}.`, { option: 'recordBatch' });
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(`${fn}() needs options { partitionIndex }, got ${String(options)}.`, { option: 'options' });
  }
  const o = readOptions(`${fn}()`, options, APPLY_OPTION_KEYS);
  if (o.nonNegativeInteger('partitionIndex') === undefined) o.fail('partitionIndex', 'a non-negative integer');
  o.positiveInteger('maxRowsPerBatch');
  return options;
}

/** `decodePayload`'s serializer hook: built-ins by id, a shipped custom module by evaluating it. */
function loadSerializer(id: string, code: string | undefined, hash: string): Serializer {
  if (code === undefined) return resolveSerializer(id);
  const exports = evaluateCommonJs(code, {
    filename: `tsapply-serializer:${hash.slice(0, 16)}.js`,
    requireFrom: `${process.cwd()}/serializer.js`,
  }) as { default?: unknown } | undefined;
  const candidate = exports !== null && typeof exports === 'object' && 'default' in exports ? exports.default : exports;
  return validateSerializer(candidate, `the custom serializer "${id}" shipped in the payload`);
}
