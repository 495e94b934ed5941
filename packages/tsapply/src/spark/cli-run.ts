/**
 * `tsapply run job.ts --remote [sc://host:port]`: what the CLI needs beyond the
 * engine-independent flags. `--remote` without a URL uses `$SPARK_REMOTE`.
 */
import { checkExecutorNode, checkExecutorNodeVersion } from './executor-node/executor-node.js';
import { checkPythonVer } from './python-version.js';
import { InvalidOptionError } from '../errors.js';
import type { JobRunOptions } from '../run-options.js';
import { runJobOnSpark, type SparkRunSummary } from './run-job-on-spark.js';
import { createSparkProgressBar } from './spark-progress.js';

/** The Spark Connect URL of `--remote [url]`: the value, else $SPARK_REMOTE. */
export function remoteFromFlag(flag: string | boolean | undefined): string {
  const url = typeof flag === 'string' ? flag : process.env.SPARK_REMOTE;
  if (!url) {
    throw new InvalidOptionError('--remote needs a Spark Connect URL (--remote sc://host:15002) or SPARK_REMOTE in the environment.', { option: 'remote' });
  }
  return url;
}

/** Runs the job on Spark with a task progress bar on a terminal (`showProgress`). */
export async function runOnSparkFromCli(
  job: string,
  shared: JobRunOptions,
  flags: { remote?: string | boolean; pythonVer?: string; executorNode?: string; executorNodeVersion?: string },
  showProgress: boolean,
): Promise<SparkRunSummary> {
  const bar = createSparkProgressBar(showProgress);
  try {
    const options = {
      ...shared,
      remote: remoteFromFlag(flags.remote),
      interruptOnSigint: true,
      onProgress: (p: Parameters<typeof bar.update>[0]) => bar.update(p),
    };
    // Checked here so the messages name the flags, not the library's options.
    const ship = {
      ...(flags.pythonVer !== undefined ? { pythonVer: checkPythonVer(flags.pythonVer, '--python-ver') } : {}),
      ...(flags.executorNode !== undefined ? { executorNode: checkExecutorNode(flags.executorNode, '--executor-node') } : {}),
      ...(flags.executorNodeVersion !== undefined ? { executorNodeVersion: checkExecutorNodeVersion(flags.executorNodeVersion, '--executor-node-version') } : {}),
    };
    return await runJobOnSpark(job, { ...options, ...ship });
  } finally {
    bar.stop();
  }
}
