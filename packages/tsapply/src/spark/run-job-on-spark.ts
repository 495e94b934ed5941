/**
 * `runJobOnSpark(job, options)` — `tsapply run job.ts --remote sc://…`: the same
 * job file as on the embedded engine, run on a Spark cluster through Spark Connect.
 *
 * 1. prepare the job as every engine does (`job/prepare-job.ts`: bundle, type-check,
 *    refuse native addons before anything is uploaded, load, resolve the output, build
 *    the payload);
 * 2. connect, turn `input` into a DataFrame (`spark-input.ts`), set
 *    `spark.sql.execution.arrow.maxRecordsPerBatch` to the job's batchSize (10000 by
 *    default, like the local engine) for the session;
 * 3. infer the output schema on the driver when the job declares none;
 * 4. upload shim, worker and payload once per session and plan MapPartitions (or
 *    the same over a shuffle and sort by the group columns with `groupBy`);
 * 5. write the output with Spark (`df.write.format(…).mode(…).save(path)`; `arrow`
 *    has no Spark writer, so its results stream to the driver and tsapply's writer),
 *    or stream the results to the driver and show a table.
 * Errors from the executors come back as the user's error (see translate-error.ts).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { InvalidOptionError, parseDDL, readOptions, toDDL, type OptionReader, type OutputFormat } from '@tsapply/common';
import { col, interruptOnSigint, SparkSession, type DataFrame, type ProgressEvent } from '@tsapply/spark-connect';
import { inferredSchemaNote } from '../job/output-schema.js';
import { jobSource, type JobSource } from '../job/inline-job.js';
import { prepareJob } from '../job/prepare-job.js';
import { DatasetWriter } from '../io/writers/dataset-writer.js';
import { ShowWriter } from '../io/writers/show-writer.js';
import { inferOutputSchema } from './infer-output-schema.js';
import { quoteColumnName } from './column-identifier.js';
import { executorPythonVersion } from './python-version.js';
import { connectForJobFile } from './install-methods.js';
import { JOB_RUN_KEYS, readJobRunOptions, type JobRunOptionKey, type JobRunOptions } from '../run-options.js';
import { shipPayload, type ShippedPayload } from './ship-payload.js';
import { checkApplyOptions, SHIP_KEYS, shipSettings } from './apply-options.js';
import type { ExecutorNodeChoice } from './executor-node/executor-node.js';
import { summarizeProgress, type SparkRunProgress } from './spark-progress.js';
import { registerSourceRoot, translateSparkError } from './translate-error.js';
import { groupMapPlan, mapPartitionsPlan } from './udf-plan.js';

/** Options of `runJobOnSpark()`: the engine-independent ones plus where Spark is. */
export interface SparkRunOptions extends JobRunOptions {
  /** Spark Connect URL (`sc://host:port/;token=…`). @default $SPARK_REMOTE */
  remote?: string;
  /** An open session to run in (then `remote` is ignored and the session is left open). */
  spark?: SparkSession;
  /** Executors' Python `major.minor`. @default $TSAPPLY_PYTHON_VER, else detected */
  pythonVer?: string;
  /** Which node the executors run ('auto', 'ship', 'local' or a path there). @default $TSAPPLY_EXECUTOR_NODE, else 'auto' */
  executorNode?: ExecutorNodeChoice;
  /** Ship this Node version from the registry. @default the driver's own node when it fits */
  executorNodeVersion?: string;
  /** Called with every ExecutionProgress report (tasks done / total). */
  onProgress?: (progress: SparkRunProgress) => void;
  /**
   * Ctrl-C interrupts the job on the cluster (Spark's `Interrupt`), not only this
   * process; a second Ctrl-C exits at once. For CLIs. @default false
   */
  interruptOnSigint?: boolean;
}

