/**
 * `tsapply run job.ts --remote [sc://host:port]`: the CLI side of `runJobOnSpark`.
 * `--remote` without a URL uses `$SPARK_REMOTE`. Shows a task progress bar on a
 * terminal, prints one JSON summary with `--json`, and reports errors like the local
 * run does.
 */
import { PassThrough } from 'node:stream';
import { InvalidOptionError } from '../errors.js';
import { OUTPUT_FORMATS } from '../io/writers/dataset-writer.js';
import type { OutputFormat } from '@tsapply/common';
import { runJobOnSpark, type SparkRunOptions } from './run-job-on-spark.js';
import { createSparkProgressBar } from './spark-progress.js';

/** The run command's flags that matter on Spark (`--workers` is the local pool's and is ignored). */
export interface SparkRunFlags {
  remote?: string | boolean;
  pythonVer?: string;
  serializer?: string;
  output?: string;
  format?: string;
  overwrite?: boolean;
  show?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  typecheck: boolean;
}

/** The Spark Connect URL of `--remote [url]`: the value, else $SPARK_REMOTE. */
export function remoteFromFlag(flag: string | boolean | undefined): string {
  const url = typeof flag === 'string' ? flag : process.env.SPARK_REMOTE;
  if (!url) {
    throw new InvalidOptionError('--remote needs a Spark Connect URL (--remote sc://host:15002) or SPARK_REMOTE in the environment.', { option: 'remote' });
  }
  return url;
}

function toOptions(flags: SparkRunFlags): SparkRunOptions {
  const o: SparkRunOptions = { remote: remoteFromFlag(flags.remote), typecheck: flags.typecheck };
  if (flags.pythonVer !== undefined) o.pythonVer = flags.pythonVer;
  if (flags.serializer !== undefined) o.serializer = flags.serializer;
  if (flags.output !== undefined) o.output = flags.output;
  if (flags.format !== undefined) {
    if (!OUTPUT_FORMATS.includes(flags.format as OutputFormat)) {
      throw new InvalidOptionError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(flags.format)}.`, { option: 'format' });
    }
    o.format = flags.format as OutputFormat;
  }
  if (flags.overwrite) o.overwrite = true;
  if (flags.show !== undefined) {
    const n = Number(flags.show);
    if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`--show must be a non-negative integer, got ${JSON.stringify(flags.show)}.`, { option: 'show' });
    o.show = n;
  }
  if (flags.quiet || flags.json) o.quiet = true;
  return o;
}

/**
 * Runs the job on Spark for the CLI. Resolves when done; sets `process.exitCode` and
 * rethrows nothing (the caller's `reportError` is passed in to keep one error format).
 */
export async function runOnSparkFromCli(job: string, flags: SparkRunFlags, reportError: (e: unknown, verbose: boolean) => void): Promise<void> {
  const bar = createSparkProgressBar(!flags.quiet && !flags.json);
  try {
    const options = toOptions(flags);
    options.onProgress = (p) => bar.update(p);
    if (flags.json) {
      options.stdout = flags.quiet ? new PassThrough().resume() : process.stderr;
      if (!flags.quiet) options.quiet = false;
    }
    const summary = await runJobOnSpark(job, options);
    bar.stop();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else if (!flags.quiet && summary.output.path !== null) {
      process.stderr.write(
        `Wrote ${summary.rowsOut} rows to ${summary.output.path} (${summary.output.format}) on Spark ${summary.sparkVersion} in ${(summary.elapsedMs / 1000).toFixed(1)} s.\n`,
      );
    }
  } catch (e) {
    bar.stop();
    reportError(e, flags.verbose === true);
    process.exitCode = 1;
  }
}
