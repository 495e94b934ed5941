/**
 * One path from a job file to an engine. Both engines (`runJob`, `runJobOnSpark`)
 * prepare a job here, in this order, so the same job fails the same way on both:
 *
 * 1. bundle (esbuild reports syntax errors precisely, before the type-checker would);
 * 2. type-check (unless `typecheck: false`);
 * 3. native addons: refused for Spark before anything is uploaded, noted locally;
 * 4. load the job and check its shape once (`loadJobDefinition`);
 * 5. the declared schema, parsed once (a DDL error names the position);
 * 6. the output target: path, format and mode, refusing unsafe paths and an existing
 *    one without overwrite — before any work is done;
 * 7. the payload (context refused if unshippable, serializer resolved, stored by hash).
 *
 * An inline job (a job object of the running script, `inline-job.ts`) skips 1–4: its
 * shape was checked and its functions captured at the call; they are bundled with the
 * payload at 7, as `mapInArrow`'s functions are.
 *
 * The schema, when not declared, is inferred later by the engine from the first
 * results (`output-schema.ts`), since only the engine can run the function.
 */
import { dirname, resolve } from 'node:path';
import type * as arrow from 'apache-arrow';
import { assertNoNativeAddons, assertTypechecks, bundleJob, type JobBundle } from '@tsapply/bundler';
import { InvalidOptionError, parseDDL, toDDL, type JobDefinition } from '@tsapply/common';
import { DatasetWriter } from '../io/writers/dataset-writer.js';
import type { ResolvedJobRunOptions } from '../run-options.js';
import { buildFunctionPayload } from '../spark/function-payload.js';
import type { InlineJob } from './inline-job.js';
import { loadJobDefinition } from './load-job.js';
import { resolveOutputTarget, type OutputTarget } from './output-target.js';
import { preparePayload, type PreparedPayload } from './prepare-payload.js';

/** Rows per call without groupBy, on both engines, unless the job sets batchSize. */
export const DEFAULT_BATCH_SIZE = 10_000;

export interface PreparedJob {
  /** The job file as the user named it, or "the job passed to runJob()" (for messages). */
  jobPath: string;
  /** The folder the job's relative paths are resolved against: the job file's, or that of the script an inline job is written in. */
  baseDir: string;
  bundle: JobBundle;
  job: JobDefinition;
  batchSize: number;
  /** The declared schema, parsed; undefined when it is to be inferred. */
  declared: arrow.Schema | undefined;
  /** The declared schema as normalised DDL, or null. */
  declaredDDL: string | null;
  /** Where results go; undefined shows them as a table. */
  output: OutputTarget | undefined;
  payload: PreparedPayload;
}

/**
 * Prepares a job for `engine`: a job file's path, or an inline job already captured
 * (`inline-job.ts`); `note` prints a line to the user (stderr, unless quiet). Rejects
 * with the same error class and message on both engines.
 */
export async function prepareJob(
  source: string | InlineJob,
  options: ResolvedJobRunOptions,
  engine: 'local' | 'spark',
  note: (text: string) => void,
): Promise<PreparedJob> {
  if (typeof source !== 'string') return prepareInlineJob(source, options, engine, note);
  const cwd = process.cwd();
  const entry = resolve(cwd, source);
  const bundle = await bundleJob(entry, { cwd });
  if (options.typecheck) await assertTypechecks(entry, { cwd, cache: true, onConfig: options.onTypecheckConfig });
  checkNativeAddons(bundle, engine, note);
  const job = loadJobDefinition(bundle, source);
  const { declared, declaredDDL, output } = await prepareTarget(job, options, engine, entry);
  const payload = await preparePayload(bundle, job, { serializer: options.serializer, cwd, schema: declaredDDL });
  return { jobPath: source, baseDir: dirname(entry), bundle, job, batchSize: job.batchSize ?? DEFAULT_BATCH_SIZE, declared, declaredDDL, output, payload };
}

/**
 * An inline job: its functions were captured at the call; they are bundled into the
 * payload here, as `mapInArrow`'s are. There is no file to type-check (the script is
 * already running). Its relative paths are read from the folder of the file it was
 * written in, as a job file's are — so a job object imported from a job file reads what
 * that file reads; at the REPL or in a notebook, the current folder.
 */
async function prepareInlineJob(inline: InlineJob, options: ResolvedJobRunOptions, engine: 'local' | 'spark', note: (text: string) => void): Promise<PreparedJob> {
  const { job } = inline;
  const { declared, declaredDDL, output } = await prepareTarget(job, options, engine, inline.file);
  const { payload, bundle } = await buildFunctionPayload(inline.plan, {
    context: job.context,
    serializer: options.serializer,
    schema: declaredDDL,
    ...(job.groupBy ? { groupBy: job.groupBy } : {}),
    ...(job.batchSize !== undefined ? { batchSize: job.batchSize } : {}),
    engine,
    note,
  });
  const batchSize = job.batchSize ?? DEFAULT_BATCH_SIZE;
  return { jobPath: inline.label, baseDir: dirname(inline.file), bundle, job, batchSize, declared, declaredDDL, output, payload };
}

/**
 * The declared schema, parsed once (a DDL error names the position), and the output
 * target, checked before any work is done: both kinds of job, the same way.
 */
async function prepareTarget(job: JobDefinition, options: ResolvedJobRunOptions, engine: 'local' | 'spark', jobFile: string) {
  const declared = job.schema !== undefined ? parseDDL(job.schema) : undefined;
  const declaredDDL = declared ? toDDL(declared) : null;
  if (options.collect && (options.output !== undefined || job.output !== undefined)) {
    const given = options.output !== undefined ? `options.output ("${options.output}")` : `the job's output.path ("${job.output!.path}")`;
    throw new InvalidOptionError(
      `collect: true returns the results to you as summary.table, and ${given} writes them to a folder: choose one. Remove collect, or the output.`,
      { option: 'collect' },
    );
  }
  const output = resolveOutputTarget({
    output: options.output,
    format: options.format,
    overwrite: options.overwrite,
    jobOutput: job.output,
    input: job.input,
    jobFile,
    cwd: process.cwd(),
    engine,
  });
  if (output && !output.remote) await DatasetWriter.checkTarget({ path: output.path, format: output.format, mode: output.mode });
  return { declared, declaredDDL, output };
}

/**
 * Native addons in a bundle: refused for Spark (one error naming each, before anything
 * is uploaded), a note on the embedded engine, which loads them from node_modules.
 * Every bundle that reaches an engine — job files and shipped functions — passes here.
 */
export function checkNativeAddons(bundle: JobBundle, engine: 'local' | 'spark', note: (text: string) => void): void {
  if (engine === 'spark') assertNoNativeAddons(bundle, 'Spark executors');
  else if (bundle.nativeAddons.length > 0) {
    note(
      `Note: the job imports native addons (${bundle.nativeAddons.map((a) => `${a.name}@${a.version}`).join(', ')}); ` +
        `the embedded engine loads them from node_modules, but they cannot be shipped to Spark executors.`,
    );
  }
}
