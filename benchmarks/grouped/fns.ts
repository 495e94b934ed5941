/**
 * The per-group function of the grouped suite, as a tsapply user writes it for
 * `groupBy('g').applyInArrow`: one call per group, every row of the group in one batch.
 * Mirrors `grouped_variants.py`: the group's size, the sum and the maximum of x.
 */
import type { ApplyContext, Batch } from 'tsapply';

export function summarizeGroup(batch: Batch, ctx: ApplyContext) {
  const x = batch.values('x') as Float64Array;
  let total = 0;
  let top = -Infinity;
  for (let i = 0; i < x.length; i++) {
    total += x[i]!;
    if (x[i]! > top) top = x[i]!;
  }
  return [{ g: ctx.key!.g as bigint, n: BigInt(x.length), total, top }];
}

/** The floor: the group crosses to the worker, nothing is read from it, no rows come back. */
export function ignoreGroup(_batch: Batch) {
  return [];
}
