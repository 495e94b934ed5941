/**
 * The per-process (per worker thread) payload cache: a payload is loaded — verified,
 * decoded, its context deserialized and its bundle evaluated — once per worker, never
 * per task or per batch. Later tasks for the same hash reuse the runner, and with it
 * the state `init` produced.
 *
 * Long-lived workers (beside Spark executors) serve job after job, so only the most
 * recently used payloads stay loaded; an evicted runner stays alive for tasks already
 * holding it.
 */
import { JobRunner } from './job-runner.js';

/** How many loaded payloads one worker keeps. Each holds a context and a bundle in memory. */
export const MAX_CACHED_RUNNERS = 4;

const runners = new Map<string, Promise<JobRunner>>();

/**
 * Returns the runner for payload `hash`, loading it with `loadBytes` on first use.
 * Concurrent callers share one load. A failed load is not cached, so a transient read
 * failure can be retried by the next task. The loaded bytes must hash to `hash`.
 */
export function getRunner(hash: string, loadBytes: () => Uint8Array | Promise<Uint8Array>): Promise<JobRunner> {
  return cached(hash, async () => JobRunner.fromBytes(await loadBytes(), { expectedHash: hash }));
}

/** Like `getRunner`, reading the payload from a file (the driver's or executor's local copy). */
export function getRunnerFromFile(path: string, hash: string): Promise<JobRunner> {
  return cached(hash, () => JobRunner.fromFile(path, hash));
}

function cached(hash: string, load: () => Promise<JobRunner>): Promise<JobRunner> {
  let runner = runners.get(hash);
  if (runner !== undefined) {
    // Re-insert to mark as most recently used (a Map iterates in insertion order).
    runners.delete(hash);
    runners.set(hash, runner);
    return runner;
  }
  const loading = load();
  runners.set(hash, loading);
  loading.catch(() => {
    if (runners.get(hash) === loading) runners.delete(hash);
  });
  while (runners.size > MAX_CACHED_RUNNERS) runners.delete(runners.keys().next().value!);
  return loading;
}

/** Hashes of the payloads currently loaded in this process (most recently used last). */
export function cachedRunnerHashes(): string[] {
  return [...runners.keys()];
}

/** Forgets every loaded payload (tests; a worker that must release memory). */
export function clearRunnerCache(): void {
  runners.clear();
}
