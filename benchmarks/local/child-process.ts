/**
 * Starts `child.ts` measurements. The child runs as plain JavaScript (transpiled once
 * per suite run with esbuild into `node_modules/.cache/tsapply-bench-local/`, where
 * `tsapply` resolves) rather than under `--import tsx`: tsx's loader hooks add about
 * 150 MB of resident memory to the process and its worker threads, which would swamp
 * the peak-memory figures.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ChildReport, ChildRequest } from './child.js';
import type { BenchFormat } from './jobs/lib/bench-input.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');

const compiled = new Map<string, Promise<string>>();

/**
 * Transpiles `name`.ts of this folder (with the local modules it imports; packages stay
 * imports) to `node_modules/.cache/tsapply-bench-local/<name>.mjs`, once per suite run,
 * and returns that path: for a child process or a worker thread to run as plain JavaScript.
 */
export function compiledScript(name: string): Promise<string> {
  let script = compiled.get(name);
  if (script === undefined) {
    script = (async () => {
      const outDir = join(REPO_ROOT, 'node_modules/.cache/tsapply-bench-local');
      mkdirSync(outDir, { recursive: true });
      const outfile = join(outDir, `${name}.mjs`);
      await build({ entryPoints: [join(HERE, `${name}.ts`)], outfile, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
      return outfile;
    })();
    compiled.set(name, script);
  }
  return script;
}

export interface ChildRun extends ChildRequest {
  /** Absolute path of the job's input file. */
  input: string;
  /** How it is stored. @default 'parquet' */
  inputFormat?: BenchFormat;
  /** Extra node flags, e.g. `--heap-prof` when investigating memory. */
  nodeArgs?: string[];
}

/** Run one measurement in a fresh `node` process, from the repository root. */
export async function runChild(run: ChildRun): Promise<ChildReport> {
  const script = await compiledScript('child');
  // What the child reads from its argument: the run without the parts for this side.
  const { input, inputFormat = 'parquet', nodeArgs = [], ...request } = run;
  const child = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(request satisfies ChildRequest)], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSAPPLY_BENCH_INPUT: input, TSAPPLY_BENCH_FORMAT: inputFormat },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    throw new Error(`The measurement of ${run.job} (${run.workers} workers, input ${run.input}) failed with exit code ${code}:\n${stderr.trim() || stdout.trim()}`);
  }
  return JSON.parse(line) as ChildReport;
}
