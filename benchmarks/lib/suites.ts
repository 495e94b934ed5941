/**
 * The suite registry. Each entry loads its suite lazily, so `bench serializers` never
 * imports the Spark client. A suite that is not written yet is `undefined` and is
 * reported as skipped (with `all`) or refused (when asked for by name).
 *
 * To add a suite: create `benchmarks/<name>/suite.ts` exporting `suite: BenchmarkSuite`
 * and point its entry here.
 */
import type { BenchmarkSuite } from './suite.js';

export const SUITE_NAMES = ['serializers', 'local', 'spark', 'spark-client', 'row-cost', 'udf', 'grouped'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

export const SUITES: Readonly<Record<SuiteName, () => Promise<BenchmarkSuite>>> = {
  serializers: async () => (await import('../serializers/suite.js')).suite,
  // Embedded engine: rows/s vs workers, peak memory vs input size (issue 5, "Engines").
  local: async () => (await import('../local/suite.js')).suite,
  // Spark mapInArrow vs PySpark and Spark SQL; job start-up vs context size (issue 5).
  spark: async () => (await import('../spark/suite.js')).suite,
  'spark-client': async () => (await import('../spark-client/suite.js')).suite,
  // tsapply's own per-row cost in the worker: Arrow ↔ the values apply reads and returns (issue 13).
  'row-cost': async () => (await import('../row-cost/suite.js')).suite,
  // Realistic per-row functions: tsapply against PySpark @udf, pandas_udf, C libraries (issue 13).
  udf: async () => (await import('../udf/suite.js')).suite,
  // One call per group: tsapply applyInArrow against PySpark applyInArrow / applyInPandas (issue 13).
  grouped: async () => (await import('../grouped/suite.js')).suite,
};
