/**
 * Ends the Node worker process when the Python worker that started it is gone.
 *
 * The worker normally leaves when its stdin closes, but it only reads stdin between
 * calls: a call stuck in a synchronous loop, or awaiting a promise that never settles,
 * with no task timeout set, would keep it running after Spark killed its Python worker
 * (a cancelled job, a lost executor, a task killed for speculation). Such orphans would
 * pile up on the executor, each spinning a core. So a second thread looks once a second
 * whether the Python worker is still there, and kills this process when it is not. A
 * thread, because a busy main thread never runs a timer.
 */
import { Worker } from 'node:worker_threads';

/** How often the parent is looked at. Cheap: one getppid() per period, asleep otherwise. */
const PERIOD_MS = 1000;

// Plain JavaScript run with `eval: true`: the worker bundle is one file, so the thread
// cannot load a module of its own.
const WATCH_SOURCE = `
const { workerData } = require('node:worker_threads');
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}
for (;;) {
  Atomics.wait(sleeper, 0, 0, workerData.periodMs);
  // Nobody reads this process's output any more, so it just ends.
  if (process.ppid !== workerData.parent || (workerData.starter > 0 && !alive(workerData.starter))) process.kill(process.pid, 'SIGKILL');
}
`;

/**
 * Starts watching (once per process). The process ends when its parent changes (the
 * parent died and this process was re-parented), or when `starter`, the pid of the
 * Python worker that started it, no longer exists: the two differ when Node runs under
 * a wrapper script (`TSAPPLY_NODE`) that does not `exec`.
 */
export function watchParent(starter: number | undefined): void {
  const thread = new Worker(WATCH_SOURCE, {
    eval: true,
    workerData: { parent: process.ppid, starter: starter ?? 0, periodMs: PERIOD_MS },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  // The watch never keeps the process alive on its own.
  thread.unref();
}
