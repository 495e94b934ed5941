/**
 * A job written in the running script instead of a file of its own:
 * `runJob(defineJob({ input, apply, … }))`, for a script or a notebook that keeps its
 * functions inline. The job's data fields (input, schema, groupBy, output, batchSize,
 * taskTimeoutMs) are read here on the driver, as a job file's are; its functions (apply,
 * init) travel as `mapInArrow(fn)`'s do: captured by value at the call with what they
 * use (`closures/`), or shipped as their module when they are exports of another one.
 *
 * Capture must happen at the user's call, before any `await`, so that captured variables
 * hold the values they had then: `captureInlineJob` is synchronous and the engines call
 * it first thing.
 */
import { InvalidOptionError, shownValue, type JobDefinition } from '@tsapply/common';
import { checkJobDefinition } from '@tsapply/worker-runtime';
import { SPARK, WORKER_THREADS } from '../closures/capture.js';
import { planFunction, type FunctionPlan } from '../spark/function-payload.js';

export interface InlineJob {
  /** The job object, its shape checked. */
  job: JobDefinition;
  /** How apply (and init) travel, decided at the call. */
  plan: FunctionPlan;
  /** How messages name the job: "the job passed to runJob()". */
  label: string;
  /**
   * The file `apply` was written in (the script, or the module a job object was imported
   * from); at the REPL or in a notebook, a name in the current folder.
   */
  file: string;
}

/** Checks the job's shape and captures its functions; throws the errors a job file would. */
export function captureInlineJob(job: unknown, entry: string, engine: 'local' | 'spark'): InlineJob {
  const label = `the job passed to ${entry}`;
  const checked = checkJobDefinition({ default: job }, entry, { requireInput: true, subject: `The job passed to ${entry}` });
  const plan = planFunction(checked.apply, checked.init, engine === 'spark' ? SPARK : WORKER_THREADS);
  return { job: checked, plan, label, file: plan.mode === 'export' ? plan.file : plan.anchor };
}

/**
 * What `runJob` and `runJobOnSpark` take: a job file's path or a job object of the running
 * script, typed by its context and init state as `defineJob` types it.
 */
export type JobSource<Context = unknown, State = unknown> = string | JobDefinition<Context, State>;

/**
 * The job a caller handed over, as the engines prepare it: a path stays a path; an object
 * is captured now (synchronously); anything else is refused with what to pass.
 */
export function jobSource(source: unknown, entry: string, engine: 'local' | 'spark'): string | InlineJob {
  if (typeof source === 'string') return source;
  if (typeof source === 'object' && source !== null && !Array.isArray(source)) return captureInlineJob(source, entry, engine);
  throw new InvalidOptionError(
    `${entry} takes a job file's path ('jobs/clean.ts') or a job object (defineJob({ input, apply })), got ${shownValue(source)}.`,
    { option: 'job' },
  );
}
