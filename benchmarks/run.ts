/**
 * The benchmark runner: `npm run bench` (builds first) and `tsapply bench` both run this
 * file with `node --import tsx`.
 *
 *   node --import tsx benchmarks/run.ts [serializers|local|spark|spark-client|all] [--quick] [--out DIR] [--scale X]
 *
 * Tables go to stdout, progress to stderr, reports to `DIR` (default
 * `benchmarks/results/`): `<suite>.md` with SVG charts, and `latest.json`. Exit code 1
 * when a benchmark's result is wrong (the speed of a wrong answer is never reported),
 * 2 on bad arguments.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchmarkCorrectnessError, PROFILES } from './lib/measure.js';
import { machineInfo, printTables, writeLatestJson, writeSuiteReport, type RunSettings } from './lib/report.js';
import type { SuiteResult } from './lib/suite.js';
import { SUITE_NAMES, SUITES, type SuiteName } from './lib/suites.js';

export const DEFAULT_OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

const USAGE = `usage: bench [${SUITE_NAMES.join('|')}|all] [--quick] [--out DIR] [--scale X]`;

export interface BenchArgs {
  suites: SuiteName[];
  quick: boolean;
  outDir: string;
  scale: number;
}

/** Parse the runner's arguments; throws an Error with the usage on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, scale: { type: 'string' } },
  });
  if (positionals.length > 1) throw new Error(`Expected at most one suite name, got ${positionals.join(', ')}.\n${USAGE}`);
  const which = positionals[0] ?? 'all';
  if (which !== 'all' && !(SUITE_NAMES as readonly string[]).includes(which)) {
    throw new Error(`Unknown benchmark suite "${which}". Valid: ${[...SUITE_NAMES, 'all'].join(', ')}.\n${USAGE}`);
  }
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a number in (0, 1], got "${values.scale}".`);
  return {
    suites: which === 'all' ? [...SUITE_NAMES] : [which as SuiteName],
    quick: values.quick ?? false,
    outDir: resolve(values.out ?? DEFAULT_OUT_DIR),
    scale,
  };
}

/** Run the selected suites and write their reports; resolves to the process exit code. */
export async function runBenchmarks(args: BenchArgs): Promise<number> {
  const profile = args.quick ? PROFILES.quick : PROFILES.full;
  const settings: RunSettings = { mode: args.quick ? 'quick' : 'full', startedAt: new Date().toISOString(), profile: { ...profile, scale: args.scale } };
  const machine = machineInfo();
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const results: SuiteResult[] = [];
  for (const name of args.suites) {
    const suite = await SUITES[name]();
    try {
      const result = await suite.run({ quick: args.quick, scale: args.scale, profile, log });
      results.push(result);
      printTables(result);
      const md = await writeSuiteReport(args.outDir, result, machine, settings);
      log(`report: ${relative(process.cwd(), md) || md}`);
    } catch (e) {
      if (e instanceof BenchmarkCorrectnessError) {
        log(`\nFAILED: ${e.message}`);
        return 1;
      }
      throw e;
    }
  }
  const json = await writeLatestJson(args.outDir, machine, settings, results);
  log(`raw figures: ${relative(process.cwd(), json) || json}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  process.exitCode = await runBenchmarks(args);
}
