// The driver stopped mid-job (issue 14, item 5), as users stop it: Ctrl-C, a killed
// terminal (SIGKILL), an AbortSignal in code. Nothing that looks like a complete result may
// be left behind (no output folder without every row and `_SUCCESS`), workers stop, and
// the next run (with --overwrite where the output exists) succeeds. Real CLI processes,
// the embedded engine and a real Spark server (SPARK_REMOTE).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobInterruptedError, runJob } from 'tsapply';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SLOW_JOB = join(ROOT, 'test/fixtures/faults/slow-job.ts');
/** A guard against a hung child, not a timing assertion. */
const CHILD_LIMIT_MS = 5 * 60_000;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsapply-driver-faults-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts `tsapply run SLOW_JOB …` in `cwd`; sends `signal` once the job has run for
 * `after` ms, or once `after()` holds (checked every 50 ms).
 */
function runAndStop(cwd: string, args: string[], signal: NodeJS.Signals, after: number | (() => boolean)): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'packages/tsapply/bin/tsapply.js'), 'run', SLOW_JOB, '--no-typecheck', ...args], {
      cwd,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_LIMIT_MS,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    const timer =
      typeof after === 'number'
        ? setTimeout(() => child.kill(signal), after)
        : setInterval(() => {
            if (!after()) return;
            clearInterval(timer);
            child.kill(signal);
          }, 50);
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      clearInterval(timer);
      resolve({ code, signal: sig, stderr });
    });
  });
}

/** Whether a run into `cwd/out` has written rows: its temporary folder holds a part file. */
function writingRows(cwd: string): boolean {
  try {
    return readdirSync(cwd).some((n) => n.startsWith('.out.tsapply-tmp-') && readdirSync(join(cwd, n)).some((f) => f.startsWith('part-')));
  } catch {
    return false; // the folder went away between the two listings
  }
}

/** Rows of a jsonl output folder, or undefined when there is none. */
function jsonlRows(out: string): string[] | undefined {
  if (!existsSync(out)) return undefined;
  return readdirSync(out)
    .filter((f) => f.endsWith('.jsonl') || f.endsWith('.json'))
    .flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean));
}

describe('the embedded engine, stopped mid-job', () => {
  it('Ctrl-C stops the workers, leaves nothing behind and exits 130', async () => {
    const cwd = mkdtempSync(join(dir, 'sigint-'));
    // Stopped once the run has begun writing rows, so there is something to take back.
    const ended = await runAndStop(cwd, ['--output', 'out', '--format', 'jsonl', '--workers', '2'], 'SIGINT', () => writingRows(cwd));
    assert.equal(ended.code, 130, ended.stderr);
    assert.match(ended.stderr, /Stopping the workers… \(Ctrl-C again to exit at once\)/);
    assert.match(ended.stderr, /tsapply: The run was interrupted before it finished; its workers were stopped and nothing was written\./);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('SIGKILL leaves only a hidden temporary folder, which the next run removes', async () => {
    const cwd = mkdtempSync(join(dir, 'sigkill-'));
    // Killed once the run has begun writing rows (so its owner record, written first, is there
    // for the next run to know the folder was abandoned).
    const ended = await runAndStop(cwd, ['--output', 'out', '--format', 'jsonl', '--workers', '2'], 'SIGKILL', () => writingRows(cwd));
    assert.equal(ended.signal, 'SIGKILL');
    const left = readdirSync(cwd);
    assert.equal(left.length, 1);
    assert.match(left[0]!, /^\.out\.tsapply-tmp-[0-9a-f]{12}$/);
    assert.equal(existsSync(join(cwd, left[0]!, '_SUCCESS')), false);
    const again = await runAndStop(cwd, ['--output', 'out', '--format', 'jsonl', '--workers', '2', '--quiet'], 'SIGTERM', CHILD_LIMIT_MS);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(readdirSync(cwd), ['out']);
    assert.equal(jsonlRows(join(cwd, 'out'))!.length, 400);
  });

  it('an aborted signal in code rejects with JobInterruptedError and writes nothing', async () => {
    const out = join(dir, 'signal-out');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    await assert.rejects(runJob(SLOW_JOB, { workers: 2, output: out, format: 'jsonl', quiet: true, typecheck: false, signal: controller.signal }), JobInterruptedError);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.signal-out')), []);
  });
});

describe('a Spark run whose driver is killed mid-job', () => {
  it('leaves no output that looks complete, and the next run with --overwrite succeeds', async () => {
    const cwd = mkdtempSync(join(dir, 'spark-'));
    const ended = await runAndStop(cwd, ['--remote', '--output', 'out', '--format', 'jsonl'], 'SIGKILL', 5000);
    assert.equal(ended.signal, 'SIGKILL');
    // The server may still finish the write it was given, or abandon it; either way, an
    // output folder with _SUCCESS holds every row, and one without it is not a result.
    await new Promise((r) => setTimeout(r, 8000));
    const out = join(cwd, 'out');
    if (existsSync(join(out, '_SUCCESS'))) assert.equal(jsonlRows(out)!.length, 400);
    const again = await runAndStop(cwd, ['--remote', '--output', 'out', '--format', 'jsonl', '--overwrite', '--quiet'], 'SIGTERM', CHILD_LIMIT_MS);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(existsSync(join(out, '_SUCCESS')));
    assert.equal(jsonlRows(out)!.length, 400);
  });
});
