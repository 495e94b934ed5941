/**
 * Piscina task entry: `@tsapply/worker-runtime/piscina-task`. The local engine creates
 * `new Piscina({ filename: piscinaTaskFilename })` and runs one `TaskInput` per record
 * batch (or group); the message shapes and the error convention are documented in
 * `task-protocol.ts`.
 *
 * Runs in a piscina worker thread. Each thread keeps its loaded payloads in the
 * per-thread runner cache, so the payload is read, verified and evaluated — and
 * `init` run — once per thread, however many tasks it serves. (Calling it on the main
 * thread works too, e.g. for a driver-side sample, with the main thread's own cache.)
 */
import { isMainThread } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { InvalidOptionError, parseDDL, serializeError } from '@tsapply/common';
import type { RecordBatch, Schema } from 'apache-arrow';
import { recordBatchesToIPC, recordBatchFromIPC } from './arrow-ipc.js';
import { forbidProcessExit } from './forbid-process-exit.js';
import { getRunnerFromFile } from './runner-cache.js';
import type { BatchTaskInput, BatchTaskOutput, SampleTaskOutput, TaskInput, TaskOutput } from './task-protocol.js';

export type { BatchTaskInput, BatchTaskOutput, SampleTaskInput, SampleTaskOutput, TaskInput, TaskOutput } from './task-protocol.js';

/** The task running in this thread, to which an error escaping the job's code belongs. */
let running: { runner: { asUserError(e: unknown, partition: number | undefined): unknown }; partition: number } | undefined;
/** An error thrown in a timer or an unawaited promise of the job's code, not yet reported. */
let escaped: unknown;

// In a pool thread the job's code may not end the thread, and an error that escapes it (a
// throw in a timer) fails the task running then (else the next one), at the user's line,
// instead of killing the thread with a bare message. On the main thread (a driver-side
// sample) both stay the user's own.
if (!isMainThread) {
  forbidProcessExit();
  const onEscaped = (e: unknown) => {
    escaped ??= running ? running.runner.asUserError(e, running.partition) : e;
  };
  process.on('uncaughtException', onEscaped);
  process.on('unhandledRejection', onEscaped);
}

/** Throws the error that escaped the job's code, once. */
function throwEscaped(): void {
  if (escaped === undefined) return;
  const e = escaped;
  escaped = undefined;
  throw e;
}

/** Parsed DDL by text: a pool sends the same inferred schema with every task. */
const schemaCache = new Map<string, Schema>();

function schemaFor(ddl: string): Schema {
  let schema = schemaCache.get(ddl);
  if (schema === undefined) {
    schema = parseDDL(ddl);
    schemaCache.set(ddl, schema);
  }
  return schema;
}

/** Hands `ipc`'s buffer to the driver thread by transfer instead of a structured-clone copy. */
class MovableOutput {
  constructor(private readonly output: BatchTaskOutput) {}
  get [Piscina.transferableSymbol](): ArrayBuffer[] {
    return [this.output.ipc.buffer as ArrayBuffer];
  }
  get [Piscina.valueSymbol](): BatchTaskOutput {
    return this.output;
  }
}

function checkTask(task: unknown): TaskInput {
  if (typeof task !== 'object' || task === null) throw new InvalidOptionError(`A piscina task must be an object, got ${String(task)}.`, { option: 'task' });
  const t = task as Partial<TaskInput>;
  if (t.type !== 'batch' && t.type !== 'sample') {
    throw new InvalidOptionError(`Unknown task type ${JSON.stringify(t.type)}; valid types: 'batch', 'sample'.`, { option: 'type' });
  }
  if (typeof t.payloadPath !== 'string' || typeof t.payloadHash !== 'string') {
    throw new InvalidOptionError('A task needs payloadPath and payloadHash strings.', { option: typeof t.payloadPath !== 'string' ? 'payloadPath' : 'payloadHash' });
  }
  if (t.read !== undefined) {
    if (t.ipc !== undefined) throw new InvalidOptionError('A task takes ipc or read, not both.', { option: 'read' });
    if (typeof t.read.module !== 'string' || !(Number.isSafeInteger(t.read.batchSize) && t.read.batchSize > 0)) {
      throw new InvalidOptionError('A task\'s read needs a module URL string and a positive integer batchSize.', { option: 'read' });
    }
  } else if (!(t.ipc instanceof Uint8Array)) {
    throw new InvalidOptionError('A task needs ipc: Uint8Array (Arrow IPC stream bytes), or read: a split to read.', { option: 'ipc' });
  }
  return t as TaskInput;
}

