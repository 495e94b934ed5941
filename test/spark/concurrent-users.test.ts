// Four users at once (issue 14, item 2): separate processes, separate sessions, one
// server, each with its own function, captured salt, context and serializer, running
// mapInArrow, a grouped applyInArrow and parallelize().map at the same time. Every result
// must be exactly what that user's own function gives — a job that ran another session's
// shim, worker bundle or payload would compute another user's numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A guard against a hung child, not a timing assertion. */
const CHILD_LIMIT_MS = 8 * 60_000;

interface Report {
  salt: string;
  session: string;
  mapSum: string;
  groups: string[];
  parallelSum: number;
  payload: string;
}

function client(salt: number, serializer: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/concurrency/client.ts', String(salt), serializer], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_LIMIT_MS,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`client ${salt} exited with ${code ?? signal}\n${out}\n${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Report);
    });
  });
}

/** What user `salt`'s three jobs must give, computed here without Spark or tsapply. */
function expected(salt: bigint): Omit<Report, 'session' | 'payload'> {
  const weights = Array.from({ length: 5000 }, (_, i) => (Number(salt) * 7919 + i) % 1000);
  let mapSum = 0n;
  for (let id = 0n; id < 20_000n; id++) mapSum += id * salt + BigInt(weights[Number(id % 5000n)]!);
  const totals = new Map<bigint, bigint>();
  for (let id = 0n; id < 3000n; id++) totals.set(id % 7n, (totals.get(id % 7n) ?? 0n) + (id ^ salt));
  const groups = [...totals.entries()].sort((a, b) => Number(a[0] - b[0])).map(([k, t]) => `${k}:${t}`);
  let parallelSum = 0;
  for (let x = 0; x < 50; x++) parallelSum += x * Number(salt) + 1;
  return { salt: String(salt), mapSum: String(mapSum), groups, parallelSum };
}

describe('four users at once on one server', () => {
  it('each gets exactly its own results, from its own session and payload', async () => {
    const users: [number, string][] = [[3, 'fast'], [5, 'compressed'], [11, 'zstd'], [17, 'fast']];
    const reports = await Promise.all(users.map(([salt, serializer]) => client(salt, serializer)));
    for (const [i, r] of reports.entries()) {
      const { session, payload, ...computed } = r;
      assert.deepEqual(computed, expected(BigInt(users[i]![0])), `user ${users[i]![0]} (${users[i]![1]})`);
      assert.match(session, /^[0-9a-f-]{36}$/);
      assert.match(payload, /^[0-9a-f]{64}$/);
    }
    assert.equal(new Set(reports.map((r) => r.session)).size, 4, 'four sessions');
    assert.equal(new Set(reports.map((r) => r.payload)).size, 4, 'four different payloads');
  });
});
