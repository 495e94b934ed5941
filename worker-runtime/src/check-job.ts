/**
 * The one check of a job's shape. The driver runs it once after evaluating the bundle
 * (before any input is read or anything is shipped) and every worker runs it again
 * when it loads the payload, so a wrong job file fails once, at load, with one
 * `JobDefinitionError` whose message names the file — the same message on both
 * sides — and never with "undefined is not a function" on every batch.
 *
 * It checks every field of `JobDefinition`: the default export is an object with only
 * known fields, an `input` (on the driver), an `apply` function, and — when present — an `init`
 * function, a non-empty DDL `schema` string, a non-empty `groupBy` list of column
 * names, a positive integer `batchSize` and an `output` object with only known fields,
 * a path, a known format and a known mode. What the fields say (whether the input exists, whether the
 * DDL parses) is checked where it is used.
 *
 * @example
 * ```ts
 * const job = checkJobDefinition(evaluateCommonJs(bundle.code, …), 'jobs/score.ts');
 * ```
 */
import { didYouMean, JOB_FIELDS, JobDefinitionError, OUTPUT_FORMATS, shownValue, type JobDefinition, type OutputSpec } from '@tsapply/common';
import { displaySource } from './source-mapper.js';

/** `a string`, `an object`, `an array`, `null`, `undefined`: what a value is, for messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'undefined' : `a ${t}`;
}

/** `module.exports` as an object to look names up in (a primitive exports nothing). */
export function moduleObject(exports: unknown): Record<string, unknown> {
  return (typeof exports === 'object' || typeof exports === 'function') && exports !== null ? (exports as Record<string, unknown>) : {};
}

