/**
 * `runJobOnSpark(jobPath, options)` — `tsapply run job.ts --remote sc://…`: the same
 * job file as on the embedded engine, run on a Spark cluster through Spark Connect.
 *
 * 1. type-check and bundle the job, refuse native addons (before anything is
 *    uploaded), load the definition, build the payload (same code as the local engine);
 * 2. connect, turn `input` into a DataFrame (`spark-input.ts`), set
 *    `spark.sql.execution.arrow.maxRecordsPerBatch` to the job's batchSize (10000 by
 *    default, like the local engine) for the session;
 * 3. infer the output schema on the driver when the job declares none;
 * 4. upload shim, worker and payload once per session and plan MapPartitions (or
 *    GroupMap with `groupBy`);
 * 5. write the output with Spark (`df.write.format(…).mode(…).save(path)`; `arrow`
 *    has no Spark writer, so its results stream to the driver and tsapply's writer),
 *    or stream the results to the driver and show a table.
 * Errors from the executors come back as the user's error (see translate-error.ts).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { assertNoNativeAddons, assertTypechecks, bundleJob } from '@tsapply/bundler';
import { parseDDL, toDDL, type OutputFormat } from '@tsapply/common';
import { col, interruptOnSigint, SparkSession, type DataFrame, type ProgressEvent } from '@tsapply/spark-connect';
import { loadJobDefinition } from '../engine/load-job.js';
import { preparePayload } from '../engine/prepare-payload.js';
import { InvalidOptionError } from '../errors.js';
import { DatasetWriter, OUTPUT_FORMATS } from '../io/writers/dataset-writer.js';
import { ShowWriter } from '../io/writers/show-writer.js';
import { inferOutputSchema, inferredSchemaNote } from './infer-output-schema.js';
import { executorPythonVersion } from './python-version.js';
import type { JobRunOptions } from '../run-options.js';
import { shipPayload } from './ship-payload.js';
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
  output: { path: string | null; format: OutputFormat | 'table' };
  elapsedMs: number;
  schema: string;
  schemaInferred: boolean;
  /** The executors' Python version the plan was built for. */
  pythonVer: string;
}

const KEYS = ['remote', 'spark', 'serializer', 'output', 'format', 'overwrite', 'show', 'typecheck', 'quiet', 'pythonVer', 'stdout', 'stderr', 'onProgress', 'interruptOnSigint'];
const DEFAULT_BATCH_SIZE = 10_000;
const SPARK_FORMAT: Record<OutputFormat, string | undefined> = { parquet: 'parquet', csv: 'csv', jsonl: 'json', arrow: undefined };

function validate(o: SparkRunOptions): void {
  for (const k of Object.keys(o)) {
    if (!KEYS.includes(k)) throw new InvalidOptionError(`Invalid option in runJobOnSpark(): "${k}". Valid options: ${KEYS.join(', ')}.`, { option: k });
  }
  if (o.format !== undefined && !OUTPUT_FORMATS.includes(o.format)) {
    throw new InvalidOptionError(`options.format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}.`, { option: 'format' });
  }
  if (o.show !== undefined && (!Number.isInteger(o.show) || o.show < 0)) {
    throw new InvalidOptionError(`options.show must be a non-negative integer, got ${String(o.show)}.`, { option: 'show' });
  }
  if (o.spark === undefined && !(o.remote ?? process.env.SPARK_REMOTE)) {
    throw new InvalidOptionError('runJobOnSpark() needs a Spark Connect URL: pass remote: \'sc://host:port\' (--remote) or set SPARK_REMOTE.', { option: 'remote' });
  }
}

