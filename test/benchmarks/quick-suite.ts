/**
 * Runs one benchmark suite in quick mode, as `npm run bench` would, in a child process
 * writing into a fresh temporary folder; for the benchmark smoke tests.
 */
import { before, after } from 'node:test';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface QuickSuiteRun {
  /** The report folder (`--out`). */
  out: string;
  run: SpawnSyncReturns<string>;
}

/** Registers before/after hooks in the current `describe`; read the result inside tests. */
export function quickSuiteRun(suite: string, scale: number): QuickSuiteRun {
  const result = {} as QuickSuiteRun;
  before(() => {
    result.out = mkdtempSync(join(tmpdir(), `tsapply-bench-${suite}-`));
    result.run = spawnSync(process.execPath, ['--import', 'tsx', 'benchmarks/run.ts', suite, '--quick', '--scale', String(scale), '--out', result.out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
  });
  after(() => rmSync(result.out, { recursive: true, force: true }));
  return result;
}
