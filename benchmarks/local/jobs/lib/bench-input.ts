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

/** `$TSAPPLY_BENCH_FORMAT` (`parquet` or `arrow`, the same rows written as Arrow IPC) says how the input is stored. */
export function benchInput(): InputSpec {
  const format = process.env.TSAPPLY_BENCH_FORMAT === 'arrow' ? 'arrow' : 'parquet';
  return { format, path: process.env.TSAPPLY_BENCH_INPUT ?? DEFAULT_INPUT };
}
