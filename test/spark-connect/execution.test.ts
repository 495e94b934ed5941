import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';
import { SparkSession, SparkConnectionError, SparkError, col, functions as F, type ProgressEvent } from '@tsapply/spark-connect';
import { connect, remoteWith } from './helpers.js';

let spark: SparkSession;
before(async () => {
  spark = await connect();
});
after(async () => {
  await spark.stop();
});

/** Records every outgoing call's metadata and request message, and response messages. */
function recorder(log: { path: string; metadata: Record<string, unknown>; requests: any[]; responses: any[] }[]): Interceptor {
  return (options, nextCall) => {
    const entry = { path: options.method_definition.path, metadata: {} as Record<string, unknown>, requests: [] as any[], responses: [] as any[] };
    log.push(entry);
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        entry.metadata = metadata.getMap();
        next(metadata, { onReceiveMessage: (m, nxt) => (entry.responses.push(m), nxt(m)) });
      },
      sendMessage(message, next) {
        entry.requests.push(message);
        next(message);
      },
    });
  };
}

describe('connection parameters reach the request', () => {
  it('token, user_id, user_agent, session_id and extra headers', async () => {
    const log: Parameters<typeof recorder>[0] = [];
    const sessionId = randomUUID(); // a released session id is tombstoned by the server
    const s = await SparkSession.connect(remoteWith(`token=tok123;user_id=ada;user_agent=my%20job;session_id=${sessionId};x-team=data`), {
      interceptors: [recorder(log)],
    });
    try {
      await s.range(2).collect();
      const exec = log.find((e) => e.path === '/spark.connect.SparkConnectService/ExecutePlan')!;
      assert.equal(exec.metadata.authorization, 'Bearer tok123');
      assert.equal(exec.metadata['x-team'], 'data');
      const req = exec.requests[0];
      assert.equal(req.sessionId, sessionId);
      assert.equal(req.userContext.userId, 'ada');
      assert.match(req.clientType, /^my job tsapply\/\d+\.\d+\.\d+ os\/\w+ node\/\d+/);
      assert.match(req.operationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(req.requestOptions[0].requestOption.value.reattachable, true);
      // The server answered in that session.
      assert.equal(exec.responses[0].sessionId, sessionId);
      const analyze = log.find((e) => e.path.endsWith('/AnalyzePlan'))!;
      assert.equal(analyze.requests[0].sessionId, sessionId);
      assert.equal(analyze.metadata.authorization, 'Bearer tok123');
      // Released after result_complete.
      await new Promise((r) => setTimeout(r, 200));
      const release = log.find((e) => e.path.endsWith('/ReleaseExecute'))!;
      assert.equal(release.requests[0].operationId, req.operationId);
    } finally {
      await s.stop();
    }
    const release = log.find((e) => e.path.endsWith('/ReleaseSession'))!;
    assert.equal(release.requests[0].sessionId, sessionId);
  });

  it('each session gets its own UUID v4 session id', async () => {
    const other = await connect();
    try {
      assert.notEqual(other.sessionId, spark.sessionId);
      assert.match(other.sessionId, /^[0-9a-f-]{8}-[0-9a-f]{4}-4/);
    } finally {
      await other.stop();
    }
  });
});

describe('errors', () => {
  it('invalid SQL shows the error class and SQL state', async () => {
    await assert.rejects(spark.sql('SELEC 1'), (e: unknown) => {
      assert.ok(e instanceof SparkError);
      assert.equal(e.errorClass, 'PARSE_SYNTAX_ERROR');
      assert.equal(e.sqlState, '42601');
      assert.equal(e.grpcCode, status.INTERNAL);
      assert.deepEqual(e.messageParameters, { error: "'SELEC'", hint: '' });
      assert.ok(e.message.startsWith("[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601"), e.message);
      assert.equal(e.code, 'SPARK_ERROR');
      return true;
    });
  });

  it('unknown column', async () => {
    await assert.rejects(spark.range(3).select(col('nope')).collect(), (e: unknown) => {
      assert.ok(e instanceof SparkError);
      assert.equal(e.errorClass, 'UNRESOLVED_COLUMN.WITH_SUGGESTION');
      assert.equal(e.sqlState, '42703');
      assert.ok(e.message.startsWith('[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`id`]. SQLSTATE: 42703'), e.message);
      return true;
    });
  });

  it('a runtime failure carries the full server message (FetchErrorDetails)', async () => {
    await assert.rejects(spark.range(1).select(F.call('assert_true', col('id').gt(5), 'id too small: tsapply')).collect(), (e: unknown) => {
      assert.ok(e instanceof SparkError);
      assert.match(e.serverMessage, /id too small: tsapply/);
      assert.ok(e.errorTypeHierarchy.length > 0);
      return true;
    });
  });

  it('unreachable server: SparkConnectionError naming the address after bounded retries', async () => {
    await assert.rejects(SparkSession.connect('sc://127.0.0.1:9', { retry: { maxRetries: 2, initialBackoffMs: 50 } }), (e: unknown) => {
      assert.ok(e instanceof SparkConnectionError);
      assert.equal(e.address, '127.0.0.1:9');
      assert.equal(e.attempts, 3);
      assert.match(e.message, /^Cannot reach the Spark Connect server at 127\.0\.0\.1:9 \(sc:\/\/127\.0\.0\.1:9\): connect ECONNREFUSED 127\.0\.0\.1:9\. Gave up after 3 attempts over [\d.]+ s \(retry policy: 2 retries, up to 0\.15 s of backoff\)\. Check that the server is running/s);
      return true;
    });
  });

  it('rejects unknown options', async () => {
    await assert.rejects(SparkSession.connect(undefined, { retires: 1 } as never), { message: 'Invalid option in SparkSession.connect(): "retires". Valid options: retry, interceptors, connectTimeoutMs.' });
  });
});

describe('reattachable execution', () => {
  it('a stream broken mid-result is reattached and the result is complete and exact', async () => {
    const state = { broken: 0, execCalls: 0, reattachCalls: 0 };
    // Breaks the first ExecutePlan stream after 3 responses, over the real transport.
    const breaker: Interceptor = (options, nextCall) => {
      const path = options.method_definition.path;
      if (path.endsWith('/ReattachExecute')) state.reattachCalls++;
      if (!path.endsWith('/ExecutePlan')) return new InterceptingCall(nextCall(options));
      state.execCalls++;
      let seen = 0;
      let broken = false;
      const call: InterceptingCall = new InterceptingCall(nextCall(options), {
        start(metadata, listener, next) {
          next(metadata, {
            onReceiveMessage(m, nxt) {
              if (broken) return;
              nxt(m);
              if (++seen === 3 && state.broken === 0) {
                broken = true;
                state.broken++;
                call.cancelWithStatus(status.UNAVAILABLE, 'test: stream broken');
              }
            },
            onReceiveStatus(st, nxt) {
              nxt(broken ? { ...st, code: status.UNAVAILABLE, details: 'test: stream broken' } : st);
            },
          });
        },
      });
      return call;
    };
    const s = await connect({ interceptors: [breaker], retry: { initialBackoffMs: 20 } });
    try {
      // Many small batches: one Arrow batch per 1000 rows.
      await s.conf.set('spark.sql.execution.arrow.maxRecordsPerBatch', 1000); // many small Arrow batches
      const rows = await s.range(0, 20_000, 1, 8).select(col('id'), col('id').multiply(3).alias('t')).collect();
      assert.equal(state.broken, 1);
      assert.equal(state.execCalls, 1);
      assert.ok(state.reattachCalls >= 1);
      assert.equal(rows.length, 20_000);
      rows.forEach((r, i) => {
        if (r.id !== BigInt(i) || r.t !== BigInt(3 * i)) assert.fail(`row ${i}: ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      });
    } finally {
      await s.stop();
    }
  });

  it('progress events arrive for a multi-stage query', async () => {
    await spark.conf.set('spark.connect.progress.reportInterval', '10ms');
    const events: ProgressEvent[] = [];
    const viaEmitter: ProgressEvent[] = [];
    const onEvt = (p: ProgressEvent) => viaEmitter.push(p);
    spark.on('progress', onEvt);
    try {
      const df = spark.range(0, 2_000_000, 1, 4).groupBy(col('id').mod(7).alias('k')).count();
      const rows = await df.collect({ onProgress: (p) => events.push(p) });
      assert.equal(rows.length, 7);
    } finally {
      spark.off('progress', onEvt);
      await spark.conf.unset('spark.connect.progress.reportInterval');
    }
    assert.ok(events.length > 0, 'at least one progress report');
    assert.equal(viaEmitter.length, events.length);
    const last = events.at(-1)!;
    assert.ok(last.stages.length > 0);
    for (const st of last.stages) assert.ok(st.numCompletedTasks <= st.numTasks && st.numTasks > 0);
  });

  it('interruptTag stops a running query with a clear error', async () => {
    const running = spark.range(0, 10_000_000_000, 1, 2).select(F.sum(col('id'))).collect({ tags: ['tsapply-long'] });
    const failed = assert.rejects(running, (e: unknown) => {
      assert.ok(e instanceof SparkError);
      assert.match(e.message, /OPERATION_CANCELED|cancel/i);
      return true;
    });
    let ids: string[] = [];
    for (let i = 0; i < 100 && ids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ids = await spark.interruptTag('tsapply-long');
    }
    assert.equal(ids.length, 1);
    await failed;
  });
});

describe('artifacts', () => {
  it('uploads small (batched) and large (chunked) artifacts, skips existing cache entries', async () => {
    const { cacheArtifactName } = await import('@tsapply/spark-connect');
    const small = new TextEncoder().encode('print("hello")\n');
    const big = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    const name = cacheArtifactName(big);
    const r1 = await spark.addArtifacts([
      { name: 'pyfiles/tsapply_test_mod.py', data: small },
      { name, data: big },
    ]);
    assert.deepEqual(r1, { uploaded: ['pyfiles/tsapply_test_mod.py', name], skipped: [] });
    const r2 = await spark.addArtifacts([{ name, data: big }]);
    assert.deepEqual(r2, { uploaded: [], skipped: [name] });
    await assert.rejects(spark.addArtifacts([{ name: 'bad/x', data: small }]), {
      message: 'Artifact name "bad/x" must start with one of pyfiles/, files/, jars/, archives/, cache/ followed by a file name.',
    });
  });
});
