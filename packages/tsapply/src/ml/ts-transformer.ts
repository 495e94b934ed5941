/**
 * `ml.TsTransformer`: a TypeScript function as a Spark ML pipeline stage. It runs on the
 * executors through mapInArrow, like `df.mapInArrow(fn)`, and behaves as Spark ML's
 * transformers do: the function gives each row the stage's output columns
 * (`outputCols`, Spark DDL), which are added to the row's own (a column of the same name
 * is replaced).
 *
 * The function (and `init`) is captured when the stage is created, by value, as
 * `mapInArrow` captures at its call; it is bundled once. Building the plan needs the
 * input's schema and the payload on the server, so the first transform of a new input
 * is asynchronous: `await stage.transformAsync(df)`, which a Pipeline's `fit` calls for
 * every stage. After that the stage is bound to that input's columns in that session,
 * and the plain `transform(df)` Spark ML code calls (a fitted PipelineModel on the test
 * split) builds the same plan synchronously.
 */
import { parseDDL, toDDL, type ApplyContext, type ApplyResult, type Batch } from '@tsapply/common';
import { SparkUsageError, type DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { checkSaveOptions, savedPart, Transformer, writeMetadata, type SaveOptions } from '@tsapply/spark-connect/ml';
import { readFile } from 'node:fs/promises';
import type { PreparedPayload } from '../job/prepare-payload.js';
import { TSAPPLY_VERSION } from '../version.js';
import * as arrow from 'apache-arrow';
import { InvalidOptionError } from '../errors.js';
import { checkApplyOptions, SHIP_KEYS, shipSettings, type CheckedApplyOptions, type SparkApplyOptions } from '../spark/apply-options.js';
import { buildFunctionPayload, planFunction, type FunctionPlan } from '../spark/function-payload.js';
import { shipPayload } from '../spark/ship-payload.js';
import { mapPartitionsOver, type UdfPlanOptions } from '../spark/udf-plan.js';
import { appendingJob } from './append-columns.js';
import { displayPath } from '../closures/script-index.js';

/** The function of a stage: one batch in, the output columns of each of its rows out. */
export type StageFunction<Context = unknown, State = unknown> = (batch: Batch, ctx: ApplyContext<Context, State>) => ApplyResult | Promise<ApplyResult>;

/** Options of `new ml.TsTransformer(fn, options)`. */
export interface TsTransformerOptions<Context = unknown, State = unknown> extends Omit<SparkApplyOptions<Context>, 'schema' | 'barrier' | 'sampleRows' | 'quiet' | 'init'> {
  /**
   * The columns the function gives each row, as Spark DDL (`'features array<double>'`):
   * added to the input's columns, replacing any of the same name.
   */
  outputCols: string;
  /** Runs once per worker before the first batch; its result is `ctx.state`. A function. @default undefined */
  init?: (context: Context) => State | Promise<State>;
}

/** The class a saved TsTransformer's metadata names. */
export const TS_TRANSFORMER_CLASS = 'tsapply.ml.TsTransformer';

export const TS_TRANSFORMER_KEYS = ['outputCols', 'context', 'serializer', 'init', ...SHIP_KEYS] as const;

/** What a stage needs to build its plan over one input, in one session. */
interface Binding {
  inputDDL: string;
  columns: string[];
  udf: UdfPlanOptions;
}

/** `outputCols` checked and parsed: a DDL ParseError names the position. */
export function parseOutputCols(where: string, outputCols: unknown): arrow.Schema {
  if (typeof outputCols !== 'string' || outputCols.trim() === '') {
    throw new InvalidOptionError(`${where} needs outputCols: the columns the function adds to each row, as Spark DDL such as 'features array<double>'; got ${JSON.stringify(outputCols) ?? String(outputCols)}.`, {
      option: 'outputCols',
    });
  }
  try {
    return parseDDL(outputCols);
  } catch (e) {
    throw new InvalidOptionError(`${where}: outputCols: ${(e as Error).message}`, { option: 'outputCols' }, { cause: e });
  }
}

/** Where the stage's function was written, for its messages: `the arrow function at job.ts:5`, or `score of model.ts`. */
function describePlan(plan: FunctionPlan): string {
  return plan.mode === 'closure' ? plan.graph.apply.description : `${plan.exportName} of ${displayPath(plan.file)}`;
}

/** A payload ready to ship: built from the stage's function, or read back from a saved stage. */
export interface StagePayload {
  payload: PreparedPayload;
  /** A short name of the function, for plans and messages. */
  exportName: string;
}

/** What a stage ships, when it is not a function to capture now. */
type StageSource = { plan: FunctionPlan } | { saved: StagePayload };

/** Marks a `StageSource` handed to `new TsTransformer` in place of `fn`. */
const SOURCE = Symbol('tsapply.stageSource');

/** @internal A function planned earlier (captured when a TsEstimator was created), in place of `fn`. */
export function plannedStage(plan: FunctionPlan): StageFunction {
  return Object.assign(() => undefined, { [SOURCE]: { plan } satisfies StageSource });
}

/** @internal The payload of a saved stage, in place of `fn`. */
export function savedStage(saved: StagePayload): StageFunction {
  return Object.assign(() => undefined, { [SOURCE]: { saved } satisfies StageSource });
}

export class TsTransformer<Context = unknown, State = unknown> extends Transformer {
  /** The output columns as Spark DDL, normalised. */
  readonly outputCols: string;
  private readonly output: arrow.Schema;
  private readonly plan: FunctionPlan | undefined;
  private readonly options: CheckedApplyOptions;
  private payload: Promise<StagePayload> | undefined;
  /** Per session: the binding `transform` uses (the last input bound) and every input bound so far, by DDL. */
  private readonly bindings = new WeakMap<SparkSession, { last: Binding; byInput: Map<string, Binding> }>();

  /**
   * @param fn the stage's function, captured now with what it uses (or an export of another module).
   * @param uid given when loading a saved stage.
   */
  constructor(fn: StageFunction<Context, State>, options: TsTransformerOptions<Context, State>, uid?: string) {
    super('TsTransformer', undefined, {}, uid);
    const o = checkApplyOptions(options, TS_TRANSFORMER_KEYS, 'new ml.TsTransformer');
    if (o.init !== undefined && typeof o.init !== 'function') {
      throw new InvalidOptionError('new ml.TsTransformer(): init must be a function (its result is ctx.state).', { option: 'init' });
    }
    this.output = parseOutputCols('new ml.TsTransformer()', (options as { outputCols?: unknown }).outputCols);
    this.outputCols = toDDL(this.output);
    const source = (fn as { [SOURCE]?: StageSource })[SOURCE];
    if (source !== undefined && 'saved' in source) this.payload = Promise.resolve(source.saved);
    // Captured at the call, before any await, as mapInArrow captures.
    else this.plan = source?.plan ?? planFunction(fn, o.init);
    this.options = o;
  }

  /** The names of the columns the stage adds. */
  get outputNames(): string[] {
    return this.output.fields.map((f) => f.name);
  }

  /** The output schema over an input schema: its columns (minus any the stage replaces), then the stage's. */
  outputSchema(input: arrow.Schema): arrow.Schema {
    const names = new Set(this.outputNames);
    return new arrow.Schema([...input.fields.filter((f) => !names.has(f.name)), ...this.output.fields]);
  }

  /** Ships the function (once per session) and binds the stage to `dataset`'s columns; then the plan. */
  override async transformAsync(dataset: DataFrame): Promise<DataFrame> {
    const binding = await this.bind(dataset);
    return mapPartitionsOver(dataset, { ...binding.udf, barrier: false }, binding.columns);
  }

  /**
   * The plan over `dataset`, synchronously, once the stage is bound in its session (a
   * Pipeline's `fit` or an earlier `transformAsync`) to an input with these columns.
   */
  transform(dataset: DataFrame): DataFrame {
    const bound = this.bindings.get(dataset.session)?.last;
    if (bound === undefined) {
      throw new SparkUsageError(
        `TsTransformer ${this.uid}.transform(): the stage has not seen an input in this session yet. A TypeScript stage reads its input's schema and ships its function ` +
          'before its first plan: call `await stage.transformAsync(df)` (or fit it in a Pipeline) once; transform(df) then works on DataFrames with the same columns.',
      );
    }
    return mapPartitionsOver(dataset, { ...bound.udf, barrier: false }, bound.columns);
  }

  private async bind(dataset: DataFrame): Promise<Binding> {
    const session = dataset.session;
    const input = (await dataset.schema()).arrow;
    const inputDDL = toDDL(input);
    let bindings = this.bindings.get(session);
    const known = bindings?.byInput.get(inputDDL);
    if (known !== undefined) {
      bindings!.last = known;
      return known;
    }
    const fp = await this.built();
    const shipped = await shipPayload(session, fp.payload, {
      mode: 'map',
      schemaDDL: toDDL(this.outputSchema(input)),
      functionName: `TsTransformer(${fp.exportName})`,
      ...shipSettings(this.options),
    });
    const binding: Binding = { inputDDL, columns: input.fields.map((f) => f.name), udf: shipped.plan };
    if (bindings === undefined) this.bindings.set(session, (bindings = { last: binding, byInput: new Map() }));
    bindings.last = binding;
    bindings.byInput.set(inputDDL, binding);
    return binding;
  }

  /** The stage's payload: bundled on first need, once. */
  private built(): Promise<StagePayload> {
    this.payload ??= buildFunctionPayload(this.plan!, {
      context: this.options.context,
      ...(this.options.serializer !== undefined ? { serializer: this.options.serializer } : {}),
      // The output schema depends on the input, so it travels in each plan, not in the payload.
      schema: null,
      wrap: appendingJob(this.outputNames, `TsTransformer ${this.uid} (${describePlan(this.plan!)})`),
    });
    return this.payload.catch((e: unknown) => {
      this.payload = undefined;
      throw e;
    });
  }

  /** A TypeScript stage is saved by tsapply itself (Spark has no class for it): see `save`. */
  override get savable(): boolean {
    return true;
  }

  /**
   * Saves the stage as its payload — the bundled function, `init` and context, exactly
   * what runs on the executors — beside a `metadata` line in Spark's layout, so it saves
   * and loads inside a PipelineModel too: `path/metadata` and `path/payload` (Parquet, one
   * binary value), written by the server on its file system. `ml.load(spark, path)` in
   * tsapply reads it back; PySpark and Scala cannot run it.
   */
  override async save(path: string, options: SaveOptions = {}): Promise<void> {
    const where = 'TsTransformer.save()';
    const { session, overwrite } = checkSaveOptions(where, path, options, undefined);
    const fp = await this.built();
    const bytes = await readFile(fp.payload.path);
    await writeMetadata(where, session, path, {
      class: TS_TRANSFORMER_CLASS,
      uid: this.uid,
      tsapplyVersion: TSAPPLY_VERSION,
      outputCols: this.outputCols,
      exportName: fp.exportName,
      payloadHash: fp.payload.hash,
      serializer: fp.payload.serializer,
    }, overwrite);
    await session.createDataFrame([{ payload: new Uint8Array(bytes) }], 'payload binary').coalesce(1).write.mode('errorifexists').parquet(savedPart(path, 'payload'));
  }

  override toString(): string {
    return `TsTransformer: uid=${this.uid}, outputCols=${this.outputCols}`;
  }
}