async function runTask(input: unknown): Promise<TaskOutput | MovableOutput> {
  const task = checkTask(input);
  throwEscaped();
  const runner = await getRunnerFromFile(task.payloadPath, task.payloadHash);
  running = { runner, partition: task.partitionIndex };
  try {
    const out = await runLoaded(task, runner);
    throwEscaped();
    return out;
  } finally {
    running = undefined;
  }
}

/** What a `SplitRead.module` exports. */
interface SplitReader {
  readSplit(split: unknown, batchSize: number): AsyncIterable<RecordBatch>;
}

/** Split readers by module URL, imported once per thread. */
const splitReaders = new Map<string, Promise<SplitReader>>();

/** The task's input batches: the one it carries, or those of the split it names. */
async function* inputBatches(task: TaskInput): AsyncGenerator<RecordBatch> {
  if (task.read === undefined) {
    yield recordBatchFromIPC(task.ipc!);
    return;
  }
  const { module, split, batchSize } = task.read;
  let reader = splitReaders.get(module);
  if (reader === undefined) {
    reader = import(module) as Promise<SplitReader>;
    splitReaders.set(module, reader);
  }
  yield* (await reader).readSplit(split, batchSize);
}

async function runLoaded(task: TaskInput, runner: Awaited<ReturnType<typeof getRunnerFromFile>>): Promise<TaskOutput | MovableOutput> {
  const base = { partitionIndex: task.partitionIndex, ...(task.key !== undefined ? { key: task.key } : {}) };
  let rowsIn = 0;
  if (task.type === 'sample') {
    const rows: Record<string, unknown>[] = [];
    for await (const batch of inputBatches(task)) {
      rowsIn += batch.numRows;
      // Not push(...rows): a batch can return more rows than a call may take arguments.
      for (const row of await runner.applyBatchRows(batch, base)) rows.push(row);
    }
    return { type: 'sample', rows, rowsIn, rowsOut: rows.length } satisfies SampleTaskOutput;
  }
  const t: BatchTaskInput = task;
  const schema = t.schema !== undefined ? schemaFor(t.schema) : runner.outputSchema;
  const options = {
    ...base,
    ...(schema !== undefined ? { schema } : {}),
    ...(t.maxRowsPerBatch !== undefined ? { maxRowsPerBatch: t.maxRowsPerBatch } : {}),
  };
  const out: RecordBatch[] = [];
  let rowsOut = 0;
  let calls = 0;
  try {
    for await (const batch of inputBatches(task)) {
      rowsIn += batch.numRows;
      calls++;
      const before = rowsOut;
      for await (const b of runner.runBatch(batch, options)) {
        out.push(b);
        rowsOut += b.numRows;
      }
      task.progress?.postMessage({ rowsIn: batch.numRows, rowsOut: rowsOut - before });
    }
  } finally {
    task.progress?.close();
  }
  // runBatch refuses a missing schema on the first batch; a read that found no rows must too.
  if (schema === undefined) throw new InvalidOptionError('A batch task needs an output schema: pass schema (Spark DDL) when the payload declares none.', { option: 'schema' });
  const ipc = recordBatchesToIPC(out, schema);
  const output: BatchTaskOutput = { type: 'batch', ipc, rowsIn, rowsOut, calls };
  // Outside a piscina worker (a direct call on the driver) there is no thread to transfer to.
  if (!Piscina.isWorkerThread) return output;
  return Piscina.move(new MovableOutput(output) as unknown as Parameters<typeof Piscina.move>[0]) as unknown as MovableOutput;
}

/**
 * The task handler. Rejects with a `SerializedError` plain object (see
 * `task-protocol.ts`); the driver rebuilds it with `reviveTaskError`.
 */
export default async function piscinaTask(task: TaskInput): Promise<TaskOutput> {
  try {
    return (await runTask(task)) as TaskOutput;
  } catch (e) {
    throw serializeError(e);
  }
}
