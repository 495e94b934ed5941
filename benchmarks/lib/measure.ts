/**
 * The measuring core every benchmark uses.
 *
 * A *sample* is the wall-clock time of one batch of `iterations` calls divided by
 * `iterations` (so it is always "milliseconds per call"); the batch is sized once, after
 * warm-up, so that it lasts at least `minSampleMs` — sub-millisecond operations are then
 * timed over many calls instead of at timer resolution. A measurement is `runs` samples,
 * reported as median (the headline figure: robust to one slow run on a shared machine),
 * min and max.
 *
 * Absolute times depend on the machine; comparisons between candidates are therefore
 * ratios of medians measured in the same process, one right after the other
 * (`ratio()`), never against figures from another run.
 *
 * Correctness comes first: `verify()` and `BenchmarkCorrectnessError` let a benchmark
 * refuse to report a speed for a wrong answer; the runner turns that into a failed suite.
 */
import { performance } from 'node:perf_hooks';

/** How hard to measure. `quick` is for CI smoke runs; `full` for the published figures. */
export interface MeasureProfile {
  /** Calls made before timing starts (JIT warm-up, lazy module loading, caches). */
  warmup: number;
  /** Timed samples per measurement. */
  runs: number;
  /** Each sample loops the operation until it lasts at least this long, in ms. */
  minSampleMs: number;
}

export const PROFILES: Readonly<Record<'quick' | 'full', MeasureProfile>> = Object.freeze({
  quick: Object.freeze({ warmup: 1, runs: 3, minSampleMs: 5 }),
  full: Object.freeze({ warmup: 2, runs: 7, minSampleMs: 40 }),
});

export interface Measurement {
  /** Median of the samples, ms per call. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Every sample, ms per call, in the order taken. */
  samplesMs: number[];
  /** Calls per sample. */
  iterations: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median() of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(samplesMs: number[], iterations: number): Measurement {
  return {
    medianMs: median(samplesMs),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
    samplesMs,
    iterations,
  };
}

/** Calls per sample so that one sample lasts at least `minSampleMs` (from one timed call). */
function iterationsFor(oneCallMs: number, minSampleMs: number): number {
  if (oneCallMs >= minSampleMs) return 1;
  return Math.min(1_000_000, Math.ceil(minSampleMs / Math.max(oneCallMs, 0.001)));
}

/** Time a synchronous operation. Its return value is passed to `sink` so V8 cannot drop the call. */
export function measureSync(fn: () => unknown, profile: MeasureProfile): Measurement {
  for (let i = 0; i < profile.warmup; i++) sink(fn());
  let t = performance.now();
  sink(fn());
  const iterations = iterationsFor(performance.now() - t, profile.minSampleMs);
  const samples: number[] = [];
  for (let r = 0; r < profile.runs; r++) {
    t = performance.now();
    for (let i = 0; i < iterations; i++) sink(fn());
    samples.push((performance.now() - t) / iterations);
  }
  return summarize(samples, iterations);
}

/** Time an asynchronous operation (each call awaited before the next). */
export async function measureAsync(fn: () => Promise<unknown>, profile: MeasureProfile): Promise<Measurement> {
  for (let i = 0; i < profile.warmup; i++) sink(await fn());
  let t = performance.now();
  sink(await fn());
  const iterations = iterationsFor(performance.now() - t, profile.minSampleMs);
  const samples: number[] = [];
  for (let r = 0; r < profile.runs; r++) {
    t = performance.now();
    for (let i = 0; i < iterations; i++) sink(await fn());
    samples.push((performance.now() - t) / iterations);
  }
  return summarize(samples, iterations);
}

let sunk: unknown;
/** Keeps a result reachable so the optimiser cannot elide the work that produced it. */
export function sink(value: unknown): void {
  sunk = value;
}
/** The last value sunk (only so `sunk` is observably used). */
export function lastSunk(): unknown {
  return sunk;
}

/** Decimal megabytes per second for `bytes` processed in `ms`. 1 MB = 1,000,000 bytes. */
export function mbPerSecond(bytes: number, ms: number): number {
  return ms > 0 ? bytes / 1e6 / (ms / 1000) : Number.POSITIVE_INFINITY;
}

/** `a / b` of the medians: how many times longer `a` takes than `b` (both from this run). */
export function ratio(a: Measurement, b: Measurement): number {
  return a.medianMs / b.medianMs;
}

/** A benchmark produced a wrong result: its speed is not reported and the suite fails. */
export class BenchmarkCorrectnessError extends Error {
  override readonly name = 'BenchmarkCorrectnessError';
  constructor(
    /** Which benchmark, e.g. `serializers/zstd/numeric-model`. */
    readonly benchmark: string,
    /** What was wrong, e.g. `value.weights[17]: expected 0.25, got 0`. */
    readonly problem: string,
  ) {
    super(`Benchmark ${benchmark} produced a wrong result, so its speed is not reported: ${problem}`);
  }
}

/** Throw a BenchmarkCorrectnessError for `benchmark` when `problem` is defined. */
export function verify(benchmark: string, problem: string | undefined): void {
  if (problem !== undefined) throw new BenchmarkCorrectnessError(benchmark, problem);
}
