/**
 * The machine's own ceiling for the engine's 1 → 2 worker speedup: the CPU-bound job's
 * arithmetic (haversine and the 16-leg great-circle track over airport coordinates) run
 * in one worker thread, then in two at once with the same work each, with no engine,
 * no I/O and an idle main thread. On a VM two vCPUs seldom give 2×: shared caches,
 * memory bandwidth and a noisy host take their share, and this measures that share in
 * the same run as the engine, so the engine's speedup can be read against it.
 *
 * The threads run `thread-scaling-worker.ts` transpiled to plain JavaScript, as the
 * suite's child processes run theirs (a worker thread does not inherit tsx's loader).
 */
import { Worker } from 'node:worker_threads';
import { median } from '../lib/measure.js';
import { compiledScript } from './child-process.js';

/** Flights each thread computes per timed round at scale 1 (about half a second of work). */
const FLIGHTS = 400_000;

async function startWorker(): Promise<Worker> {
  const worker = new Worker(await compiledScript('thread-scaling-worker'));
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

/** Wall ms for every worker to compute `flights` flights at once. */
async function round(workers: Worker[], flights: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const done = () => {
            w.off('error', reject);
            resolve();
          };
          w.once('message', done);
          w.once('error', reject);
          w.postMessage(flights);
        }),
    ),
  );
  return performance.now() - started;
}

export interface ThreadScaling {
  /** Median wall ms of one thread's round, and of two threads' (each the same work). */
  oneMs: number;
  twoMs: number;
  /** 2 × oneMs / twoMs: the speedup two threads give on this machine, at best. */
  speedup: number;
  rounds: number;
}

/** `rounds` timed rounds of 1 and 2 threads, alternating, after a warm-up round; `scale` shrinks the work. */
export async function measureThreadScaling(rounds: number, scale = 1): Promise<ThreadScaling> {
  const flights = Math.max(1000, Math.round(FLIGHTS * scale));
  const workers = [await startWorker(), await startWorker()];
  try {
    await round(workers, flights / 4);
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push(await round(workers.slice(0, 1), flights));
      two.push(await round(workers, flights));
    }
    const [oneMs, twoMs] = [median(one), median(two)];
    return { oneMs, twoMs, speedup: (2 * oneMs) / twoMs, rounds };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
