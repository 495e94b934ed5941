// @requires-spark
// A job importing a package without type declarations (lodash-es: TS7016 under strict)
// type-checks and runs on Spark through `tsapply run --remote`, as on the embedded
// engine (test/bundler/typecheck-cli.test.ts): the bundle carries lodash-es to the executors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, tsapply } from '../cli-helpers.js';

describe('tsapply run --remote: a job importing lodash-es (no type declarations)', () => {
  it('type-checks with the defaults and runs on Spark', () => {
    const r = tsapply(['run', 'test/fixtures/bundler/untyped/lodash-job.ts', '--remote', '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `Type-checked with tsapply's defaults (no tsconfig.json applies: ${join(ROOT, 'tsconfig.json')} only references projects that do not include the job)\n`,
    );
    assert.equal(r.stdout, ['+-----------+', '|       slug|', '+-----------+', '|hello-world|', '|serve-users|', '+-----------+', '2 rows', ''].join('\n'));
  });
});
