// The type-check honours the user's nearest tsconfig.json (extends, solution-style
// configs as the editor reads them), falls back to tsapply's defaults without one, and
// never fails on a package without type declarations (TS7016) — real type errors still fail.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TsconfigError, TypecheckError, assertTypechecks, typecheckJob, type TsconfigChoice } from '@tsapply/bundler';
import { fixtures, job, repoRoot } from './helpers.js';

/** Type-checks `entry` and returns the diagnostics as `line:col TScode` plus the tsconfig choice. */
async function check(entry: string, cwd?: string): Promise<{ diagnostics: string[]; choice: TsconfigChoice | undefined }> {
  let choice: TsconfigChoice | undefined;
  const diagnostics = await typecheckJob(entry, { ...(cwd === undefined ? {} : { cwd }), onConfig: (c) => (choice = c) });
  return { diagnostics: diagnostics.map((d) => `${d.line}:${d.column} TS${d.code}`), choice };
}

const JOB_SOURCE = "import { defineJob } from 'tsapply';\nexport default defineJob({ input: { range: 1 }, apply: (batch) => [...batch] });\n";

describe('typecheckJob: a package without type declarations', () => {
  it('lodash-es really has no declarations (what the fixtures rely on)', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules/lodash-es/package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(pkg.types ?? pkg.typings, undefined);
    assert.equal(existsSync(join(repoRoot, 'node_modules/lodash-es/lodash.d.ts')), false);
    assert.equal(existsSync(join(repoRoot, 'node_modules/@types/lodash-es')), false);
  });

  it("is `any` under tsapply's strict defaults: no TS7016, and the defaults are still strict", async () => {
    const untyped = await check('test/fixtures/bundler/untyped/lodash-job.ts');
    assert.deepEqual(untyped.diagnostics, []);
    // The repository's own tsconfig.json is solution-style (files: [] + references to
    // packages/*): it has no options of its own, so the defaults apply.
    assert.deepEqual(untyped.choice, { tsconfig: undefined, skipped: [join(repoRoot, 'tsconfig.json')] });
    assert.deepEqual((await check(job('implicit-any.ts'))).diagnostics, ['3:17 TS7006']);
  });

  it("is `any` under a strict user tsconfig too, whose build options (composite, rootDir, isolatedDeclarations…) do not apply to a job outside src/", async () => {
    const { diagnostics, choice } = await check('test/fixtures/bundler/tsconfig-project/jobs/lodash-job.ts');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(choice, { tsconfig: join(fixtures, 'tsconfig-project', 'tsconfig.json'), skipped: [] });
  });
});

describe("typecheckJob with the user's tsconfig.json", () => {
  it('strict: false (through extends) accepts the implicit any the defaults refuse', async () => {
    const loose = 'test/fixtures/bundler/tsconfig-loose/implicit-any.ts';
    assert.equal(readFileSync(loose, 'utf8'), readFileSync(job('implicit-any.ts'), 'utf8'), 'the same code in both folders');
    const { diagnostics, choice } = await check(loose);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(choice, { tsconfig: join(fixtures, 'tsconfig-loose', 'tsconfig.json'), skipped: [] });
    await assertTypechecks(loose);
  });

  it('still fails on a real type error, with its message', async () => {
    const err = await assertTypechecks('test/fixtures/bundler/tsconfig-loose/type-error.ts').catch((e: unknown) => e);
    assert.ok(err instanceof TypecheckError);
    assert.equal(
      err.message,
      [
        'test/fixtures/bundler/tsconfig-loose/type-error.ts has 1 type error:',
        "  test/fixtures/bundler/tsconfig-loose/type-error.ts:4:7: error TS2322: Type 'string' is not assignable to type 'number'.",
        "      4 | const threshold: number = 'ten';",
        '        |       ^',
      ].join('\n'),
    );
  });

  it('rejects an onConfig that is not a function', async () => {
    await assert.rejects(typecheckJob(job('tiny.ts'), { onConfig: 'yes' } as never), {
      code: 'INVALID_OPTION',
      message: 'options.onConfig must be a function, got the string "yes".',
    });
  });
});

