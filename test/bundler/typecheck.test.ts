import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypecheckError, assertTypechecks, typecheckJob } from '@tsapply/bundler';
import { job } from './helpers.js';

describe('typecheckJob', () => {
  it("accepts a correct job: 'tsapply' types resolve without any user configuration", async () => {
    assert.deepEqual(await typecheckJob(job('deps.ts')), []);
    await assertTypechecks(job('tiny.ts'));
  });

  it('reports every type error with file:line:col, code and message', async () => {
    const diagnostics = await typecheckJob(job('type-error.ts'));
    assert.deepEqual(
      diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.category} TS${d.code}: ${d.message}`),
      [
        "test/fixtures/bundler/jobs/type-error.ts:3:7: error TS2322: Type 'string' is not assignable to type 'number'.",
        "test/fixtures/bundler/jobs/type-error.ts:7:3: error TS2322: Type 'string' is not assignable to type 'number'.",
      ],
    );
  });

  it('assertTypechecks rejects with one TypecheckError listing them all', async () => {
    const err = await assertTypechecks(job('type-error.ts')).catch((e: unknown) => e);
    assert.ok(err instanceof TypecheckError);
    assert.equal(err.code, 'TYPECHECK_FAILED');
    assert.equal(err.diagnostics.length, 2);
    assert.equal(
      err.message,
      [
        'test/fixtures/bundler/jobs/type-error.ts has 2 type errors:',
        "  test/fixtures/bundler/jobs/type-error.ts:3:7: error TS2322: Type 'string' is not assignable to type 'number'.",
        "      3 | const threshold: number = 'ten';",
        '        |       ^',
        "  test/fixtures/bundler/jobs/type-error.ts:7:3: error TS2322: Type 'string' is not assignable to type 'number'.",
        "      7 |   batchSize: 'large',",
        '        |   ^',
      ].join('\n'),
    );
  });

  it('is strict: an implicit any is an error', async () => {
    const diagnostics = await typecheckJob('test/fixtures/bundler/jobs/implicit-any.ts');
    assert.deepEqual(
      diagnostics.map((d) => `${d.line}:${d.column} TS${d.code}`),
      ['3:17 TS7006'],
    );
  });

  it('rejects a missing file and unknown options', async () => {
    await assert.rejects(typecheckJob('test/fixtures/bundler/jobs/nope.ts'), {
      code: 'NOT_FOUND',
      message: /^Cannot type-check test\/fixtures\/bundler\/jobs\/nope\.ts: file not found \(resolved to \/.*nope\.ts\)\.$/,
    });
    await assert.rejects(typecheckJob(job('tiny.ts'), { strict: false } as never), {
      code: 'INVALID_OPTION',
      message: 'Invalid option in typecheckJob(): "strict". Valid options: cwd, cache, onConfig.',
    });
  });
});
