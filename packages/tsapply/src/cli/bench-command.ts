/**
 * `tsapply bench [serializers|local|spark|spark-client|row-cost|udf|grouped|all] [--quick] [--out DIR]`: runs the benchmark
 * suite of a tsapply source checkout — the very same code as `npm run bench`
 * (`benchmarks/run.ts`), in a child `node --import tsx` process so the suites run from
 * their TypeScript sources, get a fresh heap, and cannot disturb this process.
 *
 * The benchmarks are part of the repository, not of the published package: the command
 * looks for `benchmarks/run.ts` above this file (a workspace checkout) and then above the
 * working directory, and says so when neither has one.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { TsapplyError } from '@tsapply/common';
import type { CommandModule } from './command-module.js';

/** Must match `SUITE_NAMES` in benchmarks/lib/suites.ts (plus `all`). */
export const BENCH_SUITES = ['serializers', 'local', 'spark', 'spark-client', 'row-cost', 'udf', 'grouped', 'all'] as const;

/** The nearest folder at or above `start` holding `benchmarks/run.ts`, or undefined. */
export function findBenchmarkRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'benchmarks', 'run.ts'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface BenchFlags {
  quick?: boolean;
  out?: string;
}

/** Run `benchmarks/run.ts` in a child process; resolves to its exit code. */
export async function runBench(suite: string, flags: BenchFlags, cwd: string = process.cwd()): Promise<number> {
  const root = findBenchmarkRoot(dirname(fileURLToPath(import.meta.url))) ?? findBenchmarkRoot(cwd);
  if (!root) {
    throw new TsapplyError(
      'tsapply bench runs the benchmark suite of a tsapply source checkout, and none was found above ' +
        `${cwd} (looked for benchmarks/run.ts). Clone the tsapply repository, run npm install there, then run tsapply bench (or npm run bench) inside it.`,
      { code: 'BENCH_NO_CHECKOUT' },
    );
  }
  const args = ['--import', 'tsx', join(root, 'benchmarks', 'run.ts'), suite];
  if (flags.quick) args.push('--quick');
  // Resolve --out against the caller's working directory, not the checkout's.
  if (flags.out !== undefined) args.push('--out', resolve(cwd, flags.out));
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return new Promise((resolveCode, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolveCode(code ?? (signal ? 1 : 0)));
  });
}

function parseSuite(value: string): string {
  if (!(BENCH_SUITES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`Unknown benchmark suite "${value}". Valid: ${BENCH_SUITES.join(', ')}.`);
  }
  return value;
}

/** Adds `tsapply bench` to the program. */
export function registerBenchCommand(program: Command): Command {
  return program
    .command('bench')
    .description('Run the benchmark suites (serializers, local engine, Spark) of a tsapply checkout and write reports with charts')
    .argument('[suite]', `which suite: ${BENCH_SUITES.join(' | ')}`, parseSuite, 'all')
    .option('--quick', 'smaller inputs and fewer runs (a few minutes; for CI smoke use)')
    .option('--out <dir>', 'where to write <suite>.md, charts and latest.json (default: benchmarks/results in the checkout)')
    .action(async (suite: string, flags: BenchFlags) => {
      try {
        process.exitCode = await runBench(suite, flags);
      } catch (e) {
        process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      }
    });
}

export const benchCommand: CommandModule = { register: registerBenchCommand };
