/**
 * Messages between the driver and `@tsapply/worker-runtime/piscina-task` (one piscina
 * worker thread). The protocol is one request → one response, a tagged union per
 * direction:
 *
 * - Driver → worker: a `TaskInput`. Every task names the payload by path AND hash; a
 *   thread loads the payload on its first task (verifying the hash) and keeps it for
 *   every later task with that hash, so `init` runs once per thread. Record batches
 *   travel as Arrow IPC stream bytes (`ipc`): one record batch per task — one batch of
 *   a partition, or one whole group with `groupBy` (never split). Send `ipc` with
 *   `Piscina.move(...)`, or as a buffer you no longer need, to avoid a copy. Or, in
 *   place of `ipc`, `read`: a split of the input that the thread reads itself, its
 *   batches each an `apply` call of the one task.
 *   - `batch`: run `apply`, convert to the output schema, return Arrow IPC bytes.
 *     `schema` (Spark DDL) overrides the payload's schema — required when the job
 *     declares none and the driver has inferred one.
 *   - `sample`: run `apply` and return its rows as plain objects (structured clone keeps
 *     bigint, Date, Map, typed arrays), for schema inference on the driver.
 * - Worker → driver: a `BatchTaskOutput` / `SampleTaskOutput`. `ipc` is transferred,
 *   not copied.
 * - Failure: the task rejects with a `SerializedError` (plain object, from
 *   `serializeError`) so typed fields — `location`, `partition`, `column`… — survive
 *   the thread boundary (structured clone drops custom fields of Error objects).
 *   Rebuild it with `reviveTaskError(e)`.
 */

import type { MessagePort } from 'node:worker_threads';

interface TaskBase {
  /** Local path of the payload file (the framed bytes from `encodePayload`). */
  payloadPath: string;
  /** Its sha256 hex (`payloadHash`); the file must hash to this. */
  payloadHash: string;
  /** Partition (or group) index, for `ctx.partitionIndex` and error messages. */
  partitionIndex: number;
  /** With `groupBy`: the group's key values by column name (`ctx.key`). */
  key?: Record<string, unknown>;
  /** Arrow IPC stream bytes holding exactly one record batch. Exactly one of `ipc` and `read`. */
  ipc?: Uint8Array;
  /**
   * Input the thread reads by itself instead of receiving it: `module` (a URL) exports
   * `readSplit(split, batchSize)`, an async iterable of record batches; `apply` runs on
   * each of them in order, as one task.
   */
  read?: SplitRead;
  /**
   * With `read`: a port on which the thread posts `{ rowsIn, rowsOut }` after each batch,
   * so the driver can show progress inside a task that makes many calls. Closed by the
   * thread when the task ends.
   */
  progress?: MessagePort;
}

export interface SplitRead {
  /** URL of the module exporting `readSplit`. */
  module: string;
  /** What to read, as that module defines it (plain data). */
  split: unknown;
  /** Rows per record batch handed to `apply`. */
  batchSize: number;
}

export interface BatchTaskInput extends TaskBase {
  type: 'batch';
  /** Output schema as Spark DDL. @default the payload's schema */
  schema?: string;
  /** Upper bound on rows per output record batch. @default the payload's batchSize, else 10000 */
  maxRowsPerBatch?: number;
}

export interface SampleTaskInput extends TaskBase {
  type: 'sample';
}

export type TaskInput = BatchTaskInput | SampleTaskInput;

export interface BatchTaskOutput {
  type: 'batch';
  /** Results as one Arrow IPC stream (schema message + zero or more record batches). */
  ipc: Uint8Array;
  /** Rows in the input batch. */
  rowsIn: number;
  /** Rows in `ipc`. */
  rowsOut: number;
  /** Calls of `apply`: 1, or one per record batch of a `read` task. */
  calls: number;
}

export interface SampleTaskOutput {
  type: 'sample';
  /** What `apply` returned, as plain row objects. */
  rows: Record<string, unknown>[];
  rowsIn: number;
  rowsOut: number;
}

export type TaskOutput = BatchTaskOutput | SampleTaskOutput;
