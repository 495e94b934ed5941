// The Spark Connect server fails under a running tsapply job (issue 14, item 4): killed
// mid-job, the job fails within the connection's retry budget with an error that names
// the server, leaves no output, and the same script's next session works once the server
// is back; a client that connects while the server is still starting waits for it under
// its retry policy. A server of this test's own, started and killed for real.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { SparkConnectionError } from '@tsapply/spark-connect';
import { runJobOnSpark, SparkSession } from 'tsapply';

const SLOW_JOB = 'test/fixtures/faults/slow-job.ts';
let dir: string;
let port: number;
let server: SparkConnectServer | undefined;

const start = () => startSparkConnect({ port, stateDir: join(dir, 'state'), master: 'local[2]', onProgress: () => undefined });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsapply-server-faults-'));
  port = await findFreePort();
  server = await start();
});
after(async () => {
  await server?.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the server killed under a running job', () => {
  it('fails the job naming the server, writes nothing, and a new session works after a restart', async () => {
    const out = join(dir, 'out');
    const remote = `sc://localhost:${port}`;
    const job = runJobOnSpark(SLOW_JOB, { remote, output: out, format: 'parquet', quiet: true, typecheck: false });
    const outcome = assert.rejects(job, (e: unknown) => {
      assert.ok(e instanceof SparkConnectionError, String(e));
      assert.equal(e.address, `localhost:${port}`);
      assert.match(e.message, new RegExp(`localhost:${port}`));
      return true;
    });
    await new Promise((r) => setTimeout(r, 5000));
    process.kill(-server!.pid, 'SIGKILL');
    server = undefined;
    const killedAt = Date.now();
    await outcome;
    // Bounded by the retry policy (5 retries, 7.75 s of backoff), not a hang.
    const waited = Date.now() - killedAt;
    console.log(`[server-faults] the job failed ${waited} ms after the server was killed`);
    assert.ok(waited < 60_000, `the job failed ${waited} ms after the server was killed: within the retry budget, not a hang`);
    assert.equal(existsSync(out), false, 'no output');

    server = await start();
    const spark = await SparkSession.connect(remote);
    try {
      assert.deepEqual(await spark.range(0, 4, 1, 2).mapInArrow((b: Iterable<{ id: bigint }>) => [...b].map((r) => ({ id: r.id + 1n })), { schema: 'id bigint', quiet: true }).then((df) => df.collect()), [
        { id: 1n },
        { id: 2n },
        { id: 3n },
        { id: 4n },
      ]);
    } finally {
      await spark.stop();
    }
  });

  it('a client connecting while the server starts waits for it under its retry policy', async () => {
    await server?.stop();
    server = undefined;
    const starting = start();
    // Connect at once, before the server listens: retried with backoff until it answers.
    const spark = await SparkSession.connect(`sc://localhost:${port}`, { retry: { maxRetries: 12, initialBackoffMs: 500, maxBackoffMs: 5000 } });
    server = await starting;
    try {
      assert.deepEqual(await spark.range(0, 3, 1, 1).collect(), [{ id: 0n }, { id: 1n }, { id: 2n }]);
    } finally {
      await spark.stop();
    }
  });
});
