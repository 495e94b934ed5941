/**
 * The TypeScript functions the Spark suite ships with `df.mapInArrow` — written the way
 * a competent user would: columnar over typed arrays where the data is numeric, plain
 * string methods where it is text. Each is exported (only exports can be shipped) and
 * mirrors, line for line in meaning, the PySpark versions in `pyspark_variants.py` and
 * the Spark SQL built-ins in `workloads.ts`.
 */
import type { ApplyContext, Batch } from 'tsapply';

/** (a) identity: hands Spark's batch back untouched (`id bigint, x double, s string`). */
export function identity(batch: Batch) {
  return batch.arrow;
}

/**
 * (b) CPU-bound numeric: five transcendental operations per value over a double column.
 * y = sqrt(x)·sin(x) + log1p(x)·cos(x) + exp(−x); output `id bigint, y double`.
 */
export function numeric(batch: Batch) {
  const x = batch.column('x').toArray() as Float64Array;
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = Math.sqrt(v) * Math.sin(v) + Math.log1p(v) * Math.cos(v) + Math.exp(-v);
  }
  return { id: batch.column('id').toArray() as BigInt64Array, y };
}

const NON_LETTERS = /[^a-z]+/;

/**
 * (c) string-heavy: lower-case the text, split it on runs of non-letters, count the
 * non-empty tokens per row; output `id bigint, n_tokens int`.
 */
export function tokens(batch: Batch) {
  const text = batch.column('text').toArray() as string[];
  const counts = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const parts = text[i]!.toLowerCase().split(NON_LETTERS);
    let n = parts.length;
    if (parts[0] === '') n--;
    if (n > 0 && parts[parts.length - 1] === '') n--;
    counts[i] = n;
  }
  return { id: batch.column('id').toArray() as BigInt64Array, n_tokens: counts };
}

/**
 * Start-up probe for the context-size benchmark: proves the whole context arrived by
 * reporting its length and a strided checksum (every 4096th value), one row per batch.
 */
export function contextProbe(batch: Batch, ctx: ApplyContext<{ weights: Float64Array }>) {
  const w = ctx.context.weights;
  let sum = 0;
  for (let i = 0; i < w.length; i += 4096) sum += w[i]!;
  return [{ rows: batch.numRows, n: w.length, probe: sum }];
}
