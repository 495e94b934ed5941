/**
 * Smoke test of the row-cost suite: it runs end to end in quick mode on small batches,
 * checks every conversion before timing it, and reports every column type. Never
 * asserts on timings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickSuiteRun } from './quick-suite.js';

describe('benchmarks: quick row-cost suite', () => {
  const suite = quickSuiteRun('row-cost', 0.05);

  it('exits 0 and reports ns per row per column for every column type', () => {
    assert.equal(suite.run.status, 0, `stderr:\n${suite.run.stderr}`);
    const md = readFileSync(join(suite.out, 'row-cost.md'), 'utf8');
    assert.match(md, /Batches of 500 rows with 4 columns/);
    for (const type of ['double', 'bigint', 'int', 'boolean', 'timestamp', 'string, 4–8 chars ASCII', 'string, ~30 chars non-ASCII', 'string with nulls (1 in 5)']) {
      assert.match(md, new RegExp(`^\\| ${type.replace(/[()]/g, '\\$&')} \\|( \\d+ \\|){5} \\d+–\\d+ / \\d+–\\d+ \\|$`, 'm'), type);
    }
  });
});
