/**
 * `tsapply spark start|status|stop` from the command line, as a user types them (issue 12,
 * items 3–5): a standalone cluster started with `--standalone --workers 2 --port P` runs
 * Spark's Master and two Workers, `spark status --port P` shows it, `spark stop --port P`
 * ends it and leaves no Master or Worker behind; a `--token` given at start appears in
 * none of the CLI's output nor any log in the state folder. The real `tsapply` bin in a
 * child process against a real Spark; the cache is the user's own (a fresh one would
 * download pyspark again), the state folder a temporary one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@tsapply/spark-local';
import { BIN, ROOT, type CliResult } from '../tsapply/cli-helpers.ts';
import { alive, stateFiles } from './helpers.js';

const TOKEN = 'secret-XYZ';
/** A guard against a hung child (a standalone start on a busy 2-core machine takes a minute or two), not a timing assertion. */
const CHILD_LIMIT_MS = 8 * 60_000;

/** Runs the real `tsapply` bin with the user's own cache (where the managed pyspark lives). */
function tsapply(args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: CHILD_LIMIT_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Live processes whose command line contains `needle` (from /proc, as `ps` reads it). */
function processesWith(needle: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || !alive(Number(name))) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue; // ended while we looked
    }
    if (cmd.includes(needle)) found.push({ pid: Number(name), cmd });
  }
  return found;
}

/** Every file under `dir`, recursively (the server's, Master's and Workers' logs, executors' work folders). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('tsapply spark start --standalone, status and stop from the CLI', () => {
  let stateDir: string;
  let port: number;
  let started: CliResult;
  const where = () => ['--port', String(port), '--state-dir', stateDir];

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'tsapply-cli-servers-'));
    port = await findFreePort();
    started = tsapply(['spark', 'start', '--standalone', '--workers', '2', '--token', TOKEN, ...where()]);
  });

  after(() => {
    // Only when a test failed before stopping it; stops this server alone.
    if (stateFiles(stateDir).length > 0) tsapply(['spark', 'stop', ...where()]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  let masterUrl = '';
  /** The Master's and Workers' pids, found while the cluster runs. */
  let clusterPids: number[] = [];

  it('start prints the address (token hidden), and status --port shows a standalone master', () => {
    assert.equal(started.code, 0, `${started.stdout}\n${started.stderr}`);
    assert.match(started.stdout, new RegExp(`^Spark Connect \\S+ is running at sc://localhost:${port}/;token=\\*\\*\\* \\(pid \\d+, master spark://127\\.0\\.0\\.1:\\d+\\)$`, 'm'));
    assert.match(started.stdout, new RegExp(`Stop it with: tsapply spark stop --port ${port}$`, 'm'));

    const status = tsapply(['spark', 'status', ...where()]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Running:  yes$/m, 'the server answers');
    assert.match(status.stdout, new RegExp(`^Address:  sc://localhost:${port} \\(requires its token\\)$`, 'm'));
    masterUrl = /^Master:   (spark:\/\/127\.0\.0\.1:\d+)$/m.exec(status.stdout)?.[1] ?? '';
    assert.ok(masterUrl, status.stdout);
    assert.match(status.stdout, new RegExp(`^Log:      ${stateDir}/spark-connect-${port}\\.log$`, 'm'));
    const pid = Number(/^Pid:      (\d+)$/m.exec(status.stdout)?.[1]);
    assert.ok(alive(pid), `the server's pid ${pid} runs`);
  });

  it('runs one Master and two Worker JVMs of that cluster', () => {
    const masterPort = masterUrl.split(':').at(-1)!;
    const masters = processesWith('org.apache.spark.deploy.master.Master').filter((p) => p.cmd.includes(`--port ${masterPort}`));
    const workers = processesWith('org.apache.spark.deploy.worker.Worker').filter((p) => p.cmd.includes(masterUrl));
    assert.equal(masters.length, 1, masters.map((p) => p.cmd).join('\n'));
    assert.equal(workers.length, 2, workers.map((p) => p.cmd).join('\n'));
    for (const p of [...masters, ...workers]) assert.match(p.cmd, /\/java /, `a JVM: ${p.cmd}`);
    clusterPids = [...masters, ...workers].map((p) => p.pid);
    // Only the Connect server checks the token; executors a Worker launches must not inherit it.
    for (const p of [...masters, ...workers]) {
      assert.equal(readFileSync(`/proc/${p.pid}/environ`, 'utf8').includes(TOKEN), false, `the token is in the environment of ${p.cmd}`);
    }
  });

  it('the token is in no output of start or status, nor any log in the state folder', () => {
    const status = tsapply(['spark', 'status', ...where()]);
    const json = tsapply(['spark', 'status', ...where(), '--json']);
    const all = tsapply(['spark', 'status', '--state-dir', stateDir, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { port: number; authenticated: boolean }).port, port);
    for (const [what, text] of [
      ['spark start', started.stdout + started.stderr],
      ['spark status', status.stdout + status.stderr],
      ['spark status --json', json.stdout + json.stderr],
      ['spark status --json (every server)', all.stdout + all.stderr],
    ]) {
      assert.ok(!text!.includes(TOKEN), `${what} printed the token:\n${text}`);
    }
    // The state file keeps the token in its own field (0600) so stop and status can reach an
    // authenticated server; every other file here is a log or an executor's work file.
    const files = filesUnder(stateDir).filter((f) => !/\/server-\d+\.json$/.test(f));
    const logs = files.filter((f) => f.endsWith('.log'));
    assert.ok(logs.length >= 4, `the server's, the Master's and two Workers' logs: ${logs.join(', ')}`);
    for (const f of files) assert.ok(!readFileSync(f).includes(TOKEN), `${f} contains the token`);
  });

  it('stop --port ends the server and leaves no Master or Worker running', () => {
    const stopped = tsapply(['spark', 'stop', ...where()]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, new RegExp(`^Stopped the Spark Connect server at sc://localhost:${port} \\(pid \\d+\\)\\.\\n$`));
    assert.ok(!stopped.stdout.includes(TOKEN));
    assert.equal(clusterPids.length, 3);
    assert.deepEqual(clusterPids.filter(alive), [], 'the Master and Workers have ended');
    const masterPort = masterUrl.split(':').at(-1)!;
    const left = [...processesWith(masterUrl), ...processesWith(stateDir)].concat(
      processesWith('org.apache.spark.deploy.master.Master').filter((p) => p.cmd.includes(`--port ${masterPort}`)),
    );
    assert.deepEqual(left, [], 'no process of that cluster (Master, Worker, executor) is left');
    assert.deepEqual(stateFiles(stateDir), []);
    const status = tsapply(['spark', 'status', ...where()]);
    assert.equal(status.stdout, `No managed Spark Connect server is running on port ${port}. Start one with: tsapply spark start\n`);
  });
});
