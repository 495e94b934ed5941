/**
 * `df.foreachPartition(fn, options)`: run a TypeScript function on the executors for
 * its effects only — writing to a store, calling a service — as PySpark's
 * `foreachPartition`, with tsapply's calling convention: `fn(batch, ctx)` for each Arrow
 * batch of each partition, like `mapInArrow`, but whatever it returns is dropped.
 *
 * It is mapInArrow through a generated wrapper that calls `fn` and reports one
 * `rows bigint` row per batch, so Spark has a plan with an output and no schema needs
 * inferring; the action collects those few counts and resolves when every partition is
 * done. An error thrown in `fn` rejects with the user's own file and line, as mapInArrow's do.
 * `df.foreach(fn)` is the same with `fn(row, ctx)` once per row.
 */
import type { DataFrame } from '@tsapply/spark-connect';
import { shownValue } from '@tsapply/common';
import { InvalidOptionError } from '../errors.js';
import { buildFunctionPayload, planFunction } from './function-payload.js';
import { checkApplyOptions, SHIP_KEYS, shipSettings, type SparkApplyOptions } from './apply-options.js';
import { shipPayload } from './ship-payload.js';
import { mapPartitionsPlan } from './udf-plan.js';

/** Options of `foreachPartition`: mapInArrow's, less those about an output (`schema`, `sampleRows`). */
export type ForeachPartitionOptions<Context = unknown> = Omit<SparkApplyOptions<Context>, 'schema' | 'sampleRows' | 'quiet'>;

/** What ran: the batches `fn` was called with and their rows, summed over all partitions. */
export interface ForeachPartitionSummary {
  batches: number;
  rows: number;
}

const KEYS = ['context', 'serializer', 'init', 'barrier', ...SHIP_KEYS] as const;
const SCHEMA = 'rows bigint';

/** Implementation of `DataFrame.prototype.foreachPartition`: `fn(batch, ctx)` per batch. */
export function foreachPartition(df: DataFrame, fn: unknown, options?: ForeachPartitionOptions): Promise<ForeachPartitionSummary> {
  return runForEffects(df, fn, options, 'foreachPartition', '(batch, ctx) => void', (apply) => `    await ${apply}(batch, ctx);\n`);
}

/** Implementation of `DataFrame.prototype.foreach`: `fn(row, ctx)` per row, awaited one after another. */
export function foreach(df: DataFrame, fn: unknown, options?: ForeachPartitionOptions): Promise<ForeachPartitionSummary> {
  return runForEffects(df, fn, options, 'foreach', '(row, ctx) => void', (apply) => `    for (const row of batch) await ${apply}(row, ctx);\n`);
}

async function runForEffects(
  df: DataFrame,
  fn: unknown,
  options: ForeachPartitionOptions | undefined,
  method: string,
  shape: string,
  call: (apply: string) => string,
): Promise<ForeachPartitionSummary> {
  if (typeof fn !== 'function') {
    throw new InvalidOptionError(`${method}() needs a function ${shape}, got ${shownValue(fn)}.`, { option: 'fn' });
  }
  const o = checkApplyOptions(options, KEYS, method);
  // Captured now, before the first await, as mapInArrow does.
  const plan = planFunction(fn, o.init);
  const fp = await buildFunctionPayload(plan, {
    context: o.context,
    ...(o.serializer !== undefined ? { serializer: o.serializer } : {}),
    schema: SCHEMA,
    wrap: (apply, init) =>
      '{\n' +
      (init ? `  init: ${init},\n` : '') +
      '  async apply(batch, ctx) {\n' +
      call(apply) +
      '    return [{ rows: BigInt(batch.numRows) }];\n' +
      '  },\n}',
  });
  const shipped = await shipPayload(df.session, fp.payload, { mode: 'map', schemaDDL: SCHEMA, functionName: fp.exportName, ...shipSettings(o) });
  const counts = await (await mapPartitionsPlan(df, { ...shipped.plan, barrier: o.barrier ?? false })).collect();
  return { batches: counts.length, rows: counts.reduce((sum, r) => sum + Number(r.rows as bigint), 0) };
}
