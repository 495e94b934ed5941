// The worker bundle must be one self-contained file that runs with plain `node`
// from any folder (an executor's SparkFiles dir), with no node_modules around it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkerBundle } from '../../../packages/tsapply/dist/spark/worker-bundle.js';

describe('buildWorkerBundle', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'tsapply-wb-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes a content-addressed .cjs file with its sha256 and a source map', async () => {
    const cache = tmp();
    const b = await buildWorkerBundle({ cacheDir: cache });
    assert.equal(b.sha256, createHash('sha256').update(b.bytes).digest('hex'));
    assert.equal(b.fileName, `tsapply-worker-${b.sha256.slice(0, 16)}.cjs`);
    assert.equal(b.path, join(cache, b.fileName));
    assert.deepEqual(readFileSync(b.path), Buffer.from(b.bytes));
    assert.equal((JSON.parse(readFileSync(b.sourceMapPath, 'utf8')) as { version: number }).version, 3);
    // Memoized per cache dir, and deterministic across cache dirs.
    assert.equal(await buildWorkerBundle({ cacheDir: cache }), b);
    assert.equal((await buildWorkerBundle({ cacheDir: tmp() })).sha256, b.sha256);
  });

  it('requires only Node built-ins and the optional native accelerators', async () => {
    const b = await buildWorkerBundle({ cacheDir: tmp() });
    const code = Buffer.from(b.bytes).toString('utf8');
    const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const optionalNative = new Set(['lz4-napi', 'msgpackr-extract']);
    const foreign = [...required].filter((r) => !builtins.has(r) && !optionalNative.has(r));
    assert.deepEqual(foreign, []);
  });

  it('runs with plain node from a folder without node_modules and exits when stdin closes', async () => {
    const b = await buildWorkerBundle({ cacheDir: tmp() });
    const dir = tmp();
    copyFileSync(b.path, join(dir, b.fileName));
    const r = spawnSync(process.execPath, [b.fileName], { cwd: dir, input: '', encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });

  it('rejects unknown options', async () => {
    await assert.rejects(buildWorkerBundle({ cachedir: '/tmp' } as never), { message: 'Invalid option in buildWorkerBundle(): "cachedir". Did you mean "cacheDir"? Valid options: cacheDir.' });
  });
});
