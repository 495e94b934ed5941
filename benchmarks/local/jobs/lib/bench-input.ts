/**
 * The input of the local benchmark jobs: a flights Parquet file with columns
 * `date timestamp, delay bigint, distance bigint, origin string, destination string`.
 *
 * The suite runs the same job over inputs of different sizes, so the path comes from
 * `$TSAPPLY_BENCH_INPUT` (an absolute path, or relative to the job's folder); without
 * it the jobs read vega-datasets' 3-million-row `flights-3m.parquet`, so
 * `npx tsapply run benchmarks/local/jobs/cpu-great-circle.ts` works as it is.
 */
import type { InputSpec } from 'tsapply';

export const DEFAULT_INPUT = '../../../node_modules/vega-datasets/data/flights-3m.parquet';

/** The flights columns, declared for the text formats (which would otherwise infer them in a pass of their own). */
export const FLIGHTS_DDL = 'date timestamp, delay bigint, distance bigint, origin string, destination string';

export const BENCH_FORMATS = ['parquet', 'arrow', 'csv', 'jsonl'] as const;
export type BenchFormat = (typeof BENCH_FORMATS)[number];

/** `$TSAPPLY_BENCH_FORMAT` (`parquet`, or the same rows as `arrow` IPC, `csv` or `jsonl`) says how the input is stored. */
export function benchInput(): InputSpec {
  const format = (BENCH_FORMATS as readonly string[]).find((f) => f === process.env.TSAPPLY_BENCH_FORMAT) ?? 'parquet';
  const path = process.env.TSAPPLY_BENCH_INPUT ?? DEFAULT_INPUT;
  return format === 'csv' || format === 'jsonl' ? { format, path, options: { schema: FLIGHTS_DDL } } : { format: format as 'parquet' | 'arrow', path };
}
