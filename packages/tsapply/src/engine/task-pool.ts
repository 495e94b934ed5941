/**
 * The embedded engine's worker pool: piscina threads running
 * `@tsapply/worker-runtime/piscina-task`. Each thread loads the payload once (by
 * hash) and runs `init` once. A task's input is either a record batch, crossing as
 * Arrow IPC bytes transferred rather than copied, or a split the thread reads itself
 * (`io/read-split.ts`); results come back as IPC bytes, transferred. Failures come back
 * as serialized errors and are rebuilt with their typed fields (`reviveTaskError`).
 */
import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import * as arrow from 'apache-arrow';
import { Piscina } from 'piscina';
import { describeGroupKey, TaskTimeoutError, WorkerOutOfMemoryError } from '@tsapply/common';
import {
  piscinaTaskFilename,
  recordBatchesToIPC,
  reviveTaskError,
  type BatchTaskOutput,
  type SampleTaskOutput,
  type TaskInput,
} from '@tsapply/worker-runtime';
import { SPLIT_READER_URL } from '../io/read-split.js';
import type { Task } from './partitioner.js';

export interface TaskResult {
  batches: arrow.RecordBatch[];
  rowsIn: number;
  rowsOut: number;
  /** Calls of `apply` the task made. */
  calls: number;
}

/** Rows in and out of one batch a split task finished. */
export type BatchListener = (rowsIn: number, rowsOut: number) => void;

export interface WorkerLimits {
  /** Longest one task (a call of the function) may run, in ms; the thread is ended after it. */
  taskTimeoutMs?: number | undefined;
  /** Old-generation heap of each thread, in MB. */
  workerMemoryMb?: number | undefined;
}

export class TaskPool {
  private readonly pool: Piscina;

  constructor(
    workers: number,
    private readonly payload: { path: string; hash: string },
    private readonly limits: WorkerLimits = {},
  ) {
    this.pool = new Piscina({
      filename: piscinaTaskFilename,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      ...(limits.workerMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: limits.workerMemoryMb } } : {}),
    });
  }

  private async run<T>(task: TaskInput, transfer: TransferListItem[] = []): Promise<T> {
    // Piscina ends the thread of an aborted task: a synchronous loop stops there too.
    const signal = this.limits.taskTimeoutMs !== undefined ? AbortSignal.timeout(this.limits.taskTimeoutMs) : undefined;
    try {
      // Transfer the input bytes instead of copying them, when they own their buffer.
      const owned = task.ipc !== undefined && task.ipc.byteOffset === 0 && task.ipc.byteLength === task.ipc.buffer.byteLength;
      const transferList = [...transfer, ...(owned ? [task.ipc!.buffer as ArrayBuffer] : [])];
      return (await this.pool.run(task, { ...(transferList.length > 0 ? { transferList } : {}), ...(signal ? { signal } : {}) })) as T;
    } catch (e) {
      if (signal?.aborted) {
        throw TaskTimeoutError.fromFields({ partition: task.partitionIndex, timeoutMs: this.limits.taskTimeoutMs!, ...(task.key !== undefined ? { group: describeGroupKey(task.key) } : {}) });
      }
      if ((e as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw WorkerOutOfMemoryError.fromFields({ partition: task.partitionIndex, ...(this.limits.workerMemoryMb !== undefined ? { heapLimitMb: this.limits.workerMemoryMb } : {}) });
      }
      throw reviveTaskError(e);
    }
  }

  private input(type: 'batch' | 'sample', t: Task, schema: arrow.Schema, batchSize: number): TaskInput {
    const base = {
      payloadPath: this.payload.path,
      payloadHash: this.payload.hash,
      partitionIndex: t.partition,
      ...(t.key !== undefined ? { key: t.key } : {}),
      ...('split' in t ? { read: { module: SPLIT_READER_URL, split: t.split, batchSize } } : { ipc: recordBatchesToIPC([t.batch], schema) }),
    };
    return { type, ...base };
  }

  /**
   * Runs `apply` on one batch (or group, or each batch of a split) and returns the results
   * in the output schema. `onBatch` hears of each batch a split task finishes, before the
   * task itself does (never after this promise settles).
   */
  async runBatch(t: Task, inputSchema: arrow.Schema, outputDDL: string, maxRowsPerBatch: number, onBatch?: BatchListener): Promise<TaskResult> {
    const task = { ...this.input('batch', t, inputSchema, maxRowsPerBatch), schema: outputDDL, maxRowsPerBatch } as TaskInput;
    const channel = onBatch !== undefined && 'split' in t ? new MessageChannel() : undefined;
    let settled = false;
    if (channel) {
      channel.port1.on('message', (m: { rowsIn: number; rowsOut: number }) => {
        if (!settled) onBatch!(m.rowsIn, m.rowsOut);
      });
      channel.port1.unref();
      task.progress = channel.port2;
    }
    try {
      const out = await this.run<BatchTaskOutput>(task, channel ? [channel.port2] : []);
      const batches = out.rowsOut > 0 ? arrow.tableFromIPC(out.ipc).batches.filter((b) => b.numRows > 0) : [];
      return { batches, rowsIn: out.rowsIn, rowsOut: out.rowsOut, calls: out.calls };
    } finally {
      settled = true;
      channel?.port1.close();
    }
  }

  /** Runs `apply` on one batch (or split) and returns its rows as plain objects (for schema inference). */
  async runSample(t: Task, inputSchema: arrow.Schema, batchSize: number): Promise<SampleTaskOutput> {
    return this.run<SampleTaskOutput>(this.input('sample', t, inputSchema, batchSize));
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
