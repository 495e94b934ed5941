/**
 * `spark.parallelize(items, numSlices).map(fn, options)`: spread a plain list of work
 * items over the cluster and call `fn(item, ctx)` once per item (sparklyr's
 * doSpark/foreach use of spark_apply).
 *
 * The items travel in the payload's context (serialized once, uploaded once, loaded
 * once per Node worker); the DataFrame Spark sees is just `range(0, n, 1, numSlices)`
 * of item indices, mapped through a generated wrapper that looks each index up and
 * calls `fn`. Results come back as rows `(index bigint, value <T>)` and `collect()`
 * returns the values in item order. `T` is `options.schema` (a Spark DDL type such as
 * `double` or `struct<a: int>`) or inferred by calling `fn` on the first items on the
 * driver.
 */
import { parseDDL, shownValue, toDDL } from '@tsapply/common';
import type { DataFrame, SparkSession } from '@tsapply/spark-connect';
import { readFile } from 'node:fs/promises';
import { JobRunner } from '@tsapply/worker-runtime';
import { InvalidOptionError } from '../errors.js';
import { buildFunctionPayload, planFunction, type FunctionPlan } from './function-payload.js';
import { inferredSchemaNote, schemaFromSample } from '../job/output-schema.js';
import { checkApplyOptions, SHIP_KEYS, shipSettings, type SparkApplyOptions } from './apply-options.js';
import { shipPayload } from './ship-payload.js';
import { mapPartitionsPlan } from './udf-plan.js';

/**
 * Options of `map()`: those of mapInArrow except `barrier` and `sampleRows`; `schema` is
 * the Spark DDL type of ONE result (`double`, `string`, `struct<…>`), inferred from the
 * first items when omitted.
 */
export type ParallelMapOptions<Context = unknown> = Omit<SparkApplyOptions<Context>, 'barrier' | 'sampleRows'>;

/** What `fn` receives besides the item. */
export interface ParallelItemContext<Context = unknown, State = unknown> {
  /** Position of the item in the list. */
  readonly index: number;
  readonly partitionIndex: number;
  readonly context: Context;
  readonly state: State;
}

const KEYS = ['schema', 'context', 'serializer', 'init', ...SHIP_KEYS, 'quiet'] as const;
const SAMPLE_ITEMS = 20;

/** The result of `.map(fn)`: run it with `collect()` or get the DataFrame. */
export class ParallelMapped<T = unknown> {
  private planned: Promise<DataFrame> | undefined;

  constructor(
    private readonly spark: SparkSession,
    private readonly items: readonly unknown[],
    private readonly numSlices: number,
    /** How the function travels, decided (and its captured values taken) at `map()`; or why it cannot. */
    private readonly fnPlan: { plan: FunctionPlan } | { error: unknown },
    private readonly options: ParallelMapOptions,
  ) {}

  /** The DataFrame `(index bigint, value <T>)`, one row per item. */
  toDataFrame(): Promise<DataFrame> {
    this.planned ??= this.plan();
    return this.planned;
  }

  /** Every result, in the order of the items. */
  async collect(): Promise<T[]> {
    const rows = await (await this.toDataFrame()).collect();
    const out = new Array<T>(this.items.length);
    for (const r of rows) out[Number(r.index as bigint)] = r.value as T;
    return out;
  }

