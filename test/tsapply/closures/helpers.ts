/**
 * Runs a function the way a Spark worker would, without Spark: plan it (capture), bundle
 * it into a payload, load the payload bytes with the worker runtime's JobRunner and call
 * apply on a record batch. What comes back is what an executor would return.
 */
import { readFileSync } from 'node:fs';
import { tableFromArrays } from 'apache-arrow';
import { JobRunner } from '@tsapply/worker-runtime';
import { buildFunctionPayload, planFunction, type FunctionPayload } from '../../../packages/tsapply/dist/spark/function-payload.js';

export { planFunction, buildFunctionPayload };

/** Plans (captures) `fn` now and builds its payload. */
export async function payloadOf(fn: unknown, options: { init?: unknown; context?: unknown; serializer?: string } = {}): Promise<FunctionPayload> {
  const plan = planFunction(fn, options.init);
  return buildFunctionPayload(plan, { context: options.context, schema: null, ...(options.serializer ? { serializer: options.serializer } : {}) });
}

/** `{ id: 0n … n-1n }` as one record batch. */
export function ids(n: number) {
  return tableFromArrays({ id: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) }).batches[0]!;
}

/** Runs an already built payload on a batch of `n` ids, as a worker does. */
export async function runPayload(fp: FunctionPayload, n: number, partitionIndex = 0): Promise<Record<string, unknown>[]> {
  const runner = JobRunner.fromBytes(readFileSync(fp.payload.path));
  return runner.applyBatchRows(ids(n), { partitionIndex });
}

/** Captures `fn`, ships it through a payload and runs it on `n` ids. */
export async function runShipped(fn: unknown, n: number, options: Parameters<typeof payloadOf>[1] = {}): Promise<Record<string, unknown>[]> {
  return runPayload(await payloadOf(fn, options), n);
}

/** 1-based line of the first line of `file` that contains `marker`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not found in ${file}`);
  return i + 1;
}

/** 1-based column of `token` on the line of `file` that contains `marker`. */
export function columnOf(file: string, marker: string, token: string): number {
  const line = readFileSync(file, 'utf8').split('\n')[lineOf(file, marker) - 1]!;
  return line.indexOf(token) + 1;
}
