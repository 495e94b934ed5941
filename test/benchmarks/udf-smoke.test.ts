// @requires-spark: the suite runs against the test server (SPARK_REMOTE).
/**
 * Smoke test of the UDF suite on a real managed Spark server, at a tiny scale: every
 * variant (tsapply's APIs, PySpark's UDF kinds, the C libraries, Spark's built-ins) must
 * produce the same checksums before anything is timed, so this checks that the four
 * workloads mean the same thing in TypeScript, Python and Spark SQL. Never asserts on
 * timings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickSuiteRun } from './quick-suite.js';

describe('benchmarks: quick udf suite on a real server', () => {
  const suite = quickSuiteRun('udf', 0.05);

  it('checks every variant against the built-in and reports each workload', () => {
    assert.equal(suite.run.status, 0, `stderr:\n${suite.run.stderr}`);
    const md = readFileSync(join(suite.out, 'udf.md'), 'utf8');
    assert.match(md, /Every variant's checksum aggregate equalled the Spark SQL built-in's/);
    for (const workload of ['fuzzy matching', 'log parsing', 'JSON parsing', 'numeric simulation']) {
      assert.match(md, new RegExp(`^\\| ${workload}[^|]*(\\| [\\d.,]+× ){6}\\|$`, 'm'), workload);
    }
    for (const variant of ['tsapply, rows API', 'tsapply, columns API', 'tsapply + fastest-levenshtein', 'PySpark @udf(useArrow=True)', 'PySpark @pandas_udf', 'PySpark + C library: rapidfuzz']) {
      assert.ok(md.includes(`| ${variant}`), variant);
    }
  });
});
