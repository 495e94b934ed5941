// A job on two executor processes (a cluster-mode server of its own, started through
// @tsapply/spark-local): Node workers run beside each executor, and the payload is
// uploaded once for the job.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { SparkSession, sessionUploads, shipReport } from 'tsapply';
import { whoRuns } from '../fixtures/spark/basic-fns.ts';

let server: SparkConnectServer | undefined;
let spark: SparkSession | undefined;
const stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-cluster-'));

before(async () => {
  server = await startSparkConnect({ mode: 'cluster', executors: 2, port: await findFreePort(), stateDir, onProgress: () => {} });
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
