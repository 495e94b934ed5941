import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
import { alive, configCallStatus, processGroup, stateFiles } from './helpers.js';
import { tsapply } from '../tsapply/cli-helpers.ts';

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

  it('keeps a state file per port (0600, the token only in its own field) and reports status without the token', async () => {
    assert.ok(server);
    assert.deepEqual(stateFiles(stateDir), [`server-${port}.json`]);
    const file = join(stateDir, `server-${port}.json`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const state = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(
      { pid: state.pid, port: state.port, address: state.address, authenticated: state.authenticated, master: state.master, mode: state.mode, log: state.log },
      { pid: server.pid, port, address: `sc://localhost:${port}`, authenticated: true, master: 'local[2]', mode: 'local', log: server.log },
    );
    const status = await statusSparkConnect({ stateDir });
    assert.equal(status.running, true);
    if (!status.running) return;
    assert.equal(status.pid, server.pid);
    assert.equal(status.address, `sc://localhost:${port}`);
    assert.equal(status.answering, true, 'status probes with the recorded token');
    assert.ok(status.uptimeMs >= 0);
    assert.ok(!JSON.stringify(status).includes(token), 'the status never carries the token');
    const cli = tsapply(['spark', 'status', '--state-dir', stateDir]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`^Address:  sc://localhost:${port} \\(requires its token\\)$`, 'm'));
    const json = tsapply(['spark', 'status', '--state-dir', stateDir, '--json']);
    assert.ok(!json.stdout.includes(token) && !cli.stdout.includes(token), 'spark status never prints the token');
    assert.equal((JSON.parse(json.stdout) as { port: number }[])[0]!.port, port);
  });

  it('refuses a second server on the same port, naming it without the token', async () => {
    assert.ok(server);
    await assert.rejects(startSparkConnect({ port, stateDir, onProgress: () => {} }), {
      name: 'SparkAlreadyRunningError',
      message:
        `A managed Spark Connect server is already running at sc://localhost:${port} (pid ${server.pid}, state in ${stateDir}). ` +
        `Use it, stop it first ("tsapply spark stop --port ${port}"), or start another one with a different --port.`,
    });
  });

  it('runs a second server side by side on another port; stop and status then need --port', async () => {
    assert.ok(server);
    const port2 = await findFreePort();
    const second = await startSparkConnect({ port: port2, stateDir, onProgress: () => {} });
    try {
      assert.deepEqual(stateFiles(stateDir), [`server-${port}.json`, `server-${port2}.json`].sort());
      const ambiguous =
        `2 managed Spark Connect servers are running (ports ${[port, port2].sort((a, b) => a - b).join(', ')}); ` +
        'stopSparkConnect() needs to know which: pass port (CLI: --port N).';
      await assert.rejects(stopSparkConnect({ stateDir }), { name: 'InvalidOptionError', message: ambiguous });
      await assert.rejects(statusSparkConnect({ stateDir }), { name: 'InvalidOptionError', message: ambiguous.replace('stopSparkConnect()', 'statusSparkConnect()') });
      const both = tsapply(['spark', 'status', '--state-dir', stateDir]);
      assert.equal(both.code, 0, both.stderr);
      assert.equal(both.stdout.match(/^Running:  yes/gm)?.length, 2);
      const cliStop = tsapply(['spark', 'stop', '--state-dir', stateDir]);
      assert.equal(cliStop.code, 1);
      assert.equal(cliStop.stderr, `tsapply: ${ambiguous}\n`);
      const status2 = await statusSparkConnect({ stateDir, port: port2 });
      assert.equal(status2.running && status2.pid, second.pid);
      const stopped = tsapply(['spark', 'stop', '--state-dir', stateDir, '--port', String(port2)]);
      assert.equal(stopped.stdout, `Stopped the Spark Connect server at sc://localhost:${port2} (pid ${second.pid}).\n`);
      assert.equal(alive(second.pid), false);
      assert.equal(alive(server.pid), true, 'the other server keeps running');
      assert.deepEqual(stateFiles(stateDir), [`server-${port}.json`]);
    } finally {
      await second.stop();
    }
  });

  it('stop ends the server and its process group and removes the state', async () => {
    assert.ok(server);
    const { pid } = server;
    const result = await stopSparkConnect({ stateDir });
    server = undefined;
    assert.equal(result.stopped, true);
    assert.equal(result.server?.pid, pid);
    assert.equal(alive(pid), false);
    assert.deepEqual(stateFiles(stateDir), []);
    assert.deepEqual(await statusSparkConnect({ stateDir }), { running: false, stateDir });
    assert.equal(await configCallStatus(port), grpc.status.UNAVAILABLE);
    assert.deepEqual(await stopSparkConnect({ stateDir }), { stopped: false, server: undefined });
  });
});