/** What `runJobOnSpark` resolves to (and `tsapply run --remote --json` prints). */
export interface SparkRunSummary {
  engine: 'spark';
  /** The server, as `sc://host:port`. */
  remote: string;
  sparkVersion: string;
  rowsOut: number;
  payload: { hash: string; bytes: number; serializer: string };
  /** Artifacts uploaded by this job (0 when the session already had them all). */
  uploads: number;
  uploadedBytes: number;
  /** As `RunSummary.output`: a directory, the stdout table, or `table` below with `collect`. */
  output: { path: string | null; format: OutputFormat | 'table' | 'collected' };
  /** With `collect: true`: every result row (`DataFrame.toArrow()` of the job's result). */
  table?: arrow.Table;
  elapsedMs: number;
  schema: string;
  schemaInferred: boolean;
  /** The executors' Python version the plan was built for. */
  pythonVer: string;
  /** The executors' Node: their own, or a runtime tsapply shipped (its bytes, the upload's). */
  executorNode: ShippedPayload['executorNode'];
}

const KEYS = ['remote', 'spark', ...JOB_RUN_KEYS, ...SHIP_KEYS, 'stdout', 'stderr', 'onProgress', 'interruptOnSigint'] as const;
const SPARK_FORMAT: Record<OutputFormat, string | undefined> = { parquet: 'parquet', csv: 'csv', jsonl: 'json', arrow: undefined };

/** Validates the options once (unknown keys and wrong types are errors) and fills defaults. */
function resolveSparkRunOptions(options: SparkRunOptions | undefined) {
  const o = readOptions('runJobOnSpark()', options, KEYS);
  const spark = o.get('spark');
  if (spark !== undefined && (typeof spark !== 'object' || spark === null || typeof (spark as SparkSession).range !== 'function')) {
    o.fail('spark', 'an open SparkSession (from SparkSession.connect())');
  }
  const remote = o.string('remote', "a Spark Connect URL such as 'sc://host:15002'");
  if (spark === undefined && !(remote ?? process.env.SPARK_REMOTE)) {
    throw new InvalidOptionError("runJobOnSpark() needs a Spark Connect URL: pass remote: 'sc://host:port' (--remote) or set SPARK_REMOTE.", { option: 'remote' });
  }
  const ship = checkApplyOptions(Object.fromEntries(SHIP_KEYS.filter((k) => o.has(k)).map((k) => [k, o.get(k)])), SHIP_KEYS, 'runJobOnSpark');
  return {
    ...readJobRunOptions(o as OptionReader<JobRunOptionKey>),
    spark: spark as SparkSession | undefined,
    remote: remote ?? process.env.SPARK_REMOTE,
    ship,
    onProgress: o.function<(p: SparkRunProgress) => void>('onProgress'),
    interruptOnSigint: o.boolean('interruptOnSigint') ?? false,
  };
}

/**
 * Runs a job on Spark: a job file's path, or a job object of the running script (its
 * functions captured at this call). Rejects with the user's error (UserCodeError …) or a
 * SparkError.
 */
