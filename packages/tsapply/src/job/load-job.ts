/**
 * Loads the job definition on the driver: evaluates the bundle (the same code the
 * workers run) and checks the parts the driver needs — `input`, `schema`, `groupBy`,
 * `output`, `batchSize` — once, with messages that name the job file. An exception
 * thrown while the module loads is reported at its original .ts line.
 */
import type { JobBundle } from '@tsapply/bundler';
import type { JobDefinition, OutputSpec } from '@tsapply/common';
import { BundleSourceMapper, evaluateCommonJs, toUserCodeError } from '@tsapply/worker-runtime';
import { JobDefinitionError } from '../errors.js';
import { OUTPUT_FORMATS } from '../io/writers/dataset-writer.js';

const JOB_KEYS = new Set(['input', 'schema', 'groupBy', 'context', 'init', 'apply', 'output', 'batchSize']);

export function loadJobDefinition(bundle: JobBundle, jobFile: string): JobDefinition {
  const filename = `tsapply-bundle:${bundle.sha256.slice(0, 16)}.js`;
  let exports: unknown;
  try {
    exports = evaluateCommonJs(bundle.code, { filename, requireFrom: bundle.entry });
  } catch (e) {
    throw toUserCodeError(e, 'load', undefined, new BundleSourceMapper(filename, bundle.sourceMap));
  }
  const job = (exports as { default?: unknown } | null)?.default;
  const fail = (why: string): never => {
    throw new JobDefinitionError(`Invalid job in ${jobFile}: ${why}`, { jobFile });
  };
  if (job === undefined) fail('it has no default export. Write: export default defineJob({ input, apply(batch, ctx) { … } }).');
  if (typeof job !== 'object' || job === null || Array.isArray(job)) {
    fail(`the default export is ${job === null ? 'null' : typeof job}, not a job definition. Write: export default defineJob({ … }).`);
  }
  const j = job as Record<string, unknown>;
  for (const key of Object.keys(j)) {
    if (!JOB_KEYS.has(key)) fail(`unknown field "${key}". Valid fields: ${[...JOB_KEYS].join(', ')}.`);
  }
  if (j.input === undefined) fail('"input" is missing. Add input: { format: \'csv\', path: \'data.csv\' }, { range: n } or { rows: [...] }.');
  if (typeof j.apply !== 'function') fail(`"apply" must be a function, got ${typeof j.apply}.`);
  if (j.init !== undefined && typeof j.init !== 'function') fail(`"init" must be a function, got ${typeof j.init}.`);
  if (j.schema !== undefined && (typeof j.schema !== 'string' || j.schema.trim() === '')) {
    fail(`"schema" must be a Spark DDL string such as 'name string, n bigint', got ${typeof j.schema}.`);
  }
  if (j.groupBy !== undefined) {
    const g = j.groupBy;
    if (!Array.isArray(g) || g.length === 0 || g.some((c) => typeof c !== 'string' || c === '')) {
      fail('"groupBy" must be a non-empty array of column names, e.g. groupBy: [\'weather\'].');
    }
  }
  if (j.batchSize !== undefined && (typeof j.batchSize !== 'number' || !Number.isInteger(j.batchSize) || j.batchSize < 1)) {
    fail(`"batchSize" must be a positive integer, got ${String(j.batchSize)}.`);
  }
  if (j.output !== undefined) {
    const o = j.output as Partial<OutputSpec>;
    if (typeof o !== 'object' || o === null || typeof o.path !== 'string' || o.path === '') {
      fail('"output" must be an object with a path, e.g. output: { format: \'parquet\', path: \'out/result\' }.');
    }
    if (o.format !== undefined && !OUTPUT_FORMATS.includes(o.format)) {
      fail(`output.format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}.`);
    }
    if (o.mode !== undefined && o.mode !== 'error' && o.mode !== 'overwrite') {
      fail(`output.mode must be 'error' or 'overwrite', got ${JSON.stringify(o.mode)}.`);
    }
  }
  return j as unknown as JobDefinition;
}
