// Closures on a real Spark server (SPARK_REMOTE from the test runner): the one-file
// analysis — captured number, Map, same-script helper, an npm import (date-fns), a
// namespace import, a factory-made closure, a grouped inline closure, parallelize().map
// with a captured bigint, and a closure that throws — run as a user runs it: a .ts
// script under tsx, the same script as .mjs under node, and typed at node's REPL. Each
// result is checked against the computation below, done here without tsapply.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { columnOf, lineOf } from '../tsapply/closures/helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
/** A guard against a hung child, not a timing assertion. */
const CHILD_LIMIT_MS = 8 * 60_000;

type Results = Map<string, unknown>;

function parseResults(out: string): Results {
  const results: Results = new Map();
  for (const line of out.split('\n')) {
    const m = /^(?:> )*RESULT (\S+) (.*)$/.exec(line);
    if (m) results.set(m[1]!, JSON.parse(m[2]!));
  }
  return results;
}

/** Runs a script to its end and returns what it printed. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: CHILD_LIMIT_MS });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${out}\n${err}`))));
  });
}

/**
 * Types `lines` at node's REPL (`node -i`) one at a time, each after the previous one
 * finished (the next `> ` prompt), as a person would, and returns what the REPL printed.
 */
function runRepl(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-i'], { cwd: ROOT, env: process.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: CHILD_LIMIT_MS });
    let out = '';
    let err = '';
    let next = 0;
    let sentAt = -1;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.endsWith('> ') || out.length === sentAt) return;
      if (next < lines.length) {
        child.stdin.write(`${lines[next++]}\n`);
        sentAt = out.length;
      } else if (next === lines.length) {
        next++;
        child.stdin.end();
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`node -i exited with ${code ?? signal}\n${out}\n${err}`))));
  });
}

// ---- the independent computation ----
const K = 3;
const RATES = [1.5, 2.5, 0.5];
const IDS = Array.from({ length: 20 }, (_, i) => i);
const pad = (n: number) => String(n).padStart(2, '0');
function localDay(daysAfterNewYear2024: number): string {
  const d = new Date(2024, 0, 1 + daysAfterNewYear2024);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
const EXPECTED_SCORED = IDS.map((id) => ({
  id: `${id}n`,
  bucket: id % 3,
  rate: RATES[id % 3]! * K,
  day: localDay(id),
  score: 0.5 * id + 2,
  total: K + id,
}));
const EXPECTED_GROUPED = [0, 1, 2].map((g) => {
  const members = IDS.filter((id) => id % 3 === g);
  return { g: `${g}n`, n: `${members.length}n`, weighted: members.reduce((s, id) => s + id * K, 0) };
});
const EXPECTED_PARALLEL = [1, 2, 3, 4, 5].map((x) => `${BigInt(x) * 10n ** 12n}n`);
/** spark.range(0, 20, 1, 3) cuts at floor(i * 20 / 3): [0, 6) [6, 13) [13, 20); row 13 is in partition 2. */
const CUTS = [0, 1, 2, 3].map((i) => Math.floor((i * 20) / 3));
const FAILING_PARTITION = CUTS.findIndex((cut, i) => cut <= 13 && 13 < CUTS[i + 1]!);

function checkResults(results: Results, what: string): void {
  assert.deepEqual(results.get('scored'), EXPECTED_SCORED, `${what}: scored`);
  assert.deepEqual(results.get('grouped'), EXPECTED_GROUPED, `${what}: grouped`);
  assert.deepEqual(results.get('parallel'), EXPECTED_PARALLEL, `${what}: parallel`);
  const ship = results.get('scored-ship') as { shipped: string; captureMs: number; payloadBytes: number };
  assert.equal(ship.shipped, 'closure');
  const grouped = results.get('grouped-ship') as { captureMs: number; payloadBytes: number };
  console.log(`${what}: capture ${ship.captureMs} ms and payload ${ship.payloadBytes} bytes (mapInArrow), capture ${grouped.captureMs} ms and payload ${grouped.payloadBytes} bytes (applyInArrow)`);
}

function checkError(results: Results, file: string): void {
  const where = `${file}:${lineOf(file, '@throw')}:${columnOf(file, '@throw', 'new Error')}`;
  const [, line, column] = where.slice(file.length).split(':').map(Number);
  assert.deepEqual(results.get('error'), {
    name: 'UserCodeError',
    message: `Error in apply() at ${where} (partition ${FAILING_PARTITION}): unlucky row 13`,
    location: { file, line, column },
    partition: FAILING_PARTITION,
  });
}

describe('closures on Spark', () => {
  it('the one-file .ts script run with tsx', async () => {
    const results = parseResults(await run(TSX, ['test/fixtures/closures/analysis.ts']));
    checkResults(results, 'analysis.ts under tsx');
    checkError(results, 'test/fixtures/closures/analysis.ts');
  });

  it('the same script as .mjs run with node', async () => {
    const results = parseResults(await run(process.execPath, ['test/fixtures/closures/analysis.mjs']));
    checkResults(results, 'analysis.mjs under node');
    checkError(results, 'test/fixtures/closures/analysis.mjs');
  });

  it('the same functions typed at the node REPL', async () => {
    const lines = readFileSync(`${ROOT}test/fixtures/closures/repl-session.txt`, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const transcript = await runRepl(lines);
    const results = parseResults(transcript);
    assert.ok(results.has('scored'), `the REPL printed no result:\n${transcript}`);
    checkResults(results, 'node -i');
    const error = results.get('error') as { name: string; message: string; partition: number };
    assert.equal(error.name, 'UserCodeError');
    assert.match(error.message, new RegExp(`^Error in apply\\(\\) at REPL\\d+:\\d+:\\d+ \\(partition ${FAILING_PARTITION}\\): unlucky row 13$`));
  });
});