export async function runJobOnSpark<Context = unknown, State = unknown>(job: JobSource<Context, State>, options?: SparkRunOptions): Promise<SparkRunSummary> {
  const started = Date.now();
  const opts = resolveSparkRunOptions(options);
  // Before any await: an inline job's functions are captured with the values they have now.
  const source = jobSource(job, 'runJobOnSpark()', 'spark');
  const cwd = process.cwd();
  const stderr = opts.stderr;
  const note = (text: string) => {
    if (!opts.quiet) stderr.write(`${text}\n`);
  };

  const prepared = await prepareJob(source, opts, 'spark', note);
  const { bundle, job: definition, batchSize, declaredDDL: declared, payload, jobPath } = prepared;
  registerSourceRoot(bundle.sourceRoot);
  const target = prepared.output;
  const outPath = target?.path;
  const format = target?.format;
  const mode = target?.mode ?? 'error';
  // A failed Spark write leaves its directory (with _temporary/) behind; remove it when
  // this job created it, so a failed run leaves nothing, as on the embedded engine.
  const createdOutput = target !== undefined && !target.remote && !existsSync(target.path);

  const spark = opts.spark ?? (await connectForJobFile(() => SparkSession.connect(opts.remote)));
  const onProgress = (p: ProgressEvent) => opts.onProgress?.(summarizeProgress(p));
  spark.on('progress', onProgress);
  const releaseSigint = opts.interruptOnSigint
    ? interruptOnSigint(spark, () => stderr.write('\nInterrupting the job on Spark… (Ctrl-C again to exit at once)\n'))
    : undefined;
  let pythonVer: string | undefined;
  try {
    // Finding the executors' Python version runs a small Spark job; start it now so it
    // overlaps the input plan, schema inference and the uploads (shipPayload awaits it).
    const pythonVerProbe = executorPythonVersion(spark, opts.ship.pythonVer);
    pythonVerProbe.catch(() => undefined); // reported where shipPayload awaits it, not as unhandled
    await spark.conf.set('spark.sql.execution.arrow.maxRecordsPerBatch', String(batchSize));
    const { sparkInput } = await import('./spark-input.js');
    const input = await sparkInput(spark, definition.input, prepared.baseDir);
    const groupColumns = definition.groupBy ? [...definition.groupBy] : undefined;

    let ddl = declared;
    if (ddl === null) {
      const schema = await inferOutputSchema(input, { payloadPath: payload.path, ...(groupColumns ? { groupColumns } : {}), what: jobPath, where: 'to the job' });
      ddl = toDDL(schema);
      note(inferredSchemaNote(schema, 'to the job'));
    }
    const shipped = await shipPayload(spark, payload, {
      mode: groupColumns ? 'grouped' : 'map',
      schemaDDL: ddl,
      ...(groupColumns ? { groupColumns } : {}),
      functionName: `tsapply:${jobPath}`,
      ...shipSettings(opts.ship),
      ...(opts.ship.taskTimeoutMs === undefined && definition.taskTimeoutMs !== undefined ? { taskTimeoutMs: definition.taskTimeoutMs } : {}),
      pythonVer: pythonVerProbe,
      note,
    });
    pythonVer = shipped.plan.pythonVer;
    const result: DataFrame = groupColumns
      ? await groupMapPlan(input, groupColumns.map((c) => col(quoteColumnName(c)).toProto()), shipped.plan)
      : await mapPartitionsPlan(input, { ...shipped.plan, barrier: false });

    let rowsOut: number;
    let table: arrow.Table | undefined;
    if (outPath && format !== 'arrow') {
      const writer = result.write.format(SPARK_FORMAT[format!]!).mode(mode === 'overwrite' ? 'overwrite' : 'error');
      if (format === 'csv') writer.option('header', true);
      await writer.save(outPath);
      rowsOut = await spark.read.format(SPARK_FORMAT[format!]!).option('header', true).load(outPath).count();
    } else if (outPath) {
      const schema = parseDDL(ddl);
      const writer = await DatasetWriter.open({ path: outPath, format: format!, mode }, schema);
      rowsOut = 0;
      try {
        for await (const b of result.toLocalIterator()) {
          rowsOut += b.numRows;
          await writer.write(0, b);
        }
        await writer.commit();
      } catch (e) {
        await writer.abort();
        throw e;
      }
    } else if (opts.collect) {
      table = await result.toArrow();
      rowsOut = table.numRows;
    } else {
      const show = new ShowWriter(parseDDL(ddl), opts.show);
      for await (const b of result.toLocalIterator()) show.write(b);
      rowsOut = show.rowCount;
      opts.stdout.write(show.render());
    }
    return {
      engine: 'spark',
      remote: spark.client.address,
      sparkVersion: await spark.version,
      rowsOut,
      payload: { hash: payload.hash, bytes: payload.bytes, serializer: payload.serializer },
      uploads: shipped.uploaded.length,
      uploadedBytes: shipped.uploadedBytes,
      output: outPath ? { path: outPath, format: format! } : { path: null, format: opts.collect ? 'collected' : 'table' },
      ...(table ? { table } : {}),
      elapsedMs: Date.now() - started,
      schema: ddl,
      schemaInferred: declared === null,
      pythonVer,
      executorNode: shipped.executorNode,
    };
  } catch (e) {
    if (createdOutput && format !== 'arrow') await rm(outPath!, { recursive: true, force: true }).catch(() => undefined);
    throw translateSparkError(e, { sourceRoot: bundle.sourceRoot, cwd }, pythonVer);
  } finally {
    releaseSigint?.();
    spark.off('progress', onProgress);
    if (opts.spark === undefined) await spark.stop().catch(() => undefined);
  }
}
