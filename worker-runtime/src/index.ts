/**
 * `@tsapply/worker-runtime`: what runs inside a worker (a piscina thread on the
 * embedded engine, a Node process beside a Spark executor). It loads a payload once
 * per worker (verified by its sha256), runs the job's `init` once, calls `apply` per
 * record batch or group, converts results to Arrow in the output schema, and reports
 * user errors at their ORIGINAL .ts file:line:column with the partition.
 *
 * Never imports the bundler or the Spark Connect client.
 *
 * @example
 * ```ts
 * import { getRunner } from '@tsapply/worker-runtime';
 * const runner = await getRunner(hash, () => readFile(payloadPath));
 * for await (const out of runner.applyBatch(recordBatch, { partitionIndex: 3 })) {
 *   // `out` is an apache-arrow RecordBatch in the job's output schema
 * }
 * ```
 *
 * On the driver, a piscina pool runs `piscinaTaskFilename` (also exported as the
 * subpath `@tsapply/worker-runtime/piscina-task`) with the messages in `TaskInput`,
 * and rebuilds task failures with `reviveTaskError`.
 */
import { fileURLToPath } from 'node:url';

export { JobRunner } from './job-runner.js';
export type { ApplyBatchOptions, LoadRunnerOptions } from './job-runner.js';
export { getRunner, getRunnerFromFile, cachedRunnerHashes, clearRunnerCache, MAX_CACHED_RUNNERS } from './runner-cache.js';
export { JobShapeError, InvalidTaskError, ProtocolError, TruncatedFrameError } from './errors.js';
export { JobDefinitionError } from '@tsapply/common';
export { checkJobDefinition } from './check-job.js';
export type { CheckJobOptions } from './check-job.js';
export { reviveTaskError, isSerializedError } from './task-errors.js';
export { recordBatchFromIPC, recordBatchesToIPC } from './arrow-ipc.js';
export { applyResultToRows } from './apply-result-guard.js';
export { evaluateCommonJs } from './evaluate-bundle.js';
export type { EvaluateOptions } from './evaluate-bundle.js';
export { BundleSourceMapper } from './source-mapper.js';
export type { MappedStack } from './source-mapper.js';
export { toUserCodeError, isUserCodeError } from './user-error.js';
export type {
  TaskInput,
  BatchTaskInput,
  SampleTaskInput,
  TaskOutput,
  BatchTaskOutput,
  SampleTaskOutput,
} from './task-protocol.js';

/** Absolute path of the file a piscina pool loads, for `new Piscina({ filename })` (a CommonJS door to `piscina-task.ts`; see `piscina-entry.cts`). */
export const piscinaTaskFilename: string = fileURLToPath(new URL('./piscina-entry.cjs', import.meta.url));
