// Executors without Node (issue 12, item 1), on a real Spark server started here whose
// Python workers run with a PATH that has every tool of this machine except `node`: the
// executors then have exactly what PySpark needs and nothing more. tsapply must ship a
// Node runtime (the driver's own binary, or an official build from PyPI), use it on the
// executors, upload it once per session, and fail clearly when told not to ship.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePythonEnv, findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { ExecutorSetupError, SparkSession, runJobOnSpark, shipReport } from 'tsapply';
import { pythonWithoutNode } from './python-without-node.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const JOB = join(ROOT, 'test/fixtures/spark/executor-node/node-version-job.ts');
/** A guard against a hung child, not a timing assertion. */
const CHILD_LIMIT_MS = 5 * 60_000;

let work: string;
let server: SparkConnectServer;
let remote: string;
const savedCache = process.env.TSAPPLY_CACHE_DIR;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsapply-executor-node-'));
  // A cache of its own: the first job packs a runtime, as on a user's first run.
  process.env.TSAPPLY_CACHE_DIR = join(work, 'cache');
  const env = await ensurePythonEnv({ onProgress: () => undefined });
  const port = await findFreePort();
  server = await startSparkConnect({
    port,
    stateDir: join(work, 'state'),
    master: 'local[2]',
    pythonExecutable: pythonWithoutNode(join(work, 'no-node'), env.python),
    onProgress: () => undefined,
  });
  remote = `sc://localhost:${port}`;
});

after(async () => {
  await server?.stop();
  if (savedCache === undefined) delete process.env.TSAPPLY_CACHE_DIR;
  else process.env.TSAPPLY_CACHE_DIR = savedCache;
  rmSync(work, { recursive: true, force: true });
});

type NodeRow = { id: bigint; node_version: string; node_path: string };

describe('executors without node', () => {
  it("ship the driver's own node by default, once per session, and run every task on it", async () => {
    const spark = await SparkSession.connect(remote);
    try {
      const first = await spark.range(0, 12, 1, 3).mapInArrow(
        (batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id, node_version: process.version, node_path: process.execPath })),
        { schema: 'id bigint, node_version string, node_path string' },
      );
      const rows = (await first.collect()) as NodeRow[];
      assert.deepEqual(rows.map((r) => r.id).sort((a, b) => Number(a - b)), Array.from({ length: 12 }, (_, i) => BigInt(i)));
      const report = shipReport(first)!.executorNode;
      assert.equal(report.choice, 'auto');
      assert.equal(report.shipped, true);
      assert.equal(report.source, 'driver');
      assert.equal(report.version, process.version);
      assert.match(report.platform!, /^linux-(x64|arm64)-glibc$/);
      assert.ok(report.archiveBytes! > 10_000_000, `a whole node binary, packed: ${report.archiveBytes} bytes`);
      assert.equal(report.uploadedBytes, report.archiveBytes);
      for (const r of rows) {
        assert.equal(r.node_version, process.version);
        // The binary Spark unpacked from the archive, in the session's SparkFiles folder.
        assert.match(r.node_path, /\/tsapply-node-v[\d.]+-linux-[a-z0-9]+-glibc-[0-9a-f]{12}\.tar\.gz\/node\/bin\/node$/);
      }
      console.log(`[executor-node] first job shipped ${report.archiveBytes} bytes in ${report.uploadMs} ms`);

      // Another function in the same session: nothing is uploaded again.
      const second = await spark.range(0, 4, 1, 2).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id * 2n, v: process.version })), {
        schema: 'id bigint, v string',
      });
      const again = (await second.collect()) as { id: bigint; v: string }[];
      assert.deepEqual(again.map((r) => r.id).sort((a, b) => Number(a - b)), [0n, 2n, 4n, 6n]);
      assert.equal(shipReport(second)!.executorNode.shipped, true);
      assert.equal(shipReport(second)!.executorNode.uploadedBytes, 0);
      assert.ok(!shipReport(second)!.executorNode.uploadMs);
    } finally {
      await spark.stop();
    }
  });

  it("executorNode: 'local' refuses to ship and says what to do", async () => {
    const spark = await SparkSession.connect(remote);
    try {
      const df = await spark.range(0, 3, 1, 1).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch], { schema: 'id bigint', executorNode: 'local' });
      assert.equal(shipReport(df)!.executorNode.shipped, false);
      await assert.rejects(df.collect(), (e: unknown) => {
        assert.ok(e instanceof ExecutorSetupError, String(e));
        assert.equal(e.reason, 'NODE_MISSING');
        assert.match(e.message, /'node' was not found on PATH/);
        assert.match(e.message, /--executor-node local/);
        assert.match(e.message, /remove that option so tsapply ships a Node\.js runtime/);
        return true;
      });
    } finally {
      await spark.stop();
    }
  });

  it('a path that does not exist on the executors fails naming it', async () => {
    const spark = await SparkSession.connect(remote);
    try {
      const df = await spark.range(0, 3, 1, 1).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch], { schema: 'id bigint', executorNode: '/opt/no-such-node/bin/node' });
      await assert.rejects(df.collect(), (e: unknown) => {
        assert.ok(e instanceof ExecutorSetupError, String(e));
        assert.equal(e.reason, 'NODE_MISSING');
        assert.match(e.message, /'\/opt\/no-such-node\/bin\/node'/);
        return true;
      });
    } finally {
      await spark.stop();
    }
  });

  it('executorNodeVersion ships an official build from PyPI for the executors', async () => {
    const summary = await runJobOnSpark(JOB, { remote, executorNodeVersion: '22', quiet: true, stdout: devNull(), stderr: devNull() });
    assert.equal(summary.rowsOut, 4);
    assert.equal(summary.executorNode.shipped, true);
    assert.equal(summary.executorNode.source, 'registry');
    assert.match(summary.executorNode.version!, /^v22\.\d+\.\d+$/);
    console.log(`[executor-node] registry Node ${summary.executorNode.version}: ${summary.executorNode.archiveBytes} bytes uploaded in ${summary.executorNode.uploadMs} ms`);
  });

  it('the CLI ships node and reports it in --json; the job ran on the shipped binary', async () => {
    const out = await runCli(['run', JOB, '--remote', remote, '--json', '--output', join(work, 'cli-out'), '--format', 'jsonl']);
    const summary = JSON.parse(out.trim().split('\n').at(-1)!);
    assert.equal(summary.executorNode.shipped, true);
    assert.equal(summary.executorNode.choice, 'auto');
    assert.equal(typeof summary.executorNode.archiveBytes, 'number');
    const lines = readdirSync(join(work, 'cli-out'))
      .filter((n) => n.endsWith('.json') || n.endsWith('.jsonl'))
      .flatMap((n) => readFileLines(join(work, 'cli-out', n)));
    assert.equal(lines.length, 4);
    for (const l of lines) assert.match(JSON.parse(l).node_path, /tsapply-node-v[\d.]+-linux-.*\/node\/bin\/node$/);
  });
});

function readFileLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

function devNull(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}

function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'packages/tsapply/bin/tsapply.js'), ...args], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_LIMIT_MS,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tsapply ${args.map((a) => basename(a)).join(' ')} exited with ${code}\n${out}\n${err}`))));
  });
}
