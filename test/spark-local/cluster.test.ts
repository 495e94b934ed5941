import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { alive, processGroup } from './helpers.js';

const execFileAsync = promisify(execFile);
const script = fileURLToPath(new URL('../fixtures/spark-local/executor-pids.py', import.meta.url));

interface Row {
  id: number;
  jvm_pid: number;
  executor_id: string;
}

describe('standalone mode: a Spark Master and Workers on one machine', () => {
  let stateDir: string;
  let server: SparkConnectServer | undefined;

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-cluster-'));
    server = await startSparkConnect({ mode: 'standalone', workers: 2, port: await findFreePort(), stateDir, onProgress: () => {} });
  });

  after(async () => {
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs the partitions of one job in two executor JVMs, which stop with the server, master and workers', async () => {
    assert.ok(server);
    assert.match(server.master, /^spark:\/\/127\.0\.0\.1:\d+$/);
    // PySpark's own Connect client from the managed venv, against the real server.
    const { stdout } = await execFileAsync(server.python, [script, server.address], {
      env: { ...process.env, SPARK_REMOTE: '' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const rows = JSON.parse(stdout.trim().split('\n').at(-1)!) as Row[];
    assert.deepEqual(
      rows.map((r) => r.id).sort((a, b) => a - b),
      Array.from({ length: 16 }, (_, i) => i),
    );
    const executors = new Map(rows.map((r) => [r.executor_id, r.jvm_pid]));
    assert.deepEqual([...executors.keys()].sort(), ['0', '1']);
    const pids = [...executors.values()];
    assert.equal(new Set(pids).size, 2);
    for (const pid of pids) {
      assert.notEqual(pid, server.pid);
      // Executors live in the server's process group, so stopping the server ends them.
      assert.equal(processGroup(pid), server.pid);
    }
    // The Master and Workers share the server's process group too.
    const group = readdirSync('/proc').filter((n) => /^\d+$/.test(n) && alive(Number(n)) && processGroupOrNull(Number(n)) === server!.pid).map(Number);
    const cmd = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    assert.equal(group.filter((p) => cmd(p).includes('org.apache.spark.deploy.master.Master')).length, 1, 'one Master');
    assert.equal(group.filter((p) => cmd(p).includes('org.apache.spark.deploy.worker.Worker')).length, 2, 'two Workers');
    await server.stop();
    server = undefined;
    for (const pid of [...pids, ...group]) assert.equal(alive(pid), false, `process ${pid} (${pids.includes(pid) ? 'executor' : 'cluster'}) should be gone`);
  });
});

function processGroupOrNull(pid: number): number | null {
  try {
    return processGroup(pid);
  } catch {
    return null;
  }
}
