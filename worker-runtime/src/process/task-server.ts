/**
 * The worker process's task loop: reads the shim's frames, runs each task through a
 * `JobRunner` batch by batch, and streams results back.
 *
 * One task at a time, one input batch at a time: the next frame is read only after
 * every result batch of the current one was written (and drained), so memory holds a
 * few batches, never a partition. After a failure the task's remaining input is read
 * and dropped up to `end`/`cancel`, keeping the stream in step for the next task.
 * Runners are cached by payload hash, so a payload is read, verified and its `init`
 * run once per process, however many tasks (and jobs) reuse the process.
 */
import type { Readable, Writable } from 'node:stream';
import { RecordBatch } from 'apache-arrow';
import type { Schema } from 'apache-arrow';
import { parseDDL, serializeError, TaskTimeoutError, vectorToJS } from '@tsapply/common';
import { CallWatchdog } from './call-watchdog.js';
import { readFrames } from './frames.js';
import { decodeShimFrame, ProtocolError, type StartMessage } from './shim-to-worker.js';
import { WorkerMessageWriter } from './worker-to-shim.js';

/**
 * What the loop needs from a loaded payload (satisfied by `JobRunner`). The options are
 * built here from a checked START message, so `runBatch` trusts them per batch.
 */
export interface TaskRunner {
  runBatch(
    batch: RecordBatch,
    options: { partitionIndex: number; key?: Record<string, unknown>; schema?: Schema },
  ): AsyncIterable<RecordBatch>;
  readonly outputSchema: Schema | undefined;
  /** An error of the payload's code thrown outside a call, at the user's line (`JobRunner.asUserError`). */
  asUserError?(e: unknown, partition: number | undefined): unknown;
}

export interface TaskServerOptions {
  input: Readable;
  output: Writable;
  /** The output stream's original write function (see `WorkerMessageWriter`). */
  write?: (chunk: Uint8Array) => boolean;
  /**
   * Loads (and verifies) a payload. Called for every task: the loader caches (the worker
   * process passes `getRunnerFromFile`, which keeps the few most recent payloads).
   */
  loadRunner: (path: string, sha256: string) => Promise<TaskRunner>;
  /**
   * Ends the process. When given, an exception nobody caught (a throw in a timer of user
   * code, a rejected promise nobody awaited) fails the running task with that error, at
   * the user's line, and then ends the worker: its state can no longer be trusted.
   */
  exit?: (code: number) => never;
}

interface TaskState {
  start: StartMessage;
  runner: TaskRunner | undefined;
  schema: Schema | undefined;
  failed: boolean;
  rowsIn: number;
  rowsOut: number;
  batchesIn: number;
  batchesOut: number;
  /** Grouped mode: the group's key, from its first row. */
  key: Record<string, unknown> | undefined;
}

