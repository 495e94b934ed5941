// The type-check as `tsapply run` users meet it: a job importing an untyped package
// runs, the project's tsconfig.json is honoured (and --verbose says which one), a real
// type error or a broken tsconfig.json stops the run with its message, and the cache
// notices a tsconfig.json change.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, tempDir, tsapply } from '../tsapply/cli-helpers.js';

const LODASH_JOB = 'test/fixtures/bundler/untyped/lodash-job.ts';
const LODASH_TABLE = ['+-----------+', '|       slug|', '+-----------+', '|hello-world|', '|serve-users|', '+-----------+', '2 rows', ''].join('\n');
const REPO_DEFAULTS =
  `Type-checked with tsapply's defaults (no tsconfig.json applies: ${join(ROOT, 'tsconfig.json')} ` +
  'only references projects that do not include the job)\n';

const dir = tempDir('tsapply-typecheck-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` with an mtime later than any earlier write, so the cache sees the change whatever the size. */
let clock = Date.now();
function write(path: string, text: string): void {
  writeFileSync(path, text);
  clock += 5000;
  utimesSync(path, new Date(clock), new Date(clock));
}

/** A job that checks only when strict mode is off (an implicit any parameter). */
const LOOSE_JOB = "import { defineJob } from 'tsapply';\nconst double = (x) => x * 2;\nexport default defineJob({ input: { range: 2 }, schema: 'y double', apply: (batch) => [...batch].map((r) => ({ y: double(Number(r.id)) })) });\n";

describe('tsapply run: a job importing a package without type declarations (lodash-es)', () => {
  it('type-checks and runs on the embedded engine', () => {
    const r = tsapply(['run', LODASH_JOB]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, LODASH_TABLE);
  });

  it('tsapply bundle lists lodash-es among the packages', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/lodash-es/package.json'), 'utf8')) as { version: string }).version;
    const r = tsapply(['bundle', LODASH_JOB]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(lines.indexOf('  packages (2):'), lines.indexOf('  native addons: none')), [
      '  packages (2):',
      '    @tsapply/common@0.1.0',
      `    lodash-es@${version}`,
    ]);
  });

  it("--verbose says it was checked with tsapply's defaults, and why the repository's tsconfig.json does not apply", () => {
    const r = tsapply(['run', LODASH_JOB, '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, REPO_DEFAULTS);
    assert.equal(r.stdout, LODASH_TABLE);
  });
});

describe("tsapply run with the project's tsconfig.json", () => {
  it('strict: false runs the implicit any the defaults refuse; --verbose names the tsconfig.json', () => {
    const strict = tsapply(['run', 'test/fixtures/bundler/jobs/implicit-any.ts']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^tsapply: test\/fixtures\/bundler\/jobs\/implicit-any\.ts has 1 type error:\n {2}test\/fixtures\/bundler\/jobs\/implicit-any\.ts:3:17: error TS7006: /);

    const r = tsapply(['run', 'test/fixtures/bundler/tsconfig-loose/implicit-any.ts', '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `Type-checked with ${join(ROOT, 'test/fixtures/bundler/tsconfig-loose/tsconfig.json')}\n` +
        'Inferred schema: y double\n' +
        "Add schema: 'y double' to the job to skip inference and pin the types.\n",
    );
    assert.equal(r.stdout, ['+---+', '|  y|', '+---+', '|2.0|', '+---+', '1 row', ''].join('\n')); // y double, printed as Spark prints one
  });

  it('a real type error still stops the run, with its message', () => {
    const r = tsapply(['run', 'test/fixtures/bundler/tsconfig-loose/type-error.ts']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'tsapply: test/fixtures/bundler/tsconfig-loose/type-error.ts has 1 type error:',
        "  test/fixtures/bundler/tsconfig-loose/type-error.ts:4:7: error TS2322: Type 'string' is not assignable to type 'number'.",
        "      4 | const threshold: number = 'ten';",
        '        |       ^',
        '',
      ].join('\n'),
    );
    assert.equal(r.stdout, '');
  });

  it('--no-typecheck still skips the check', () => {
    const r = tsapply(['run', 'test/fixtures/bundler/tsconfig-loose/type-error.ts', '--no-typecheck', '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('--verbose without any tsconfig.json above the job', () => {
    const folder = join(dir, 'no-tsconfig');
    mkdirSync(folder);
    write(join(folder, 'job.ts'), "import { defineJob } from 'tsapply';\nexport default defineJob({ input: { range: 1 }, schema: 'id bigint', apply: (batch) => [...batch] });\n");
    const r = tsapply(['run', 'job.ts', '--verbose'], { cwd: folder });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "Type-checked with tsapply's defaults (no tsconfig.json found)\n");
  });

  it('a tsconfig.json TypeScript rejects stops the run with a message naming it', () => {
    const folder = join(dir, 'rejected');
    mkdirSync(folder);
    write(join(folder, 'tsconfig.json'), '{\n  "compilerOptions": {\n    "stric": false\n  }\n}\n');
    write(join(folder, 'job.ts'), LOOSE_JOB);
    const r = tsapply(['run', 'job.ts'], { cwd: folder });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'tsapply: Cannot type-check job.ts: tsconfig.json has 1 error:',
        "  tsconfig.json:3:5: error TS5025: Unknown compiler option 'stric'. Did you mean 'strict'?",
        '      3 |     "stric": false',
        '        |     ^',
        'tsapply type-checks a job with the nearest tsconfig.json above it, as your editor does. Fix tsconfig.json, or skip the type-check (--no-typecheck, or typecheck: false).',
        '',
      ].join('\n'),
    );
  });

  it('a tsconfig.json that is not JSON is reported by the bundler, which reads it first, naming the file and position', () => {
    const folder = join(dir, 'not-json');
    mkdirSync(folder);
    write(join(folder, 'tsconfig.json'), '{\n  "compilerOptions": {\n    "strict": false\n  }\n  "include": ["*.ts"]\n}\n');
    write(join(folder, 'job.ts'), LOOSE_JOB);
    const r = tsapply(['run', 'job.ts'], { cwd: folder });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'tsapply: Cannot bundle job.ts:',
        '  tsconfig.json:5:3: ERROR: Expected "," in JSON but found "\\"include\\""',
        '      5 |   "include": ["*.ts"]',
        '        |   ^',
        '',
      ].join('\n'),
    );
  });

  it('a changed tsconfig.json is not hidden by the type-check cache', () => {
    const folder = join(dir, 'cache');
    mkdirSync(folder);
    const tsconfig = join(folder, 'tsconfig.json');
    write(tsconfig, '{ "compilerOptions": { "target": "ES2022", "strict": false } }');
    write(join(folder, 'job.ts'), LOOSE_JOB);
    const first = tsapply(['run', 'job.ts', '--verbose'], { cwd: folder });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, `Type-checked with ${tsconfig}\n`);
    const cached = tsapply(['run', 'job.ts', '--verbose'], { cwd: folder });
    assert.equal(cached.code, 0, cached.stderr);
    assert.equal(cached.stderr, `Type-checked with ${tsconfig}\n`, 'a cache hit names the tsconfig.json too');

    write(tsconfig, '{ "compilerOptions": { "target": "ES2022", "strict": true } }');
    const r = tsapply(['run', 'job.ts'], { cwd: folder });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'tsapply: job.ts has 1 type error:',
        "  job.ts:2:17: error TS7006: Parameter 'x' implicitly has an 'any' type.",
        '      2 | const double = (x) => x * 2;',
        '        |                 ^',
        '',
      ].join('\n'),
    );
  });
});
