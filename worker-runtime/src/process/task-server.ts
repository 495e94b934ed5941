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
import { parseDDL, recordBatchToRows, serializeError } from '@tsapply/common';
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
  let task: TaskState | undefined;

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
        try {
          task.runner = await options.loadRunner(message.payload.path, message.payload.sha256);
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
          const results = t.runner!.runBatch(message.batch, {
            partitionIndex: t.start.partitionIndex,
            ...(t.key !== undefined ? { key: t.key } : {}),
            ...(t.schema !== undefined ? { schema: t.schema } : {}),
          });
          for await (const out of results) {
            if (out.numRows === 0) continue;
            t.rowsOut += out.numRows;
            t.batchesOut++;
            await writer.send({ type: 'batch', batch: out });
          }
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
        if (t.failed) break;
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

/** The group's key values by column name, from its first row (typed like any row value). */
function groupKey(batch: RecordBatch, columns: readonly string[]): Record<string, unknown> {
  const row = recordBatchToRows(batch.slice(0, 1))[0] ?? {};
  const key: Record<string, unknown> = {};
  for (const c of columns) key[c] = row[c] ?? null;
  return key;
}

/** A zero-row record batch in `schema` (the 2-argument constructor fills in empty columns). */
function emptyBatch(schema: Schema): RecordBatch {
  return new RecordBatch(schema, undefined);
}
