// A Spark Connect server of its own (with a token), started through @tsapply/spark-local:
// bad token, good token, and the server killed in the middle of a query.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { SparkConnectionError, SparkError, col, functions as F } from '@tsapply/spark-connect';
import { SparkSession } from 'tsapply';
import { JOBS, tempDir, tsapply } from '../tsapply/cli-helpers.ts';

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
      // The server's token is in its JVM's environment; the job's code must not see it.
      const seen = await s
        .range(0, 2, 1, 1)
        .mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch].map(() => ({ token: process.env.SPARK_CONNECT_AUTHENTICATE_TOKEN ?? 'not set' })), { schema: 'token string', quiet: true })
        .then((df) => df.collect());
      assert.deepEqual(seen, [{ token: 'not set' }, { token: 'not set' }]);
    } finally {
      await s.stop();
    }
  });

  it('the token appears nowhere in what `tsapply run --remote` prints: --json, errors, --verbose stacks, or the server log', () => {
    const remote = `sc://localhost:${port}/;token=${TOKEN}`;
    const out = tempDir('tsapply-token-');
    try {
      const ok = tsapply(['run', join(JOBS, 'identity-range.ts'), '--remote', remote, '--json', '--output', join(out, 'ok'), '--no-typecheck']);
      assert.equal(ok.code, 0, ok.stderr);
      const summary = JSON.parse(ok.stdout) as { remote?: string; rowsOut: number };
      assert.equal(summary.rowsOut, 2500);
      const failed = tsapply(['run', join(JOBS, 'apply-throws.ts'), '--remote', remote, '--verbose', '--no-typecheck']);
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /row 7 is cursed/);
      const wrong = tsapply(['run', join(JOBS, 'identity-range.ts'), '--remote', `sc://localhost:${port}/;token=not-the-${TOKEN}`, '--json', '--no-typecheck']);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /token|authenticat/i);
      const printed = [ok, failed, wrong].flatMap((r) => [r.stdout, r.stderr]);
      // The server's logs sit in its state folder (its state file keeps the token, mode 0600, for `status`).
      const logs = readdirSync(stateDir, { recursive: true, encoding: 'utf8' })
        .map((f) => join(stateDir, f))
        .filter((f) => f.endsWith('.log') && statSync(f).isFile())
        .map((f) => readFileSync(f, 'utf8'));
      assert.ok(logs.length > 0, 'the server wrote a log');
      for (const text of [...printed, ...logs]) assert.equal(text.includes(TOKEN), false, `the token leaked into: ${text.slice(0, 2000)}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
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
