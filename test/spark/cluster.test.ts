// Jobs on a real Spark standalone cluster of this test's own (Spark's Master and two
// Worker processes on loopback, the Connect server attached; started through
// @tsapply/spark-local): Node workers run beside each executor, the payload is uploaded
// once for the job, and a Worker killed mid-job (with its executor, Python and Node
// workers) costs no row.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { SparkSession, sessionUploads, shipReport } from 'tsapply';
import { whoRuns } from '../fixtures/spark/basic-fns.ts';

let server: SparkConnectServer | undefined;
let spark: SparkSession | undefined;
const stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-cluster-'));

before(async () => {
  server = await startSparkConnect({ mode: 'standalone', workers: 2, port: await findFreePort(), stateDir, onProgress: () => {} });
  spark = await SparkSession.connect(server.address);
}, { timeout: 600_000 });

after(async () => {
  await spark?.stop().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('two executor processes', () => {
  it('run Node workers beside each executor, with one payload upload', { timeout: 600_000 }, async () => {
    const out = await spark!.range(0, 800, 1, 8).mapInArrow(whoRuns, {
      schema: 'partition int, rows int, node_pid int, python_pid int, jvm_pid int, executor_id string',
    });
    const rows = await out.collect();
    assert.equal(rows.length, 8);
    assert.equal(rows.reduce((n, r) => n + (r.rows as number), 0), 800);
    const executors = new Set(rows.map((r) => r.executor_id));
    const jvms = new Set(rows.map((r) => r.jvm_pid));
    const pythons = new Set(rows.map((r) => r.python_pid));
    const nodes = new Set(rows.map((r) => r.node_pid));
    assert.ok(executors.size >= 2 && !executors.has('driver'), `executors: ${[...executors].join(', ')}`);
    assert.ok(jvms.size >= 2, `executor JVMs: ${[...jvms].join(', ')}`);
    assert.ok(pythons.size >= 2, `Python workers: ${[...pythons].join(', ')}`);
    // One Node worker per Python worker: never more Node processes than Python parents.
    assert.equal(nodes.size, pythons.size);
    const payloads = sessionUploads(spark!).filter((n) => n.startsWith('files/tsapply-payload-'));
    assert.deepEqual(payloads, [`files/tsapply-payload-${shipReport(out)!.payloadHash}.tsap`]);
    console.log(`executors ${[...executors].join(',')}; JVMs ${jvms.size}; Python workers ${pythons.size}; Node workers ${nodes.size}`);
  });
});

/** True while `pid` runs (a zombie waiting to be reaped does not count). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Parent pid and command line of every process (from /proc). */
function processTable(): Map<number, { ppid: number; cmd: string }> {
  const table = new Map<number, { ppid: number; cmd: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(name), { ppid, cmd: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/** `root` and every process below it. */
function tree(root: number, table: Map<number, { ppid: number }>): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, p] of table) if (p.ppid === out[i]) out.push(pid);
  return out;
}

describe('a standalone Worker killed mid-job', () => {
  it('with its executor, Python and Node workers: the job still completes with exactly the right rows', { timeout: 600_000 }, async () => {
    // 12 partitions of 1.5 s each on two 1-core executors: about 9 s of work.
    const slowJob = () =>
      spark!.range(0, 1200, 1, 12).mapInArrow(
        async (batch: Iterable<{ id: bigint }>) => {
          await new Promise((r) => setTimeout(r, 1500));
          return [...batch].map((r) => ({ id: r.id, sq: r.id * r.id }));
        },
        { schema: 'id bigint, sq bigint', quiet: true },
      );
    const expected = Array.from({ length: 1200 }, (_, i) => `${i}:${i * i}`).sort();
    const asText = (rows: Record<string, unknown>[]) => rows.map((r) => `${r.id}:${r.sq}`).sort();
    // The same job undisturbed, for comparison (no assertion on time).
    let started = Date.now();
    assert.deepEqual(asText(await (await slowJob()).collect()), expected);
    const undisturbedMs = Date.now() - started;

    const df = await slowJob();
    started = Date.now();
    let finished = false;
    const result = df.collect().finally(() => (finished = true));
    // Into the job (a few partitions done), kill a Worker that runs Node workers, and everything below it.
    await new Promise((r) => setTimeout(r, 3500));
    const table = processTable();
    const workers = [...table].filter(([, p]) => p.cmd.includes('org.apache.spark.deploy.worker.Worker')).map(([pid]) => pid);
    const busy = workers.find((w) => tree(w, table).some((pid) => table.get(pid)!.cmd.includes('tsapply-worker-')));
    assert.ok(busy !== undefined, 'a Worker runs Node workers');
    const victim = tree(busy, table);
    assert.equal(finished, false, 'the job is still running when the Worker is killed');
    for (const pid of victim) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const killedAfterMs = Date.now() - started;
    const rows = (await result) as { id: bigint; sq: bigint }[];
    for (const pid of victim) assert.equal(alive(pid), false, `process ${pid} of the killed Worker is gone`);
    assert.deepEqual(asText(rows), expected);
    console.log(
      `[standalone] killed a Worker (${victim.length} processes) ${killedAfterMs} ms into the job; it completed in ${Date.now() - started} ms ` +
        `with all 1200 rows (${undisturbedMs} ms undisturbed)`,
    );
  });
});
