import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { typecheckJob } from '@tsapply/bundler';

describe('typecheckJob({ cache: true })', () => {
  let dir: string;
  let savedCacheDir: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-typecheck-cache-'));
    savedCacheDir = process.env.TSAPPLY_CACHE_DIR;
    process.env.TSAPPLY_CACHE_DIR = join(dir, 'cache');
    // A job whose only link to `types.ts` is a type-only import, which esbuild erases:
    // a bundle hash would not notice a change there, the cache must.
    writeFileSync(join(dir, 'types.ts'), 'export interface Out { n: number }\n');
    writeFileSync(
      join(dir, 'job.ts'),
      "import type { Out } from './types.ts';\nexport const make = (): Out => ({ n: 1 });\n",
    );
  });
  after(() => {
    if (savedCacheDir === undefined) delete process.env.TSAPPLY_CACHE_DIR;
    else process.env.TSAPPLY_CACHE_DIR = savedCacheDir;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a success and trusts it only while every file read is unchanged', async () => {
    const job = join(dir, 'job.ts');
    assert.deepEqual(await typecheckJob(job, { cache: true, cwd: dir }), []);
    assert.equal(readdirSync(join(dir, 'cache', 'typecheck')).length, 1);

    // Break the type-only dependency; keep its size so only the mtime tells.
    writeFileSync(join(dir, 'types.ts'), 'export interface Out { n: string }\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'types.ts'), later, later);
    const diagnostics = await typecheckJob(job, { cache: true, cwd: dir });
    assert.deepEqual(
      diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: TS${d.code}`),
      ['job.ts:2:35: TS2322'],
    );
  });

  it('does not record failures, and without `cache` writes nothing', async () => {
    rmSync(join(dir, 'cache'), { recursive: true, force: true });
    const job = join(dir, 'job.ts');
    assert.equal((await typecheckJob(job, { cache: true, cwd: dir })).length, 1);
    assert.equal(existsSync(join(dir, 'cache', 'typecheck')) && readdirSync(join(dir, 'cache', 'typecheck')).length > 0, false);
    writeFileSync(join(dir, 'types.ts'), 'export interface Out { n: number }\n');
    assert.deepEqual(await typecheckJob(job, { cwd: dir }), []);
    assert.equal(existsSync(join(dir, 'cache', 'typecheck')), false);
  });
});
