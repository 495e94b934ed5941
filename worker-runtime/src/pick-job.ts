/**
 * Picks the callable job out of an evaluated bundle's `module.exports` and checks its
 * shape, so a wrong job file fails once, at load, with a message naming the file —
 * not with "undefined is not a function" on every batch.
 *
 * Payload kinds:
 * - `'job'`: a job file; the job is `module.exports.default` (`export default defineJob({…})`).
 * - `'function'`: a module exporting a plain `apply`-like function (`df.mapInArrow(fn)`);
 *   `meta.exportName` names it, and `meta.initExportName` (optional) names its `init`.
 */
import type { ApplyContext, ApplyResult, Batch, PayloadMeta } from '@tsapply/common';
import { JobShapeError } from './errors.js';
import { displaySource } from './source-mapper.js';

/** The parts of a job the runtime calls. */
export interface RunnableJob {
  init?: (context: unknown) => unknown;
  apply: (batch: Batch, ctx: ApplyContext) => ApplyResult | Promise<ApplyResult>;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' || t === 'undefined' ? (t === 'object' ? 'an object' : 'undefined') : `a ${t}`;
}

function exportList(exports: object): string {
  const names = Object.keys(exports).filter((k) => k !== '__esModule');
  return names.length === 0 ? 'It exports nothing.' : `Exports found: ${names.join(', ')}.`;
}

export function pickJob(exports: unknown, meta: PayloadMeta): RunnableJob {
  const file = displaySource(meta.sourceFile);
  const mod = (typeof exports === 'object' || typeof exports === 'function') && exports !== null ? (exports as Record<string, unknown>) : {};
  if (meta.kind === 'function') return pickFunction(mod, meta, file);
  if (meta.kind !== 'job') {
    throw new JobShapeError(`Unknown payload kind ${JSON.stringify(meta.kind)} for ${file}; expected 'job' or 'function'. Rebuild the payload with this tsapply version.`, { file, exportName: String(meta.exportName) });
  }
  const job = mod.default;
  if (job === undefined) {
    throw new JobShapeError(
      `Job file ${file} has no default export. A job file must export its job: export default defineJob({ input, apply(batch, ctx) { … } }). ${exportList(mod)}`,
      { file, exportName: 'default' },
    );
  }
  if (typeof job !== 'object' || job === null || Array.isArray(job)) {
    throw new JobShapeError(
      `The default export of ${file} is ${typeName(job)}, not a job definition. Export an object: export default defineJob({ input, apply(batch, ctx) { … } }).`,
      { file, exportName: 'default' },
    );
  }
  const { apply, init } = job as { apply?: unknown; init?: unknown };
  if (typeof apply !== 'function') {
    throw new JobShapeError(
      `The job in ${file} has no apply() function: "apply" is ${typeName(apply)}. Add apply(batch, ctx) { … } to defineJob({ … }).`,
      { file, exportName: 'default' },
    );
  }
  if (init !== undefined && typeof init !== 'function') {
    throw new JobShapeError(
      `The job in ${file} has an "init" that is ${typeName(init)}, not a function. Use init: (context) => state, or remove it.`,
      { file, exportName: 'default' },
    );
  }
  // Call through the job object so `this` inside apply/init is the job, as users expect from methods.
  return {
    apply: (batch, ctx) => (apply as RunnableJob['apply']).call(job, batch, ctx),
    ...(init !== undefined ? { init: (context: unknown) => (init as (c: unknown) => unknown).call(job, context) } : {}),
  };
}

function pickFunction(mod: Record<string, unknown>, meta: PayloadMeta, file: string): RunnableJob {
  const name = meta.exportName;
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new JobShapeError(
      fn === undefined
        ? `${file} has no export named "${name}". ${exportList(mod)} Export the function you pass to tsapply: export function ${name}(batch, ctx) { … }.`
        : `Export "${name}" of ${file} is ${typeName(fn)}, not a function.`,
      { file, exportName: name },
    );
  }
  const initName = typeof meta.initExportName === 'string' ? meta.initExportName : undefined;
  let init: RunnableJob['init'];
  if (initName !== undefined) {
    const f = mod[initName];
    if (typeof f !== 'function') {
      throw new JobShapeError(`init export "${initName}" of ${file} is ${typeName(f)}, not a function. ${exportList(mod)}`, { file, exportName: initName });
    }
    init = f as RunnableJob['init'];
  }
  return { apply: fn as RunnableJob['apply'], ...(init !== undefined ? { init } : {}) };
}