/** Runs until the input ends. Rejects only on protocol violations or a broken output. */
export async function runTaskServer(options: TaskServerOptions): Promise<void> {
  const writer = new WorkerMessageWriter(options.output, options.write);
  const schemas = new Map<string, Schema>();
  const watchdog = new CallWatchdog();
  let task: TaskState | undefined;
  if (options.exit !== undefined) {
    const exit = options.exit;
    const fatal = (e: unknown) => {
      if (!watchdog.claimForExit()) return; // a timeout is already being reported
      const t = task;
      const error = t?.runner?.asUserError ? t.runner.asUserError(e, t.start.partitionIndex) : e;
      process.stderr.write(`tsapply worker: an error escaped the job's code${t ? ` (partition ${t.start.partitionIndex})` : ''}; the worker ends: ${String((error as Error)?.stack ?? error)}\n`);
      if (t === undefined || t.failed) exit(70);
      writer.send({ type: 'error', error: serializeError(error), workerExiting: true }).then(
        () => exit(70),
        () => exit(70),
      );
    };
    process.on('uncaughtException', fatal);
    process.on('unhandledRejection', fatal);
  }
  /** Runs one call of user code under the task's timeout; results are written after it returns. */
  const watched = <T>(t: TaskState, call: () => Promise<T>): Promise<T> =>
    watchdog.watch(
      t.start.taskTimeoutMs,
      () =>
        WorkerMessageWriter.frameOf({
          type: 'error',
          error: serializeError(TaskTimeoutError.fromFields({ partition: t.start.partitionIndex, timeoutMs: t.start.taskTimeoutMs! })),
          workerExiting: true,
        }),
      call,
    );

  const fail = async (t: TaskState, e: unknown): Promise<void> => {
    t.failed = true;
    await writer.send({ type: 'error', error: serializeError(e) });
  };

  for await (const frame of readFrames(options.input)) {
    const message = decodeShimFrame(frame);
    switch (message.type) {
      case 'start': {
        if (task !== undefined) throw new ProtocolError(`start of task ${message.task} before task ${task.start.task} ended.`);
        task = {
          start: message,
          runner: undefined,
          schema: undefined,
          failed: false,
          rowsIn: 0,
          rowsOut: 0,
          batchesIn: 0,
          batchesOut: 0,
          key: undefined,
        };
        // A group's results are few and small: they go out with its DONE, in one write.
        if (message.mode === 'grouped') writer.cork();
        try {
          const t = task;
          task.runner = await watched(t, () => options.loadRunner(message.payload.path, message.payload.sha256));
          if (message.schema !== null) {
            let schema = schemas.get(message.schema);
            if (schema === undefined) schemas.set(message.schema, (schema = parseDDL(message.schema)));
            task.schema = schema;
          } else {
            task.schema = task.runner.outputSchema;
          }
        } catch (e) {
          await fail(task, e);
        }
        break;
      }
      case 'batch': {
        if (task === undefined) throw new ProtocolError('An input batch arrived outside a task.');
        if (task.failed) break; // drop the rest of a failed task's input
        const t = task;
        t.rowsIn += message.batch.numRows;
        t.batchesIn++;
        if (t.start.mode === 'grouped' && t.key === undefined && message.batch.numRows > 0) {
          t.key = groupKey(message.batch, t.start.groupColumns);
        }
        try {
          // With a timeout the call's results are written after it returns, when no call is
          // in progress (the watchdog may write to stdout only during a call); without one
          // they stream out as they come.
          const timed = t.start.taskTimeoutMs !== undefined;
          const held: RecordBatch[] = [];
          const emit = async (out: RecordBatch) => {
            t.rowsOut += out.numRows;
            t.batchesOut++;
            await writer.send({ type: 'batch', batch: out });
          };
          await watched(t, async () => {
            const results = t.runner!.runBatch(message.batch, {
              partitionIndex: t.start.partitionIndex,
              ...(t.key !== undefined ? { key: t.key } : {}),
              ...(t.schema !== undefined ? { schema: t.schema } : {}),
            });
            for await (const out of results) {
              if (out.numRows === 0) continue;
              if (timed) held.push(out);
              else await emit(out);
            }
          });
          for (const out of held) await emit(out);
        } catch (e) {
          await fail(t, e);
        }
        break;
      }
      case 'end':
      case 'cancel': {
        if (task === undefined) throw new ProtocolError(`'${message.type}' arrived outside a task.`);
        const t = task;
        task = undefined;
        if (t.failed) {
          await writer.uncork();
          break;
        }
        if (t.start.mode === 'grouped' && t.batchesOut === 0) {
          // The shim builds a pyarrow.Table from our batches: give it the schema.
          if (t.schema === undefined) {
            await fail(t, new ProtocolError('No output schema: neither the shim nor the payload declares one.'));
            break;
          }
          await writer.send({ type: 'batch', batch: emptyBatch(t.schema) });
        }
        await writer.send({
          type: 'done',
          rowsIn: t.rowsIn,
          rowsOut: t.rowsOut,
          batchesIn: t.batchesIn,
          batchesOut: t.batchesOut,
          cancelled: message.type === 'cancel',
        });
        break;
      }
    }
  }
}

/**
 * The group's key values by column name, from its first row (typed like any row value).
 * Only the key columns are converted: a group's other columns may be wide.
 */
function groupKey(batch: RecordBatch, columns: readonly string[]): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const c of columns) {
    const vector = batch.getChild(c);
    key[c] = vector === null ? null : (vectorToJS(vector.slice(0, 1))[0] ?? null);
  }
  return key;
}

/** A zero-row record batch in `schema` (the 2-argument constructor fills in empty columns). */
function emptyBatch(schema: Schema): RecordBatch {
  return new RecordBatch(schema, undefined);
}
