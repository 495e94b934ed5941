// A Spark Connect server of its own (with a token), started through @tsapply/spark-local:
// bad token, good token, and the server killed in the middle of a query.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { SparkSession, SparkConnectionError, SparkError, col, functions as F } from '@tsapply/spark-connect';

const TOKEN = 'tsapply-test-token';
let server: SparkConnectServer | undefined;
let stateDir: string;
let port: number;

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'tsapply-sc-auth-'));
  port = await findFreePort();
  server = await startSparkConnect({ port, stateDir, token: TOKEN, master: 'local[1]', onProgress: () => undefined });
}, { timeout: 600_000 });

after(async () => {
  await server?.stop().catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('a server that requires a token', () => {
  it('rejects a wrong token with a clear error', async () => {
    await assert.rejects(SparkSession.connect(`sc://localhost:${port}/;token=wrong`, { retry: { maxRetries: 0 } }), (e: unknown) => {
      assert.ok(e instanceof SparkError, String(e));
      assert.equal(e.grpcCode, 16); // UNAUTHENTICATED
      assert.match(e.message, /token|authenticat/i);
      return true;
    });
  });

  it('accepts the right token over loopback without TLS (as PySpark does)', async () => {
    const s = await SparkSession.connect(`sc://localhost:${port}/;token=${TOKEN}`);
    try {
      assert.deepEqual(await s.range(3).select(F.sum('id').alias('s')).collect(), [{ s: 3n }]);
    } finally {
      await s.stop();
    }
  });

  it('server killed mid-query: the query fails with SparkConnectionError, no hang', async () => {
    const s = await SparkSession.connect(`sc://localhost:${port}/;token=${TOKEN}`, { retry: { maxRetries: 2, initialBackoffMs: 100 } });
    const running = s.range(0, 50_000_000_000, 1, 1).select(F.sum(col('id'))).collect();
    const outcome = assert.rejects(running, (e: unknown) => {
      assert.ok(e instanceof SparkConnectionError, String(e));
      assert.equal(e.address, `localhost:${port}`);
      assert.equal(e.attempts, 3);
      return true;
    });
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(-server!.pid, 'SIGKILL');
    await outcome;
    server = undefined;
    s.client.close();
  });
});
