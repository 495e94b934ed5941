import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  findFreePort,
  resolveSparkVersion,
  startSparkConnect,
  statusSparkConnect,
  stopSparkConnect,
  type SparkConnectServer,
} from '@tsapply/spark-local';
import { alive, configCallStatus, processGroup } from './helpers.js';

describe('managed Spark Connect server lifecycle', () => {
  let stateDir: string;
  let port: number;
  let server: SparkConnectServer | undefined;
  const token = 'lifecycle-secret';

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-lifecycle-'));
    port = await findFreePort();
    server = await startSparkConnect({ port, stateDir, token, onProgress: () => {} });
  });

  after(async () => {
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('returns the address, a live pid leading its own process group, and the log path', () => {
    assert.ok(server);
    assert.equal(server.address, `sc://localhost:${port}/;token=${token}`);
    assert.equal(server.port, port);
    assert.equal(server.master, 'local[2]');
    assert.equal(server.version, resolveSparkVersion());
    assert.equal(server.log, join(stateDir, `spark-connect-${port}.log`));
    assert.equal(alive(server.pid), true);
    assert.equal(processGroup(server.pid), server.pid);
    assert.match(readFileSync(server.log, 'utf8'), new RegExp(`Spark Connect server started at: 127\\.0\\.0\\.1:${port}`));
  });

  it('answers Spark Connect gRPC calls and enforces the token', async () => {
    assert.equal(await configCallStatus(port), grpc.status.UNAUTHENTICATED);
    const withToken = await configCallStatus(port, token);
    assert.notEqual(withToken, grpc.status.UNAUTHENTICATED);
    assert.notEqual(withToken, grpc.status.UNAVAILABLE);
    assert.notEqual(withToken, grpc.status.UNIMPLEMENTED);
  });

  it('keeps the state file and reports status', async () => {
    assert.ok(server);
    const state = JSON.parse(readFileSync(join(stateDir, 'server.json'), 'utf8'));
    assert.deepEqual(
      { pid: state.pid, port: state.port, address: state.address, master: state.master, mode: state.mode, log: state.log },
      { pid: server.pid, port, address: server.address, master: 'local[2]', mode: 'local', log: server.log },
    );
    const status = await statusSparkConnect({ stateDir });
    assert.equal(status.running, true);
    if (!status.running) return;
    assert.equal(status.pid, server.pid);
    assert.equal(status.address, server.address);
    assert.equal(status.answering, true);
    assert.ok(status.uptimeMs >= 0);
  });

  it('refuses a second server for the same state directory', async () => {
    assert.ok(server);
    await assert.rejects(startSparkConnect({ port: await findFreePort(), stateDir, onProgress: () => {} }), {
      name: 'SparkAlreadyRunningError',
      message:
        `A managed Spark Connect server is already running at ${server.address} (pid ${server.pid}, state in ${stateDir}). ` +
        'Use it, stop it first ("tsapply spark stop"), or pass another stateDir.',
    });
  });

  it('stop ends the server and its process group and removes the state', async () => {
    assert.ok(server);
    const { pid } = server;
    const result = await stopSparkConnect({ stateDir });
    server = undefined;
    assert.equal(result.stopped, true);
    assert.equal(result.server?.pid, pid);
    assert.equal(alive(pid), false);
    assert.equal(existsSync(join(stateDir, 'server.json')), false);
    assert.deepEqual(await statusSparkConnect({ stateDir }), { running: false, stateDir });
    assert.equal(await configCallStatus(port), grpc.status.UNAVAILABLE);
    assert.deepEqual(await stopSparkConnect({ stateDir }), { stopped: false, server: undefined });
  });
});
