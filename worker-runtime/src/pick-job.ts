/**
 * Picks the callable job out of an evaluated bundle's `module.exports` and checks its
 * shape, so a wrong job file fails once, at load, with a message naming the file —
 * not with "undefined is not a function" on every batch.
 *
 * Payload kinds:
 * - `'job'`: a job file; the job is `module.exports.default` (`export default defineJob({…})`),
 *   checked by `checkJobDefinition` — the same check, with the same messages, that
 *   the driver runs before it ships the job (but for `input`, which only the driver
 *   reads). Shipped functions (`df.mapInArrow(fn)`, `parallelize().map(fn)`) come as
 *   such a job too, generated around the function: `{ apply: fn, init }`.
 * - `'function'`: a module exporting a plain `apply`-like function (`df.mapInArrow(fn)`);
 *   `meta.exportName` names it, and `meta.initExportName` (optional) names its `init`.
 *
 * Every problem is a `JobDefinitionError`.
 */
import { JobDefinitionError, USER_APPLY_KEY, type ApplyContext, type ApplyResult, type Batch, type PayloadMeta } from '@tsapply/common';
import { checkJobDefinition, exportList, moduleObject, typeName } from './check-job.js';
import { displaySource } from './source-mapper.js';

/** The parts of a job the runtime calls. */
export interface RunnableJob {
  init?: (context: unknown) => unknown;
  apply: (batch: Batch, ctx: ApplyContext) => ApplyResult | Promise<ApplyResult>;
  /** apply as the user wrote it, for messages that quote its parameters. */
  userApply: unknown;
}

export function pickJob(exports: unknown, meta: PayloadMeta): RunnableJob {
  if (meta.kind === 'function') return pickFunction(moduleObject(exports), meta, displaySource(meta.sourceFile));
  if (meta.kind !== 'job') {
    const file = displaySource(meta.sourceFile);
    throw new JobDefinitionError(
      `Unknown payload kind ${JSON.stringify(meta.kind)} for ${file}; expected 'job' or 'function'. Rebuild the payload with this tsapply version.`,
      { jobFile: file, exportName: String(meta.exportName) },
    );
  }
  // No `input` needed here: the driver refused a job file without one, and the jobs
  // tsapply generates around shipped functions (mapInArrow, parallelize) have none.
  const job = checkJobDefinition(exports, meta.sourceFile, { requireInput: false });
  const { apply, init } = job;
  // Call through the job object so `this` inside apply/init is the job, as users expect from methods.
  return {
    apply: (batch, ctx) => apply.call(job, batch, ctx as never),
    userApply: (job as unknown as Record<symbol, unknown>)[Symbol.for(USER_APPLY_KEY)] ?? apply,
    ...(init !== undefined ? { init: (context: unknown) => init.call(job, context) } : {}),
  };
}

function pickFunction(mod: Record<string, unknown>, meta: PayloadMeta, file: string): RunnableJob {
  const name = meta.exportName;
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new JobDefinitionError(
      fn === undefined
        ? `${file} has no export named "${name}". ${exportList(mod)} Export the function you pass to tsapply: export function ${name}(batch, ctx) { … }.`
        : `Export "${name}" of ${file} is ${typeName(fn)}, not a function.`,
      { jobFile: file, exportName: name },
    );
  }
  const initName = typeof meta.initExportName === 'string' ? meta.initExportName : undefined;
  let init: RunnableJob['init'];
  if (initName !== undefined) {
    const f = mod[initName];
    if (typeof f !== 'function') {
      throw new JobDefinitionError(`init export "${initName}" of ${file} is ${typeName(f)}, not a function. ${exportList(mod)}`, { jobFile: file, exportName: initName });
    }
    init = f as RunnableJob['init'];
  }
  return { apply: fn as RunnableJob['apply'], userApply: fn, ...(init !== undefined ? { init } : {}) };
}