/** Runs a job file on Spark. Rejects with the user's error (UserCodeError …) or a SparkError. */
export async function runJobOnSpark(jobPath: string, options: SparkRunOptions = {}): Promise<SparkRunSummary> {
  const started = Date.now();
  validate(options);
  const cwd = process.cwd();
  const entry = resolve(cwd, jobPath);
  const stderr = options.stderr ?? process.stderr;
  const note = (text: string) => {
    if (!options.quiet) stderr.write(`${text}\n`);
  };

  // Bundle first: esbuild reports syntax errors precisely, before the type-checker would.
  const bundle = await bundleJob(entry, { cwd });
  if (options.typecheck ?? true) await assertTypechecks(entry, { cwd, cache: true });
  assertNoNativeAddons(bundle, 'Spark executors');
  registerSourceRoot(bundle.sourceRoot);
  const job = loadJobDefinition(bundle, jobPath);
  const batchSize = job.batchSize ?? DEFAULT_BATCH_SIZE;
  const declared = job.schema !== undefined ? toDDL(parseDDL(job.schema)) : null;

  const outPath = options.output !== undefined ? resolve(cwd, options.output) : job.output ? resolve(dirname(entry), job.output.path) : undefined;
  const format: OutputFormat | undefined = outPath ? (options.format ?? job.output?.format ?? formatFromPath(outPath) ?? 'parquet') : undefined;
  const mode = options.overwrite || job.output?.mode === 'overwrite' ? 'overwrite' : 'error';
  if (outPath) await DatasetWriter.checkTarget({ path: outPath, format: format!, mode });
  // A failed Spark write leaves its directory (with _temporary/) behind; remove it when
  // this job created it, so a failed run leaves nothing, as on the embedded engine.
  const createdOutput = outPath !== undefined && !existsSync(outPath);

  const payload = await preparePayload(bundle, job, { serializer: options.serializer ?? 'fast', cwd, schema: declared });
  const spark = options.spark ?? (await SparkSession.connect(options.remote ?? process.env.SPARK_REMOTE));
  const onProgress = (p: ProgressEvent) => options.onProgress?.(summarizeProgress(p));
  spark.on('progress', onProgress);
  const releaseSigint = options.interruptOnSigint
    ? interruptOnSigint(spark, () => stderr.write('\nInterrupting the job on Spark… (Ctrl-C again to exit at once)\n'))
    : undefined;
  let pythonVer: string | undefined;
  try {
    // Finding the executors' Python version runs a small Spark job; start it now so it
    // overlaps the input plan, schema inference and the uploads (shipPayload awaits it).
    const pythonVerProbe = executorPythonVersion(spark, options.pythonVer);
    pythonVerProbe.catch(() => undefined); // reported where shipPayload awaits it, not as unhandled
    await spark.conf.set('spark.sql.execution.arrow.maxRecordsPerBatch', String(batchSize));
    const { sparkInput } = await import('./spark-input.js');
    const input = await sparkInput(spark, job.input, dirname(entry));
    const groupColumns = job.groupBy ? [...job.groupBy] : undefined;

    let ddl = declared;
    if (ddl === null) {
      const schema = await inferOutputSchema(input, { payloadPath: payload.path, ...(groupColumns ? { groupColumns } : {}), what: jobPath });
      ddl = toDDL(schema);
      note(inferredSchemaNote(schema, "schema: '%s' to the job"));
    }
    const shipped = await shipPayload(spark, payload, {
      mode: groupColumns ? 'grouped' : 'map',
      schemaDDL: ddl,
      ...(groupColumns ? { groupColumns } : {}),
      functionName: `tsapply:${jobPath}`,
      pythonVer: pythonVerProbe,
    });
    pythonVer = shipped.plan.pythonVer;
    const result: DataFrame = groupColumns
      ? await groupMapPlan(input, groupColumns.map((c) => col(c).toProto()), shipped.plan)
      : await mapPartitionsPlan(input, { ...shipped.plan, barrier: false });

    let rowsOut: number;
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
    } else {
      const show = new ShowWriter(parseDDL(ddl), options.show ?? 20);
      for await (const b of result.toLocalIterator()) show.write(b);
      rowsOut = show.rowCount;
      (options.stdout ?? process.stdout).write(show.render());
    }
    return {
      engine: 'spark',
      remote: spark.client.address,
      sparkVersion: await spark.version,
      rowsOut,
      payload: { hash: payload.hash, bytes: payload.bytes, serializer: payload.serializer },
      uploads: shipped.uploaded.length,
      uploadedBytes: shipped.uploadedBytes,
      output: outPath ? { path: outPath, format: format! } : { path: null, format: 'table' },
      elapsedMs: Date.now() - started,
      schema: ddl,
      schemaInferred: declared === null,
      pythonVer,
    };
  } catch (e) {
    if (createdOutput && format !== 'arrow') await rm(outPath!, { recursive: true, force: true }).catch(() => undefined);
    throw translateSparkError(e, { sourceRoot: bundle.sourceRoot, cwd }, pythonVer);
  } finally {
    releaseSigint?.();
    spark.off('progress', onProgress);
    if (options.spark === undefined) await spark.stop().catch(() => undefined);
  }
}

function formatFromPath(path: string): OutputFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return (['parquet', 'csv', 'jsonl', 'arrow'] as const).find((f) => f === ext);
}
