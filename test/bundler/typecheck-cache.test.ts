import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { typecheckJob, type TsconfigChoice } from '@tsapply/bundler';

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

describe('typecheckJob({ cache: true }) and tsconfig.json', () => {
  let dir: string;
  let savedCacheDir: string | undefined;
  // A job that checks only when strict mode is off (an implicit any parameter).
  const JOB = "import { defineJob } from 'tsapply';\nconst double = (x) => x * 2;\nexport default defineJob({ input: { range: 1 }, apply: (batch) => [...batch].map((r) => ({ y: double(r.id) })) });\n";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-typecheck-cache-tsconfig-'));
    savedCacheDir = process.env.TSAPPLY_CACHE_DIR;
    process.env.TSAPPLY_CACHE_DIR = join(dir, 'cache');
  });
  after(() => {
    if (savedCacheDir === undefined) delete process.env.TSAPPLY_CACHE_DIR;
    else process.env.TSAPPLY_CACHE_DIR = savedCacheDir;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `text` to `path` with an mtime later than any write so far, so a change is seen even at the same size. */
  let clock = Date.now();
  function write(path: string, text: string): void {
    writeFileSync(path, text);
    clock += 5000;
    utimesSync(path, new Date(clock), new Date(clock));
  }

  /** Checks with the cache; returns `TScode`s and the tsconfig choice reported. */
  async function check(job: string, cwd: string): Promise<{ codes: string[]; choice: TsconfigChoice | undefined }> {
    let choice: TsconfigChoice | undefined;
    const diagnostics = await typecheckJob(job, { cache: true, cwd, onConfig: (c) => (choice = c) });
    return { codes: diagnostics.map((d) => `TS${d.code}`), choice };
  }

  it('re-checks when the tsconfig.json used, or a file it extends, changes; a hit still reports the tsconfig', async () => {
    const root = join(dir, 'edits');
    mkdirSync(root);
    const job = join(root, 'job.ts');
    const tsconfig = join(root, 'tsconfig.json');
    write(join(root, 'base.json'), '{ "compilerOptions": { "target": "ES2022", "strict": false } }');
    write(tsconfig, '{ "extends": "./base.json" }');
    write(job, JOB);
    const used = { tsconfig, skipped: [] };
    assert.deepEqual(await check(job, root), { codes: [], choice: used });
    const records = readdirSync(join(dir, 'cache', 'typecheck'));
    assert.equal(records.length, 1);
    const record = JSON.parse(readFileSync(join(dir, 'cache', 'typecheck', records[0]!), 'utf8')) as { tsconfig: string; walked: string[]; files: { path: string }[] };
    assert.equal(record.tsconfig, tsconfig);
    assert.deepEqual(record.walked, [tsconfig]);
    const stamped = record.files.map((f) => f.path);
    assert.ok(stamped.includes(tsconfig) && stamped.includes(join(root, 'base.json')), 'the tsconfig and the file it extends are stamped');
    assert.deepEqual(await check(job, root), { codes: [], choice: used }, 'a cache hit');

    write(join(root, 'base.json'), '{ "compilerOptions": { "target": "ES2022", "strict": true } }');
    assert.deepEqual(await check(job, root), { codes: ['TS7006'], choice: used }, 'the extended file changed');

    write(join(root, 'base.json'), '{ "compilerOptions": { "target": "ES2022", "strict": false } }');
    assert.deepEqual(await check(job, root), { codes: [], choice: used });
    write(tsconfig, '{ "extends": "./base.json", "compilerOptions": { "strict": true } }');
    assert.deepEqual(await check(job, root), { codes: ['TS7006'], choice: used }, 'the tsconfig itself changed');
  });

  it('re-checks when a tsconfig.json appears nearer the job, or goes away', async () => {
    const root = join(dir, 'appears');
    mkdirSync(join(root, 'jobs'), { recursive: true });
    const job = join(root, 'jobs', 'job.ts');
    write(join(root, 'tsconfig.json'), '{ "compilerOptions": { "target": "ES2022", "strict": false } }');
    write(job, JOB);
    assert.deepEqual(await check(job, root), { codes: [], choice: { tsconfig: join(root, 'tsconfig.json'), skipped: [] } });

    const nearer = join(root, 'jobs', 'tsconfig.json');
    write(nearer, '{ "compilerOptions": { "target": "ES2022", "strict": true } }');
    assert.deepEqual(await check(job, root), { codes: ['TS7006'], choice: { tsconfig: nearer, skipped: [] } });

    rmSync(nearer);
    assert.deepEqual(await check(job, root), { codes: [], choice: { tsconfig: join(root, 'tsconfig.json'), skipped: [] } });
    write(nearer, '{ "compilerOptions": { "target": "ES2022", "strict": true } }');
    assert.deepEqual(await check(job, root), { codes: ['TS7006'], choice: { tsconfig: nearer, skipped: [] } }, 'the success above was recorded without it');
  });
});
