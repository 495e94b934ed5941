/**
 * The worker process's task loop: reads the shim's frames, runs each task through a
 * `JobRunner` batch by batch, and streams results back.
 *
 * One task at a time, one input batch at a time: the next frame is read only after
 * every result batch of the current one was written (and drained), so memory holds a
 * few batches, never a partition (in grouped mode, also the rows of the current group;
 * see `sorted-groups.ts`). After a failure the task's remaining input is read
 * and dropped up to `end`/`cancel`, keeping the stream in step for the next task.
 * Runners are cached by payload hash, so a payload is read, verified and its `init`
 * run once per process, however many tasks (and jobs) reuse the process.
 */
import type { Readable, Writable } from 'node:stream';
import type { RecordBatch, Schema } from 'apache-arrow';
import { concatRanges, describeGroupKey, parseDDL, serializeError, TaskTimeoutError } from '@tsapply/common';
import { SortedGroupCutter } from './sorted-groups.js';
import { CallWatchdog } from './call-watchdog.js';
import { readFrames } from './frames.js';
import { ProtocolError, ShimFrameDecoder, type StartMessage } from './shim-to-worker.js';
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
  /** Grouped mode: cuts the (sorted) partition into groups. */
  cutter: SortedGroupCutter | undefined;
  /** Grouped mode: results of groups not yet written. */
  groupResults: RecordBatch[];
  /** Rows in `groupResults` (kept, not summed: one input batch may cut thousands of groups). */
  groupResultRows: number;
}

/** Grouped mode writes its groups' results once they reach this many rows (and after every input batch). */
const GROUP_RESULTS_PER_BATCH = 10_000;

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
  /** Runs one call of user code (for a group: `key`'s) under the task's timeout; results are written after it returns. */
  const watched = <T>(t: TaskState, call: () => Promise<T>, key?: Record<string, unknown>): Promise<T> =>
    watchdog.watch(
      t.start.taskTimeoutMs,
      () =>
        WorkerMessageWriter.frameOf({
          type: 'error',
          error: serializeError(
            TaskTimeoutError.fromFields({ partition: t.start.partitionIndex, timeoutMs: t.start.taskTimeoutMs!, ...(key !== undefined ? { group: describeGroupKey(key) } : {}) }),
          ),
          workerExiting: true,
        }),
      call,
    );

  const emit = async (t: TaskState, out: RecordBatch) => {
    t.rowsOut += out.numRows;
    t.batchesOut++;
    await writer.send({ type: 'batch', batch: out });
  };
  /**
   * One call of the user's function on `batch` (a batch of a partition, or a group).
   * A group's results wait in `groupResults` for `flushGroups`. Otherwise, with a timeout,
   * the results are written after the call returns, when no call is in progress (the
   * watchdog may write to stdout only during a call); without one they stream out.
   */
  const runCall = async (t: TaskState, batch: RecordBatch, key: Record<string, unknown> | undefined): Promise<void> => {
    const held: RecordBatch[] | undefined = t.cutter !== undefined ? t.groupResults : t.start.taskTimeoutMs !== undefined ? [] : undefined;
    await watched(t, async () => {
      const results = t.runner!.runBatch(batch, {
        partitionIndex: t.start.partitionIndex,
        ...(key !== undefined ? { key } : {}),
        ...(t.schema !== undefined ? { schema: t.schema } : {}),
      });
      for await (const out of results) {
        if (out.numRows === 0) continue;
        if (held === undefined) await emit(t, out);
        else held.push(out);
        if (t.cutter !== undefined) t.groupResultRows += out.numRows;
      }
    }, key);
    if (t.cutter === undefined) for (const out of held ?? []) await emit(t, out);
    else if (t.groupResultRows >= GROUP_RESULTS_PER_BATCH) await flushGroups(t);
  };
  /** The results of the groups cut so far, as few batches: one per group would be one IPC message and one pyarrow batch each. */
  const flushGroups = async (t: TaskState): Promise<void> => {
    const held = t.groupResults;
    if (held.length === 0) return;
    t.groupResults = [];
    t.groupResultRows = 0;
    const merged = held.length === 1 ? held[0]! : concatRanges(held[0]!.schema, held.map((b) => ({ batch: b, from: 0, to: b.numRows })));
    await emit(t, merged);
  };

  const fail = async (t: TaskState, e: unknown): Promise<void> => {
    t.failed = true;
    await writer.send({ type: 'error', error: serializeError(e) });
  };

  const decoder = new ShimFrameDecoder();
  for await (const frame of readFrames(options.input)) {
    const message = decoder.decode(frame);
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
          cutter: message.mode === 'grouped' ? new SortedGroupCutter(message.groupColumns) : undefined,
          groupResults: [],
          groupResultRows: 0,
        };
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
      case 'schema':
        if (task === undefined) throw new ProtocolError('An input schema arrived outside a task.');
        break;
      case 'batch': {
        if (task === undefined) throw new ProtocolError('An input batch arrived outside a task.');
        if (task.failed) break; // drop the rest of a failed task's input
        const t = task;
        t.rowsIn += message.batch.numRows;
        t.batchesIn++;
        try {
          if (t.cutter !== undefined) {
            for (const group of t.cutter.push(message.batch)) await runCall(t, group.batch, group.key);
            await flushGroups(t);
            break;
          }
          await runCall(t, message.batch, undefined);
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
        if (t.cutter !== undefined && !t.failed && message.type === 'end') {
          try {
            for (const group of t.cutter.finish()) await runCall(t, group.batch, group.key);
            await flushGroups(t);
          } catch (e) {
            await fail(t, e);
          }
        }
        if (t.failed) break;
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
