/**
 * The embedded engine: `runJob(job, options)` runs a job (a job file, or a job object of
 * the running script) on this machine.
 *
 * 1–2. prepare the job as every engine does (`job/prepare-job.ts`): bundle,
 *    type-check, load, resolve the output, build the payload;
 * 3. cut the input into contiguous partitions: as splits the worker threads read
 *    themselves where the format allows it (Parquet row groups, range ids, CSV and JSON
 *    Lines records from checkpoints: the driver then decodes no input), else as Arrow
 *    record batches the driver streams (or gather whole groups with `groupBy`);
 * 4. run `apply` on a piscina pool with a bounded number of tasks in flight
 *    (backpressure: the reader is not pulled while the pool is full), collecting
 *    results in input order;
 * 5. write a Spark-style output directory (atomically) or show a table on stdout.
 *
 * Without a declared `schema`, the first batch's rows are sampled through the worker
 * runtime, the schema is inferred from them (`inferSchema`) and printed as DDL so the
 * user can pin it.
 */
import * as arrow from 'apache-arrow';
import { rowsToRecordBatch, toDDL, type OutputFormat } from '@tsapply/common';
import { openInput } from '../io/open-input.js';
import { DatasetWriter } from '../io/writers/dataset-writer.js';
import { ShowWriter } from '../io/writers/show-writer.js';
import { resolveRunOptions, type ResolvedRunOptions, type RunOptions } from '../run-options.js';
import { groupBatches } from './group-by.js';
import { inferredSchemaNote, noSampleRowsError, schemaFromSample } from '../job/output-schema.js';
import { jobSource, type JobSource } from '../job/inline-job.js';
import { prepareJob } from '../job/prepare-job.js';
import { cutTask, partitionBatches, partitionSplits, usedPartitions, type Task } from './partitioner.js';
import { TaskPool, type TaskResult } from './task-pool.js';
import { JobInterruptedError } from '../errors.js';

/** What `runJob` resolves to (and `tsapply run --json` prints). */
export interface RunSummary {
  engine: 'local';
  /** Input rows read. */
  rowsIn: number;
  /** Rows returned by `apply` in total. */
  rowsOut: number;
  /** Tasks run: record batches, or groups with `groupBy`. */
  batches: number;
  /** Partitions that received rows. */
  partitions: number;
  payload: { hash: string; bytes: number; serializer: string };
  /**
   * Where results went: a directory (`path`, `format`), the stdout table (`path: null`,
   * `format: 'table'`) or, with `collect`, `table` below (`format: 'collected'`).
   */
  output: { path: string | null; format: OutputFormat | 'table' | 'collected' };
  /** With `collect: true`: every result row, in input order. */
  table?: arrow.Table;
  elapsedMs: number;
  /** Output schema as Spark DDL (declared or inferred). */
  schema: string;
  /** True when `schema` was inferred from the first results. */
  schemaInferred: boolean;
  /** Native addons the job imports (loaded from node_modules; local engine only). */
  nativeAddons: { name: string; version: string }[];
}

/**
 * Runs a job on the embedded engine: a job file's path, or a job object of the running
 * script (`defineJob({ input, apply })`, its functions captured at this call). Rejects
 * with a tsapply error (or the user's error as a `UserCodeError` with the original .ts
 * location); on failure no output is left behind.
 */
