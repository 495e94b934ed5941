/**
 * What shipping Node to the executors costs (issue 12, item 1): packing a runtime (once
 * per machine), uploading it (once per session), and the executors' side (fetching and
 * unpacking the archive, checking the binary's hash) — against the same job in a fresh
 * session whose executors use their own node. Later jobs of a session must upload nothing.
 *
 * Starts its own Spark server (`local[2]`, loopback) through @tsapply/spark-local and
 * uses a cache folder of its own, so the first pack is a cold one.
 *
 *   node --import tsx benchmarks/executor-node.ts [runs]      (default 3 runs per variant)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSparkConnect } from '@tsapply/spark-local';
import { SparkSession, shipReport } from 'tsapply';
import { driverPlatform } from '../packages/tsapply/dist/spark/executor-node/executor-platform.js';
import { nodeRuntimeFor } from '../packages/tsapply/dist/spark/executor-node/node-runtime-cache.js';

const runs = Number(process.argv[2] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'tsapply-bench-executor-node-'));
process.env.TSAPPLY_CACHE_DIR = join(work, 'cache');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

const port = await findFreePort();
const server = await startSparkConnect({ port, stateDir: join(work, 'state'), master: 'local[2]', onProgress: () => undefined });
const remote = `sc://localhost:${port}`;

try {
  const packStarted = performance.now();
  const runtime = await nodeRuntimeFor({ host: driverPlatform()!, note: () => undefined });
  const packMs = performance.now() - packStarted;

  /** One fresh session: a first job, then a second one; their times and what they uploaded for Node. */
  async function session(executorNode: 'ship' | 'local') {
    const spark = await SparkSession.connect(remote);
    try {
      const times: number[] = [];
      const reports = [];
      for (const k of [1n, 2n]) {
        const started = performance.now();
        const df = await spark.range(0, 40_000, 1, 2).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id * k })), {
          schema: 'id bigint',
          executorNode,
        });
        const n = (await df.collect()).length;
        if (n !== 40_000) throw new Error(`expected 40000 rows, got ${n}`);
        times.push(performance.now() - started);
        reports.push(shipReport(df)!.executorNode);
      }
      return { times, reports };
    } finally {
      await spark.stop();
    }
  }

  // Warm the server (its first Python workers, the Python-version probe) before timing.
  await session('local');
  const ship: Awaited<ReturnType<typeof session>>[] = [];
  const local: Awaited<ReturnType<typeof session>>[] = [];
  for (let i = 0; i < runs; i++) {
    ship.push(await session('ship'));
    local.push(await session('local'));
  }
  const firstShip = median(ship.map((s) => s.times[0]!));
  const firstLocal = median(local.map((s) => s.times[0]!));
  const upload = median(ship.map((s) => s.reports[0]!.uploadMs));
  const rows = [
    ['runtime', `${runtime.version} ${runtime.platform} (${runtime.source})`],
    ['archive', mb(runtime.archiveBytes)],
    ['pack, cold cache (once per machine)', `${packMs.toFixed(0)} ms`],
    ['upload on loopback, first job of a session', `${upload} ms (median of ${runs})`],
    ['first job, Node shipped', `${firstShip.toFixed(0)} ms`],
    ['first job, executors\' own node', `${firstLocal.toFixed(0)} ms`],
    ['executors\' side: fetch + unpack + hash check', `${(firstShip - upload - firstLocal).toFixed(0)} ms (first job shipped − upload − first job local)`],
    ['second job of the session: bytes uploaded for Node', String(Math.max(...ship.map((s) => s.reports[1]!.uploadedBytes)))],
    ['second job, Node shipped / own node', `${median(ship.map((s) => s.times[1]!)).toFixed(0)} ms / ${median(local.map((s) => s.times[1]!)).toFixed(0)} ms`],
  ];
  console.log('| figure | value |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
