/**
 * Entry of the Node worker process that runs beside a Spark executor's Python worker.
 *
 * The Python shim (`worker-runtime/python/tsapply_shim.py`) starts this file — as the
 * self-contained worker bundle — with pipes on stdin, stdout and stderr and speaks
 * the frame protocol of `frames.ts` on stdin/stdout. stdout is reserved for frames:
 * anything user code prints with `console.log` / `process.stdout.write` is rerouted
 * to stderr, which the shim copies to the executor log and keeps the tail of for
 * crash reports. The process exits when stdin closes (the Python worker exited), or,
 * if a call is still running then, when its parent process is gone (`parent-watch.ts`).
 */
import { getHeapStatistics } from 'node:v8';
import { forbidProcessExit } from '../forbid-process-exit.js';
import { getRunnerFromFile } from '../runner-cache.js';
import { watchParent } from './parent-watch.js';
import { runTaskServer } from './task-server.js';

function main(): void {
  if (process.stdin.isTTY || process.stdout.isTTY) {
    process.stderr.write(
      'This is the tsapply worker process. It speaks a binary protocol on stdin/stdout and is ' +
        "started by tsapply's Python shim beside a Spark executor; it is not meant to be run by hand.\n",
    );
    process.exit(2);
  }
  // The shim (which sets TSAPPLY_WORKER_PROTOCOL) reads this line, and keeps it out of
  // the executor log, to name the limit in an out-of-memory message.
  if (process.env.TSAPPLY_WORKER_PROTOCOL) {
    process.stderr.write(`[tsapply worker] heap limit ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)} MB\n`);
  }
  // The shim names its own pid (it may start Node through a wrapper script).
  const starter = Number(process.env.TSAPPLY_PARENT_PID);
  watchParent(Number.isInteger(starter) && starter > 0 ? starter : undefined);
  const out = process.stdout;
  const write = out.write.bind(out) as (chunk: Uint8Array) => boolean;
  // Frames only on the real stdout; everything else printed goes to stderr.
  out.write = ((chunk: never, encoding?: never, cb?: never) => process.stderr.write(chunk, encoding, cb)) as typeof out.write;

  // The job's code may not end the worker (a throw in a timer ends it after reporting it).
  const exit = forbidProcessExit();

  runTaskServer({
    input: process.stdin,
    output: out,
    write,
    // The shared LRU cache: a long-lived executor worker serves job after job.
    loadRunner: getRunnerFromFile,
    exit,
  }).then(
    () => exit(0),
    (e: unknown) => {
      process.stderr.write(`tsapply worker: fatal protocol error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      exit(70);
    },
  );
}

main();
