// @requires-spark — test/run-tests.mjs starts a managed server for files with this marker.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { resolveSparkVersion } from '@tsapply/spark-local';
import { configCallStatus } from './helpers.js';

describe('test harness Spark server', () => {
  it('exports SPARK_REMOTE of a server that answers Spark Connect calls', async () => {
    const remote = process.env.SPARK_REMOTE;
    assert.ok(remote, 'SPARK_REMOTE should be set by test/run-tests.mjs');
    const m = /^sc:\/\/([^:/]+):(\d+)(\/.*)?$/.exec(remote);
    assert.ok(m, `SPARK_REMOTE has the sc://host:port form: ${remote}`);
    const token = /;token=([^;]+)/.exec(remote)?.[1];
    const code = await configCallStatus(Number(m[2]), token, m[1]);
    assert.notEqual(code, grpc.status.UNAVAILABLE);
    assert.notEqual(code, grpc.status.UNIMPLEMENTED);
  });

  it('runs the pinned (or requested) Spark version on a port other than 15002', { skip: !process.env.TSAPPLY_TEST_SPARK_VERSION && 'SPARK_REMOTE was given by the caller' }, () => {
    assert.equal(process.env.TSAPPLY_TEST_SPARK_VERSION, resolveSparkVersion());
    assert.notEqual(new URL(process.env.SPARK_REMOTE!.replace(/^sc:/, 'http:')).port, '15002');
    assert.match(process.env.TSAPPLY_TEST_SPARK_PYTHON_VERSION ?? '', /^3\.\d+$/);
  });
});