export async function runJob<Context = unknown, State = unknown>(job: JobSource<Context, State>, options?: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const opts = resolveRunOptions(options);
  // Before any await: an inline job's functions are captured with the values they have now.
  const source = jobSource(job, 'runJob()', 'local');
  const note = (text: string) => {
    if (!opts.quiet) opts.stderr.write(`${text}\n`);
  };
  const prepared = await prepareJob(source, opts, 'local', note);
  const { bundle, job: definition, batchSize, declared, payload, jobPath } = prepared;
  const target = prepared.output;
  const outPath = target?.path;
  const format = target?.format;
  const mode = target?.mode ?? 'error';
  const input = await openInput(definition.input, { baseDir: prepared.baseDir, batchSize });
  const numPartitions = opts.numPartitions ?? input.numPartitions ?? opts.workers;
  const taskTimeoutMs = opts.taskTimeoutMs ?? definition.taskTimeoutMs;
  /** `p`, or a JobInterruptedError as soon as the run's signal aborts. */
  const untilAborted = <T>(p: Promise<T>): Promise<T> => raceAbort(p, opts.signal);
  const pool = new TaskPool(opts.workers, payload, { taskTimeoutMs, workerMemoryMb: opts.workerMemoryMb });
  let writer: DatasetWriter | undefined;
  try {
    // Workers read splits themselves, except with a task timeout: that bounds one call of
    // `apply`, and a split task makes several, so the driver then feeds single batches.
    const splits = input.splits !== undefined && input.totalRows !== undefined && taskTimeoutMs === undefined ? input.splits : undefined;
    const tasks: AsyncIterable<Task> | Iterable<Task> = definition.groupBy
      ? (await groupBatches(input.batches, input.schema, definition.groupBy, numPartitions)).tasks
      : splits
        ? partitionSplits(splits, { totalRows: input.totalRows!, numPartitions, split: input.split, workers: opts.workers, batchSize })
        : partitionBatches(input.batches, { totalRows: input.totalRows, numPartitions: numPartitions, batchSize, split: input.split });
    const iterator = (Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : (tasks as Iterable<Task>)[Symbol.iterator]()) as
      | AsyncIterator<Task>
      | Iterator<Task>;
    /** A task put back to run after the sample taken from its head. */
    let putBack: Task | undefined;
    const nextTask = async (): Promise<IteratorResult<Task>> => {
      if (putBack === undefined) return iterator.next();
      const value = putBack;
      putBack = undefined;
      return { done: false, value };
    };

    let schema = declared;
    let schemaInferred = false;
    let rowsIn = 0;
    let rowsOut = 0;
    let done = 0;
    const partitions = new Set<number>();
    let show: ShowWriter | undefined;
    const collected: arrow.RecordBatch[] = [];
    // What split tasks not yet written have reported batch by batch: progress before their task ends.
    const unwritten = new Set<BatchCounts>();
    const progress = () => {
      const p = { rowsIn, rowsOut, batches: done, totalRows: input.totalRows };
      for (const c of unwritten) {
        p.rowsIn += c.rowsIn;
        p.rowsOut += c.rowsOut;
        p.batches += c.calls;
      }
      opts.onProgress?.(p);
    };

    const sink = async (partition: number, batch: arrow.RecordBatch) => {
      if (outPath) {
        writer ??= await DatasetWriter.open({ path: outPath, format: format!, mode }, schema!);
        await writer.write(partition, batch);
      } else if (opts.collect) {
        collected.push(batch);
      } else {
        show ??= new ShowWriter(schema!, opts.show);
        show.write(batch);
      }
    };
    const finished = async (t: Task, r: TaskResult, reported?: BatchCounts) => {
      rowsIn += r.rowsIn;
      rowsOut += r.rowsOut;
      done += r.calls;
      if (reported) unwritten.delete(reported);
      partitions.add(t.partition);
      for (const b of r.batches) await sink(t.partition, b);
      progress();
    };

    // Schema inference: sample tasks until one returns rows; their rows are the results.
    // A split is sampled by its first batch only; the rest of it runs as a task of its own.
    while (!schema) {
      const next = await nextTask();
      if (next.done) throw noSampleRowsError({ what: jobPath, sampled: 'the whole input', where: 'to the job' });
      let task = next.value;
      if ('split' in task) {
        const [head, rest] = cutTask(splits!, task, batchSize);
        putBack = rest;
        task = head;
      }
      const sample = await pool.runSample(task, input.schema, batchSize);
      if (sample.rows.length > 0) {
        schema = schemaFromSample(sample.rows, { what: jobPath, sampled: 'its first task', where: 'to the job' });
        schemaInferred = true;
        note(inferredSchemaNote(schema, 'to the job'));
      }
      const batches = sample.rows.length > 0 ? [rowsToRecordBatch(sample.rows, schema!)] : [];
      await finished(task, { batches, rowsIn: sample.rowsIn, rowsOut: sample.rowsOut, calls: 1 });
    }
    const ddl = toDDL(schema);

    // Ordered, bounded pipeline: at most `maxInFlight` tasks run or wait for the
    // writer; the oldest is awaited (and written) before the next batch is read.
    // With a task timeout, no more tasks than threads: a task's time then starts when it
    // does, never while it waits in the pool's queue.
    const maxInFlight = taskTimeoutMs === undefined ? opts.workers * 2 : opts.workers;
    const inFlight: { task: Task; result: Promise<TaskResult>; reported: BatchCounts }[] = [];
    try {
      for (;;) {
        const next = await untilAborted(nextTask());
        if (next.done) break;
        const task = next.value;
        const reported: BatchCounts = { rowsIn: 0, rowsOut: 0, calls: 0 };
        unwritten.add(reported);
        const result = pool.runBatch(task, input.schema, ddl, batchSize, (batchIn, batchOut) => {
          reported.rowsIn += batchIn;
          reported.rowsOut += batchOut;
          reported.calls++;
          progress();
        });
        result.catch(() => undefined); // awaited in order below
        inFlight.push({ task, result, reported });
        if (inFlight.length >= maxInFlight) {
          const head = inFlight.shift()!;
          await finished(head.task, await untilAborted(head.result), head.reported);
        }
      }
      while (inFlight.length > 0) {
        const head = inFlight.shift()!;
        await finished(head.task, await untilAborted(head.result), head.reported);
      }
    } finally {
      // On failure, let running tasks settle before the pool is destroyed; when interrupted,
      // destroying the pool ends them.
      if (!opts.signal?.aborted) await Promise.allSettled(inFlight.map((f) => f.result));
    }

    if (outPath) {
      writer ??= await DatasetWriter.open({ path: outPath, format: format!, mode }, schema);
      await writer.commit();
    } else if (!opts.collect) {
      show ??= new ShowWriter(schema, opts.show);
      opts.stdout.write(show.render());
    }
    return {
      engine: 'local',
      rowsIn,
      rowsOut,
      batches: done,
      partitions: partitions.size || usedPartitions(input.totalRows, numPartitions),
      payload: { hash: payload.hash, bytes: payload.bytes, serializer: payload.serializer },
      output: outPath ? { path: outPath, format: format! } : { path: null, format: opts.collect ? 'collected' : 'table' },
      ...(opts.collect ? { table: collectedTable(schema, collected) } : {}),
      elapsedMs: Date.now() - started,
      schema: ddl,
      schemaInferred,
      nativeAddons: bundle.nativeAddons.map((a) => ({ name: a.name, version: a.version })),
    };
  } catch (e) {
    await writer?.abort();
    throw e;
  } finally {
    await pool.destroy();
  }
}

/**
 * The collected results as one Table. Its batches come from the workers (decoded from IPC)
 * and from the schema sample (built here), each with its own Schema object of the same
 * columns; arrow joins batches only under one schema, so each is given the job's.
 */
function collectedTable(schema: arrow.Schema, batches: arrow.RecordBatch[]): arrow.Table {
  return new arrow.Table(schema, batches.map((b) => new arrow.RecordBatch(schema, b.data)));
}

/** Rows and calls of the batches a running split task has reported so far. */
interface BatchCounts {
  rowsIn: number;
  rowsOut: number;
  calls: number;
}

/** Settles like `p`, or rejects with a JobInterruptedError when `signal` aborts first. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  if (signal.aborted) return Promise.reject(new JobInterruptedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new JobInterruptedError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export type { RunOptions, ResolvedRunOptions };
