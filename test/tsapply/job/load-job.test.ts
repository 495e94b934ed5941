// The driver checks a job's shape once, before it reads any input or ships anything,
// with the one check the workers run too (checkJobDefinition, worker-runtime/src/
// check-job.ts): each job file of the wrong shape rejects runJob with the
// JobDefinitionError — same message, jobFile and field — that
// test/worker-runtime/check-job.test.ts gets from a worker loading the same file.
// Both engines prepare jobs through job/prepare-job.ts, so runJob stands for both.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobDefinitionError, runJob } from 'tsapply';
import { BAD_JOBS } from '../../fixtures/worker-runtime/bad-jobs.ts';
import { tempDir } from '../cli-helpers.ts';

const dir = tempDir('tsapply-bad-jobs-');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the driver refuses a job of the wrong shape with the workers\' JobDefinitionError', () => {
  for (const bad of BAD_JOBS) {
    it(bad.name, async () => {
      const folder = join(dir, bad.name.replace(/\W+/g, '-'));
      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'job.ts');
      writeFileSync(file, `export default ${bad.job};\n`);
      await assert.rejects(runJob(file, { workers: 1, quiet: true, typecheck: false }), (e: unknown) => {
        assert.ok(e instanceof JobDefinitionError, String(e));
        assert.equal(e.message, bad.message(file));
        assert.equal(e.code, 'JOB_DEFINITION');
        assert.deepEqual({ jobFile: e.jobFile, field: (e as JobDefinitionError & { field?: string }).field }, { jobFile: file, field: bad.field });
        return true;
      });
    });
  }
});