/** `Exports found: a, b.` or `It exports nothing.` */
export function exportList(mod: Record<string, unknown>): string {
  const names = Object.keys(mod).filter((k) => k !== '__esModule');
  return names.length === 0 ? 'It exports nothing.' : `Exports found: ${names.join(', ')}.`;
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set(JOB_FIELDS);
const OUTPUT_FIELDS: ReadonlySet<string> = new Set(['format', 'path', 'mode'] satisfies (keyof OutputSpec)[]);
const EXAMPLE = 'export default defineJob({ input, apply(batch, ctx) { … } })';

export interface CheckJobOptions {
  /**
   * Refuse a job without `input`. Only the driver reads the input, and the workers also
   * load generated jobs without one (the entry tsapply bundles around a function shipped
   * with `mapInArrow` or `parallelize().map`), so they pass `false`.
   * @default true
   */
  requireInput?: boolean;
  /**
   * How messages name the job, e.g. "The job passed to runJob()" for a job object of the
   * running script. @default "The job in <file>"
   */
  subject?: string;
}

/**
 * Checks the default export of an evaluated job bundle (`exports` is its
 * `module.exports`) and returns it. `file` is the job file, as a path (absolute or
 * relative to the cwd) or a `file:` URL; messages show it relative to the cwd.
 * Throws `JobDefinitionError` with `field` naming what is wrong.
 */
export function checkJobDefinition(exports: unknown, file: string, options: CheckJobOptions = {}): JobDefinition {
  const jobFile = displaySource(file);
  const fail = (message: string, field?: string): never => {
    throw new JobDefinitionError(message, { jobFile, exportName: 'default', ...(field !== undefined ? { field } : {}) });
  };
  const mod = moduleObject(exports);
  const job = mod.default;
  if (job === undefined) {
    fail(`Job file ${jobFile} has no default export. A job file must export its job: ${EXAMPLE}. ${exportList(mod)}`);
  }
  if (typeof job !== 'object' || job === null || Array.isArray(job)) {
    fail(`The default export of ${jobFile} is ${typeName(job)}, not a job definition. Export an object: ${EXAMPLE}.`);
  }
  const j = job as Record<string, unknown>;
  const the = options.subject ?? `The job in ${jobFile}`;
  for (const key of Object.keys(j)) {
    if (!KNOWN_FIELDS.has(key)) fail(`${the} has an unknown field "${key}".${didYouMean(key, JOB_FIELDS)} Valid fields: ${JOB_FIELDS.join(', ')}.`, key);
  }
  if (j.input === undefined && options.requireInput !== false) {
    fail(`${the} has no "input". Add input: { format: 'csv', path: 'data.csv' }, { range: n } or { rows: [...] }.`, 'input');
  }
  if (typeof j.apply !== 'function') {
    fail(`${the} has no apply() function: "apply" is ${typeName(j.apply)}. Add apply(batch, ctx) { … } to defineJob({ … }).`, 'apply');
  }
  if (j.init !== undefined && typeof j.init !== 'function') {
    fail(`${the} has an "init" that is ${typeName(j.init)}, not a function. Use init: (context) => state, or remove it.`, 'init');
  }
  if (j.schema !== undefined && (typeof j.schema !== 'string' || j.schema.trim() === '')) {
    fail(`${the} has a "schema" that is ${shownValue(j.schema)}, not a Spark DDL string. Write schema: 'name string, n bigint', or leave it out to infer the schema.`, 'schema');
  }
  const g = j.groupBy;
  if (g !== undefined && (!Array.isArray(g) || g.length === 0 || g.some((c) => typeof c !== 'string' || c === ''))) {
    const what = Array.isArray(g) ? (g.length === 0 ? 'an empty array' : `an array holding ${shownValue(g.find((c) => typeof c !== 'string' || c === ''))}`) : shownValue(g);
    fail(`${the} has a "groupBy" that is ${what}; it must be a non-empty array of column names, e.g. groupBy: ['weather'].`, 'groupBy');
  }
  if (j.batchSize !== undefined && (typeof j.batchSize !== 'number' || !Number.isInteger(j.batchSize) || j.batchSize < 1)) {
    fail(`${the} has a "batchSize" of ${shownValue(j.batchSize)}; it must be a positive integer (rows per call of apply), e.g. batchSize: 1000.`, 'batchSize');
  }
  if (j.taskTimeoutMs !== undefined && (typeof j.taskTimeoutMs !== 'number' || !Number.isInteger(j.taskTimeoutMs) || j.taskTimeoutMs < 1)) {
    fail(
      `${the} has a "taskTimeoutMs" of ${shownValue(j.taskTimeoutMs)}; it must be a positive integer of milliseconds (the longest one call of apply may run), e.g. taskTimeoutMs: 60_000.`,
      'taskTimeoutMs',
    );
  }

  if (j.output !== undefined) checkOutput(j.output, the, fail);
  return j as unknown as JobDefinition;
}

function checkOutput(o: unknown, the: string, fail: (message: string, field: string) => never): void {
  const example = "e.g. output: { format: 'parquet', path: 'out/result' }";
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    fail(`${the} has an "output" that is ${shownValue(o)}; it must be an object with a path, ${example}.`, 'output');
  }
  for (const key of Object.keys(o as object)) {
    if (!OUTPUT_FIELDS.has(key)) fail(`${the} has an unknown output field "${key}".${didYouMean(key, OUTPUT_FIELDS)} Valid fields: ${[...OUTPUT_FIELDS].join(', ')}.`, `output.${key}`);
  }
  const { path, format, mode } = o as Record<string, unknown>;
  if (typeof path !== 'string' || path === '') {
    fail(`${the} has an output.path that is ${shownValue(path)}; it must be a non-empty path, ${example}.`, 'output.path');
  }
  if (format !== undefined && !(OUTPUT_FORMATS as readonly unknown[]).includes(format)) {
    fail(`${the} has an output.format that is ${shownValue(format)}; it must be one of ${OUTPUT_FORMATS.join(', ')}.`, 'output.format');
  }
  if (mode !== undefined && mode !== 'error' && mode !== 'overwrite') {
    fail(`${the} has an output.mode that is ${shownValue(mode)}; it must be 'error' or 'overwrite'.`, 'output.mode');
  }
}
