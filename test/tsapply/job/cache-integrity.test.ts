/**
 * The driver's cache (issue 14, item 6): folders tsapply creates are 0700 and its files
 * 0600, since they hold the user's code; a cached payload changed on disk is replaced
 * with the right bytes, never used. Real runs of the embedded engine and the worker
 * bundle builder into a fresh cache folder.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from 'tsapply';
import { buildWorkerBundle } from '../../../packages/tsapply/dist/spark/worker-bundle.js';

const JOB = 'test/fixtures/spark/executor-node/node-version-job.ts';
let cache: string;
const saved = process.env.TSAPPLY_CACHE_DIR;

before(() => {
  cache = join(mkdtempSync(join(tmpdir(), 'tsapply-cache-integrity-')), 'cache');
  process.env.TSAPPLY_CACHE_DIR = cache;
});
after(() => {
  if (saved === undefined) delete process.env.TSAPPLY_CACHE_DIR;
  else process.env.TSAPPLY_CACHE_DIR = saved;
  rmSync(join(cache, '..'), { recursive: true, force: true });
});

/** Every folder and file under `dir` with its permission bits. */
function modes(dir: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [{ path: dir, dir: true, mode: statSync(dir).mode & 0o777 }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    if (s.isDirectory()) out.push(...modes(path));
    else out.push({ path, dir: false, mode: s.mode & 0o777 });
  }
  return out;
}

const run = () => runJob(JOB, { workers: 1, quiet: true, stdout: { write: () => true } as never });

describe("the driver's cache", () => {
  it('is readable by its owner only', async () => {
    await run();
    await buildWorkerBundle();
    const entries = modes(cache);
    assert.ok(entries.some((e) => e.path.includes('/payloads/') && !e.dir), 'a payload was cached');
    assert.ok(entries.some((e) => e.path.includes('/worker-bundles/') && !e.dir), 'a worker bundle was cached');
    assert.ok(entries.some((e) => e.path.includes('/typecheck/') && !e.dir), 'a type-check record was cached');
    for (const e of entries) assert.equal(e.mode, e.dir ? 0o700 : 0o600, `${e.path} is ${e.mode.toString(8)}`);
  });

  it('replaces a payload changed on disk instead of using it', async () => {
    const dir = join(cache, 'payloads');
    const [name] = readdirSync(dir).filter((n) => n.endsWith('.tsap'));
    const path = join(dir, name!);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff; // same size, different bytes
    writeFileSync(path, bad);
    const summary = await run();
    assert.equal(summary.rowsOut, 4);
    assert.ok(readFileSync(path).equals(good), 'the cached payload holds the right bytes again');
  });
});