describe('which tsconfig.json applies', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-tsconfig-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `files` (path → text) under a fresh folder of `dir` and returns that folder. */
  function project(name: string, files: Record<string, string>): string {
    const root = join(dir, name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('the nearest one, even when its include does not list the job', async () => {
    const root = project('nearest', {
      'tsconfig.json': '{ "compilerOptions": { "strict": true } }',
      'jobs/tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "strict": false }, "include": ["../src"] }',
      'jobs/job.ts': 'export const f = (x) => x;\n',
    });
    const { diagnostics, choice } = await check(join(root, 'jobs/job.ts'), root);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(choice, { tsconfig: join(root, 'jobs/tsconfig.json'), skipped: [] });
  });

  it('a solution-style one defers to the referenced project that includes the job (as in Vite templates)', async () => {
    const root = project('solution', {
      'tsconfig.json': '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.jobs.json" }] }',
      'tsconfig.app.json': '{ "compilerOptions": { "strict": true, "composite": true }, "include": ["src"] }',
      'tsconfig.jobs.json': '{ "compilerOptions": { "target": "ES2022", "strict": false, "composite": true }, "include": ["jobs"] }',
      'src/app.ts': 'export const app = 1;\n',
      'jobs/job.ts': 'export const f = (x) => x;\n',
    });
    const { diagnostics, choice } = await check(join(root, 'jobs/job.ts'), root);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(choice, { tsconfig: join(root, 'tsconfig.jobs.json'), skipped: [] });
  });

  it('a solution-style one whose projects do not include the job is passed over; the walk goes on upward', async () => {
    const root = project('outer', {
      'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "strict": false } }',
      'inner/tsconfig.json': '{ "files": [], "references": [{ "path": "./lib" }] }',
      'inner/lib/tsconfig.json': '{ "compilerOptions": { "composite": true }, "include": ["*.ts"] }',
      'inner/lib/lib.ts': 'export const lib = 1;\n',
      'inner/jobs/job.ts': 'export const f = (x) => x;\n',
    });
    const { diagnostics, choice } = await check(join(root, 'inner/jobs/job.ts'), root);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(choice, { tsconfig: join(root, 'tsconfig.json'), skipped: [join(root, 'inner/tsconfig.json')] });
  });

  it("Node's types are there when the project has none, even with types: [\"node\"] (the job runs in Node)", async () => {
    const root = project('node-types', {
      'tsconfig.json': '{ "compilerOptions": { "target": "ES2022", "strict": true, "types": ["node"] } }',
      'job.ts': 'export const pid: number = process.pid;\nexport const bytes: Buffer = Buffer.from("x");\n',
    });
    assert.equal(existsSync(join(dir, 'node_modules')), false, 'no @types/node above the temporary project');
    const { diagnostics, choice } = await check(join(root, 'job.ts'), root);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(choice, { tsconfig: join(root, 'tsconfig.json'), skipped: [] });
  });

  it('an invalid tsconfig.json is a TsconfigError naming the file, with the position of the error', async () => {
    const root = project('invalid-json', {
      'tsconfig.json': '{\n  "compilerOptions": {\n    "strict": false\n  }\n  "include": ["*.ts"]\n}\n',
      'job.ts': JOB_SOURCE,
    });
    const err = await typecheckJob(join(root, 'job.ts'), { cwd: root }).catch((e: unknown) => e);
    assert.ok(err instanceof TsconfigError);
    assert.equal(err.code, 'INVALID_TSCONFIG');
    assert.equal(err.tsconfig, 'tsconfig.json');
    assert.equal(err.entry, 'job.ts');
    assert.equal(
      err.message,
      [
        'Cannot type-check job.ts: tsconfig.json has 1 error:',
        "  tsconfig.json:5:3: error TS1005: ',' expected.",
        '      5 |   "include": ["*.ts"]',
        '        |   ^',
        'tsapply type-checks a job with the nearest tsconfig.json above it, as your editor does. Fix tsconfig.json, or skip the type-check (--no-typecheck, or typecheck: false).',
      ].join('\n'),
    );
  });

  it('so is one TypeScript rejects: an unknown option, an extends that is not there', async () => {
    const root = project('rejected', {
      'tsconfig.json': '{ "extends": "./missing-base.json", "compilerOptions": { "stric": false } }',
      'job.ts': JOB_SOURCE,
    });
    const err = await typecheckJob(join(root, 'job.ts'), { cwd: root }).catch((e: unknown) => e);
    assert.ok(err instanceof TsconfigError);
    assert.deepEqual(
      err.diagnostics.map((d) => `${d.file ?? '-'}:${d.line ?? '-'}:${d.column ?? '-'} TS${d.code}: ${d.message}`),
      [
        "tsconfig.json:1:58 TS5025: Unknown compiler option 'stric'. Did you mean 'strict'?",
        `-:-:- TS5083: Cannot read file '${join(root, 'missing-base.json')}'.`,
      ],
    );
  });

  it('a job written in JavaScript is checked only where the project asks (checkJs), as tsc does; without it, it is not refused (TS6504)', async () => {
    const js = "import { defineJob } from 'tsapply';\nexport default defineJob({ input: { range: 1 }, apply: (batch) => batch.numRows.toFixed('2') });\n";
    const plain = project('javascript', { 'job.mjs': js, 'job.cjs': js.replace("import { defineJob } from 'tsapply'", "const { defineJob } = require('tsapply')").replace('export default', 'module.exports =') });
    assert.deepEqual((await check(join(plain, 'job.mjs'), plain)).diagnostics, []);
    assert.deepEqual((await check(join(plain, 'job.cjs'), plain)).diagnostics, []);
    const checked = project('checkjs', { 'tsconfig.json': '{ "compilerOptions": { "checkJs": true, "strict": true } }', 'job.mjs': js });
    assert.deepEqual((await check(join(checked, 'job.mjs'), checked)).diagnostics, ['2:67 TS2322', '2:89 TS2345'], 'apply returns a string; toFixed takes a number');
  });
});