  private async plan(): Promise<DataFrame> {
    const o = this.options;
    const declared = o.schema !== undefined ? toDDL(parseDDL(`value ${o.schema}`)) : null;
    if ('error' in this.fnPlan) throw this.fnPlan.error;
    const fp = await buildFunctionPayload(this.fnPlan.plan, {
      context: { items: this.items, context: o.context },
      ...(o.serializer !== undefined ? { serializer: o.serializer } : {}),
      schema: declared === null ? null : `index bigint, ${declared}`,
      wrap: (apply, init) =>
        '{\n' +
        (init ? `  init: (c) => ${init}(c.context),\n` : '') +
        '  async apply(batch, ctx) {\n' +
        '    const items = ctx.context.items;\n' +
        "    const ids = batch.column('id').toArray();\n" +
        '    const out = [];\n' +
        '    for (let j = 0; j < ids.length; j++) {\n' +
        '      const index = Number(ids[j]);\n' +
        `      const value = await ${apply}(items[index], { index, partitionIndex: ctx.partitionIndex, context: ctx.context.context, state: ctx.state });\n` +
        '      out.push({ index: BigInt(index), value });\n' +
        '    }\n' +
        '    return out;\n' +
        '  },\n}',
    });
    const input = this.spark.range(0, this.items.length, 1, this.numSlices);
    let ddl = declared === null ? null : `index bigint, ${declared}`;
    if (ddl === null) {
      const runner = JobRunner.fromBytes(await readFile(fp.payload.path));
      const sample = await this.spark.range(0, Math.min(SAMPLE_ITEMS, this.items.length), 1, 1).toArrow();
      const rows: Record<string, unknown>[] = [];
      for (const b of sample.batches) rows.push(...(await runner.applyBatchRows(b, { partitionIndex: 0 })));
      ddl = toDDL(schemaFromSample(rows, { what: 'map()', sampled: `the first ${sample.numRows} items`, where: 'to map()' }));
      if (!o.quiet) process.stderr.write(`${inferredSchemaNote(ddl.replace(/^index bigint, value /, ''), 'to map()', 'result type')}\n`);
    }
    const shipped = await shipPayload(this.spark, fp.payload, {
      mode: 'map',
      schemaDDL: ddl,
      functionName: fp.exportName,
      ...shipSettings(o),
    });
    return mapPartitionsPlan(input, { ...shipped.plan, barrier: false });
  }
}

/** `spark.parallelize(items, numSlices)`: a list of work items to `map` over. */
export class ParallelCollection<Item = unknown> {
  constructor(
    readonly spark: SparkSession,
    readonly items: readonly Item[],
    /** Partitions (tasks) the items are spread over. */
    readonly numSlices: number,
  ) {}

  /** Calls `fn(item, ctx)` for every item on the executors; `fn` is any function (captured with what it uses at this call). */
  map<T = unknown>(fn: (item: Item, ctx: ParallelItemContext) => T | Promise<T>, options?: ParallelMapOptions): ParallelMapped<Awaited<T>> {
    // Checked here, synchronously, so a mistake points at this line, not at collect().
    if (typeof fn !== 'function') {
      throw new InvalidOptionError(`map() needs a function (item, ctx) => result, got ${shownValue(fn)}.`, { option: 'fn' });
    }
    const o = checkApplyOptions(options, KEYS, 'map') as ParallelMapOptions;
    // Captured now, at the call; a function that cannot be shipped rejects collect() / toDataFrame().
    let fnPlan: { plan: FunctionPlan } | { error: unknown };
    try {
      fnPlan = { plan: planFunction(fn, o.init) };
    } catch (error) {
      fnPlan = { error };
    }
    return new ParallelMapped<Awaited<T>>(this.spark, this.items, this.numSlices, fnPlan, o);
  }
}

/** Default slices: one task per item, up to 64. */
export function parallelize<Item>(spark: SparkSession, items: readonly Item[], numSlices?: number): ParallelCollection<Item> {
  if (!Array.isArray(items)) throw new InvalidOptionError(`parallelize() needs an array of items, got ${typeof items}.`, { option: 'items' });
  if (items.length === 0) throw new InvalidOptionError('parallelize() needs at least one item.', { option: 'items' });
  if (numSlices !== undefined && (!Number.isInteger(numSlices) || numSlices < 1)) {
    throw new InvalidOptionError(`numSlices must be a positive integer, got ${String(numSlices)}.`, { option: 'numSlices' });
  }
  return new ParallelCollection(spark, items, numSlices ?? Math.min(items.length, 64));
}
