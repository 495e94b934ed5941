/**
 * One measurement in a fresh process: runs a job once with `runJob` and prints one
 * JSON line (`ChildReport`) on stdout. A fresh process per measurement makes peak
 * memory meaningful — `process.resourceUsage().maxRSS` is the high-water mark of the
 * whole process, driver and worker threads together, since it started — and keeps
 * one run's JIT state and heap from helping the next.
 *
 * Started by `child-process.ts` (as plain JavaScript, see there).
 *
 * The job's input comes from `$TSAPPLY_BENCH_INPUT` (see `jobs/lib/bench-input.ts`).
 * Output goes to an Arrow directory, which the suite reads back to check the result.
 */
import { performance } from 'node:perf_hooks';
import { runJob } from 'tsapply';

export interface ChildRequest {
  job: string;
  workers: number;
  /** Output directory (replaced if it exists). */
  out: string;
  /**
   * Sets `taskTimeoutMs`, which also makes the driver read the input and feed the workers
   * batch by batch (the timeout bounds one call): to compare with workers reading their own.
   */
  taskTimeoutMs?: number;
}

export interface ChildReport {
  rowsIn: number;
  rowsOut: number;
  batches: number;
  /** Wall time of `runJob` (bundle, payload, pool start-up, read, apply, write), ms. */
  elapsedMs: number;
  /**
   * CPU time of the process during `runJob`, user + system, ms: every thread's (the driver,
   * the workers, V8's and libuv's helpers). Bundling runs in esbuild's own process, not counted.
   */
  cpuMs: number;
  /** From calling `runJob` to its first progress report (the first batch done), ms: the start-up cost. */
  firstTaskMs: number;
  /** Peak resident set of the process (driver + worker threads), bytes. */
  maxRssBytes: number;
  /** Highest RSS seen by sampling every 25 ms, bytes (cross-checks maxRSS). */
  sampledPeakRssBytes: number;
  /** RSS every 250 ms from the start of `runJob`: [ms, bytes] (shows whether memory settles). */
  rssSeries: [number, number][];
  /** The driver thread's V8 heap and off-heap buffers at the end, bytes. */
  driverHeapUsedBytes: number;
  driverArrayBuffersBytes: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
let sampledPeak = 0;
const rssSeries: [number, number][] = [];
let ticks = 0;
const start = performance.now();
const cpuAtStart = process.cpuUsage();
const sample = (): void => {
  const rss = process.memoryUsage.rss();
  sampledPeak = Math.max(sampledPeak, rss);
  if (ticks++ % 10 === 0) rssSeries.push([Math.round(performance.now() - start), rss]);
};
const timer = setInterval(sample, 25);
let firstTaskMs: number | undefined;
const summary = await runJob(request.job, {
  workers: request.workers,
  output: request.out,
  format: 'arrow',
  overwrite: true,
  // The type-check is a one-off cost per job edit (and is cached); it is not engine speed.
  typecheck: false,
  quiet: true,
  ...(request.taskTimeoutMs !== undefined ? { taskTimeoutMs: request.taskTimeoutMs } : {}),
  onProgress: (p) => {
    if (firstTaskMs !== undefined) return;
    firstTaskMs = performance.now() - start;
  },
});
const elapsedMs = performance.now() - start;
const cpu = process.cpuUsage(cpuAtStart);
clearInterval(timer);
sample();
const mem = process.memoryUsage();
const report: ChildReport = {
  rowsIn: summary.rowsIn,
  rowsOut: summary.rowsOut,
  batches: summary.batches,
  elapsedMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  firstTaskMs: firstTaskMs ?? elapsedMs,
  // Linux and macOS report maxRSS in kilobytes.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  sampledPeakRssBytes: sampledPeak,
  rssSeries,
  driverHeapUsedBytes: mem.heapUsed,
  driverArrayBuffersBytes: mem.arrayBuffers,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
