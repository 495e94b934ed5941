// @requires-spark: the suite runs against the test server (SPARK_REMOTE).
/**
 * Smoke test of the grouped suite on a real managed Spark server, at a tiny scale: tsapply's
 * `applyInArrow`, PySpark's `applyInArrow` and `applyInPandas` must give the built-in's
 * checksums before anything is timed, and the floors (each path with a function that
 * returns no rows) must run and be reported against them. Never asserts on timings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickSuiteRun } from './quick-suite.js';

describe('benchmarks: quick grouped suite on a real server', () => {
  const suite = quickSuiteRun('grouped', 0.05);

  it('checks every variant against the built-in and reports the floor of each of the three paths', () => {
    assert.equal(suite.run.status, 0, `stderr:\n${suite.run.stderr}`);
    const md = readFileSync(join(suite.out, 'grouped.md'), 'utf8');
    assert.match(md, /every variant's checksums equalled the built-in's first/);
    for (const variant of ['tsapply groupBy().applyInArrow', 'PySpark groupBy().applyInArrow', 'PySpark groupBy().applyInPandas']) {
      assert.match(md, new RegExp(`^\\| ${variant.replace(/[().]/g, '\\$&')} \\| [\\d.]+ \\|.*\\| [\\d.]+× \\|$`, 'm'), variant);
    }
    for (const floor of ['tsapply applyInArrow', 'PySpark applyInArrow', 'PySpark applyInPandas']) {
      assert.match(md, new RegExp(`^\\| floor: ${floor}, no rows out \\| [\\d.]+ \\|.*\\| \\(floor\\) \\|$`, 'm'), floor);
    }
    for (const shape of ['many small groups', 'a few huge groups']) {
      assert.match(md, new RegExp(`^\\| ${shape}( \\| [\\d.]+){3} \\| [\\d.]+× \\|( -?[\\d.]+ \\|){3}$`, 'm'), shape);
    }
  });
});
