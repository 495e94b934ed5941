// The one check of a job's shape (checkJobDefinition) in a worker: each job file of the
// wrong shape, bundled for real and loaded by JobRunner as a worker loads its payload,
// fails at load with one JobDefinitionError — exact message, jobFile, exportName and
// field — the message test/tsapply/job/load-job.test.ts expects from the driver. Only a
// missing input is the driver's alone to refuse.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleJob } from '@tsapply/bundler';
import { JobDefinitionError } from '@tsapply/common';
import { checkJobDefinition, JobRunner } from '@tsapply/worker-runtime';
import { BAD_JOBS } from '../fixtures/worker-runtime/bad-jobs.ts';
import { handPayload, ROOT, xBatch } from './payload-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tsapply-bad-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `export default <job>;` to its own folder and returns the file. */
function jobFile(name: string, job: string): string {
  const folder = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'job.ts');
  writeFileSync(file, `export default ${job};\n`);
  return file;
}

function expectJobError(fn: () => unknown, expected: { message: string; jobFile: string; exportName: string; field: string | undefined }): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof JobDefinitionError, String(e));
    assert.equal(e.message, expected.message);
    assert.equal(e.code, 'JOB_DEFINITION');
    assert.deepEqual({ jobFile: e.jobFile, exportName: e.exportName, field: e.field }, { jobFile: expected.jobFile, exportName: expected.exportName, field: expected.field });
    return true;
  });
}

describe('a worker loading a job of the wrong shape: one JobDefinitionError at load', () => {
  for (const bad of BAD_JOBS.filter((b) => !b.driverOnly)) {
    it(bad.name, async () => {
      const file = jobFile(bad.name, bad.job);
      const bundle = await bundleJob(file);
      const payload = handPayload(bundle.code, bundle.entry, { schema: null });
      // The job lives outside the cwd, so messages show its absolute path.
      expectJobError(() => JobRunner.fromBytes(payload.bytes), { message: bad.message(file), jobFile: file, exportName: 'default', field: bad.field });
    });
  }
});

describe('a job without input', () => {
  it('loads in a worker, as the jobs generated around shipped functions do, and is refused on the driver', async () => {
    for (const bad of BAD_JOBS.filter((b) => b.driverOnly)) {
      const file = jobFile(bad.name, bad.job);
      const bundle = await bundleJob(file);
      const runner = JobRunner.fromBytes(handPayload(bundle.code, bundle.entry, { schema: null }).bytes);
      assert.deepEqual(await runner.applyBatchRows(xBatch([1]), { partitionIndex: 0 }), []);
      expectJobError(() => checkJobDefinition({ default: { apply() {} } }, file), { message: bad.message(file), jobFile: file, exportName: 'default', field: bad.field });
    }
  });
});

describe('checkJobDefinition', () => {
  const inCwd = join(ROOT, 'jobs', 'score.ts');

  it('shows a job file under the cwd relative to it, also given as a file: URL', () => {
    for (const file of [inCwd, `file://${inCwd}`, 'jobs/score.ts', './jobs/score.ts']) {
      expectJobError(() => checkJobDefinition({ default: { input: { rows: [] }, apply: 'nope' } }, file), {
        message: 'The job in jobs/score.ts has no apply() function: "apply" is a string. Add apply(batch, ctx) { … } to defineJob({ … }).',
        jobFile: 'jobs/score.ts',
        exportName: 'default',
        field: 'apply',
      });
    }
  });

  it('a module without a default export lists what it exports', () => {
    expectJobError(() => checkJobDefinition({ __esModule: true, job: {}, helper: 1 }, 'jobs/score.ts'), {
      message:
        'Job file jobs/score.ts has no default export. A job file must export its job: export default defineJob({ input, apply(batch, ctx) { … } }). Exports found: job, helper.',
      jobFile: 'jobs/score.ts',
      exportName: 'default',
      field: undefined,
    });
    expectJobError(() => checkJobDefinition(undefined, 'jobs/score.ts'), {
      message: 'Job file jobs/score.ts has no default export. A job file must export its job: export default defineJob({ input, apply(batch, ctx) { … } }). It exports nothing.',
      jobFile: 'jobs/score.ts',
      exportName: 'default',
      field: undefined,
    });
  });

  it('returns a good job as it is, every field allowed', () => {
    const job = {
      input: { rows: [] },
      schema: 'x double',
      groupBy: ['k'],
      context: { a: 1 },
      init: () => 1,
      apply: () => [],
      output: { path: 'out', format: 'csv', mode: 'overwrite' },
      batchSize: 10,
    };
    assert.equal(checkJobDefinition({ default: job }, 'job.ts'), job);
  });
});
