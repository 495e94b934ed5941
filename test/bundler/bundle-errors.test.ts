import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTsapplyError, serializeError, deserializeError } from '@tsapply/common';
import { BundleError, DisallowedImportError, bundleJob } from '@tsapply/bundler';
import { job } from './helpers.js';

describe('bundle errors', () => {
  it('reports a syntax error with file:line:col, the line and a caret', async () => {
    const err = await bundleJob(job('syntax.ts')).catch((e: unknown) => e);
    assert.ok(err instanceof BundleError);
    assert.ok(isTsapplyError(err));
    assert.equal(err.code, 'BUNDLE_FAILED');
    assert.equal(
      err.message,
      [
        'Cannot bundle test/fixtures/bundler/jobs/syntax.ts:',
        '  test/fixtures/bundler/jobs/syntax.ts:3:13: ERROR: Expected ";" but found "x"',
        '      3 | const a = 1 x;',
        '        |             ^',
      ].join('\n'),
    );
    assert.deepEqual(err.problems, [
      {
        kind: 'syntax',
        file: 'test/fixtures/bundler/jobs/syntax.ts',
        line: 3,
        column: 13,
        lineText: 'const a = 1 x;',
        text: 'Expected ";" but found "x"',
      },
    ]);
  });

  it('reports every missing module in one error, with the import site and what to install', async () => {
    await assert.rejects(bundleJob(job('missing.ts')), {
      name: 'BundleError',
      message: [
        'Cannot bundle test/fixtures/bundler/jobs/missing.ts:',
        '  test/fixtures/bundler/jobs/missing.ts:2:21: ERROR: Cannot find package "left-pad-not-installed". Install it with `npm install left-pad-not-installed` in the job\'s project, or fix the import.',
        "      2 | import leftPad from 'left-pad-not-installed';",
        '        |                     ^',
        '  test/fixtures/bundler/jobs/missing.ts:3:24: ERROR: Cannot find "./no-such-helper": no such file relative to the importing file (tried the .ts, .tsx, .js, .mjs, .cjs and .json extensions and index files).',
        "      3 | import { helper } from './no-such-helper';",
        '        |                        ^',
      ].join('\n'),
    });
  });

  it('refuses top-level await, saying why and where to move it', async () => {
    const err = (await bundleJob(job('tla.ts')).catch((e: unknown) => e)) as BundleError;
    assert.equal(err.problems.length, 1);
    assert.equal(err.problems[0]!.kind, 'top-level-await');
    assert.equal(
      err.message.split('\n')[1],
      '  test/fixtures/bundler/jobs/tla.ts:3:15: ERROR: Top-level await is not supported in a job: each worker loads the bundle as a CommonJS module. Move the awaited work into init() (it may be async and runs once per worker) or into apply().',
    );
  });

  it('refuses a job without a default export', async () => {
    await assert.rejects(bundleJob(job('no-default.ts')), {
      name: 'BundleError',
      message:
        'Cannot bundle test/fixtures/bundler/jobs/no-default.ts:\n' +
        '  test/fixtures/bundler/jobs/no-default.ts: ERROR: No default export. A job file must `export default defineJob({ ... })`.',
    });
  });

  it('lists every driver-only import in one DisallowedImportError', async () => {
    const err = await bundleJob(job('disallowed.ts')).catch((e: unknown) => e);
    assert.ok(err instanceof DisallowedImportError);
    assert.ok(err instanceof BundleError);
    assert.equal(err.code, 'DISALLOWED_IMPORT');
    assert.equal(
      err.message,
      'Cannot bundle test/fixtures/bundler/jobs/disallowed.ts: it imports driver-only modules, which cannot run inside a job:\n' +
        '  test/fixtures/bundler/jobs/disallowed.ts:2:23: import "@grpc/grpc-js"\n' +
        '  test/fixtures/bundler/jobs/disallowed.ts:3:23: import "esbuild"\n' +
        '  test/fixtures/bundler/jobs/disallowed.ts:4:27: import "@tsapply/bundler"\n' +
        "A job runs in worker processes (beside Spark executors) that receive only the job bundle. Inside the job import only 'tsapply' (defineJob and job helpers) and ordinary npm packages; keep bundling, Spark connections and worker pools in the driver script that runs the job.",
    );
    assert.deepEqual(
      err.problems.map((p) => p.specifier),
      ['@grpc/grpc-js', 'esbuild', '@tsapply/bundler'],
    );
  });

  it("explains that driver functions are not part of 'tsapply' inside a job", async () => {
    await assert.rejects(bundleJob(job('driver-api.ts')), {
      message: [
        'Cannot bundle test/fixtures/bundler/jobs/driver-api.ts:',
        "  test/fixtures/bundler/jobs/driver-api.ts:1:21: ERROR: \"runJob\" is not available inside a job: in a job file 'tsapply' is the job-side API (defineJob, image). Driver features (running jobs, Spark sessions) belong in the script that runs the job.",
        "      1 | import { defineJob, runJob } from 'tsapply';",
        '        |                     ^',
      ].join('\n'),
    });
  });

  it('survives serializeError/deserializeError with its class and problems', async () => {
    const err = await bundleJob(job('syntax.ts')).catch((e: unknown) => e);
    const back = deserializeError(structuredClone(serializeError(err)));
    assert.ok(back instanceof BundleError);
    assert.equal(back.message, (err as Error).message);
    assert.deepEqual(back.problems, (err as BundleError).problems);
  });
});
