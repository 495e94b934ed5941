import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as jobApi from '@tsapply/common/job-api';
import { cacheDir, defineJob } from '@tsapply/common';

const require = createRequire(import.meta.url);

describe('@tsapply/common/job-api', () => {
  it('exports defineJob (an identity function) and the image helpers only', () => {
    assert.deepEqual(Object.keys(jobApi).sort(), ['defineJob', 'image']);
    assert.equal(typeof jobApi.image.imageFromRow, 'function');
    const job = { input: { rows: [] }, apply: () => [] };
    assert.equal(jobApi.defineJob(job), job);
    assert.equal(defineJob(job), job);
  });

  it('has no runtime imports (safe and tiny inside user bundles)', () => {
    const files = ['job-api.js', 'job-definition.js'].map((f) =>
      readFileSync(join(require.resolve('@tsapply/common/package.json'), '..', 'dist', f), 'utf8'));
    for (const code of files) {
      const imports = [...code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      assert.deepEqual(imports.filter((s) => !s!.startsWith('./')), []);
    }
  });
});

describe('cacheDir', () => {
  it('uses $TSAPPLY_CACHE_DIR (absolute) or ~/.cache/tsapply', () => {
    const saved = process.env.TSAPPLY_CACHE_DIR;
    try {
      process.env.TSAPPLY_CACHE_DIR = 'rel/cache';
      assert.equal(cacheDir(), resolve('rel/cache'));
      delete process.env.TSAPPLY_CACHE_DIR;
      assert.equal(cacheDir(), join(homedir(), '.cache', 'tsapply'));
    } finally {
      if (saved === undefined) delete process.env.TSAPPLY_CACHE_DIR;
      else process.env.TSAPPLY_CACHE_DIR = saved;
    }
  });
});
