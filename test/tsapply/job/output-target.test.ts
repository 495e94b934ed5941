// @requires-spark
// Output paths that would replace something precious are refused on BOTH engines, with
// or without overwrite, through the CLI and the library, and nothing is deleted: the
// run happens in a nested temporary folder with marker files in every folder a wrong
// path could take with it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runJob, runJobOnSpark, OutputError, InvalidOptionError } from 'tsapply';
import { resolveOutputTarget } from '../../../packages/tsapply/dist/job/output-target.js';
import { tempDir, tsapply } from '../cli-helpers.ts';

const JOB = `import { defineJob } from 'tsapply';
export default defineJob({
  input: { format: 'csv', path: 'data/in.csv' },
  schema: 'a int',
  apply: (batch) => [...batch].map((r) => ({ a: r.a as number })),
});
`;

/** top/ (marker) → project/ (marker, job.ts, data/in.csv) → project/work/ (the cwd, marker). */
function project() {
  const top = tempDir('tsapply-out-');
  const dir = join(top, 'project');
  const cwd = join(dir, 'work');
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(cwd);
  writeFileSync(join(top, 'keep-top.txt'), 'top');
  writeFileSync(join(dir, 'keep-project.txt'), 'project');
  writeFileSync(join(cwd, 'keep-cwd.txt'), 'cwd');
  writeFileSync(join(dir, 'data/in.csv'), 'a\n1\n2\n');
  writeFileSync(join(dir, 'job.ts'), JOB);
  const listing = () => [top, dir, cwd, join(dir, 'data')].map((d) => readdirSync(d).sort().join(','));
  return { top, dir, cwd, job: join(dir, 'job.ts'), listing };
}

const req = (output: string | undefined, p: ReturnType<typeof project>, engine: 'local' | 'spark' = 'local') => ({
  output,
  format: undefined,
  overwrite: true,
  jobOutput: undefined,
  input: { format: 'csv' as const, path: 'data/in.csv' },
  jobFile: p.job,
  cwd: p.cwd,
  engine,
});

describe('resolveOutputTarget', () => {
  it('refuses every path that would replace something precious, with the reason', () => {
    const p = project();
    const cases: [string, string][] = [
      ['.', `it is the current folder`],
      ['..', `it is the job's own folder`],
      ['../..', `it contains the current folder (${p.cwd})`],
      ['/', 'it is the root of the file system'],
      [homedir(), 'it is your home folder'],
      ['../data', `it contains the job's input (${join(p.dir, 'data/in.csv')})`],
      ['../data/in.csv', `it is the job's input`],
    ];
    for (const [output, why] of cases) {
      const path = output === '.' ? p.cwd : output === '..' ? p.dir : output === '../..' ? p.top : output.startsWith('..') ? join(p.cwd, output) : output;
      assert.throws(() => resolveOutputTarget(req(output, p)), {
        name: 'OutputError',
        code: 'OUTPUT_UNSAFE',
        message:
          `Refusing to write the output to "${path}": ${why}, and writing there replaces the whole folder (with overwrite, everything in it would be deleted). ` +
          'Choose a new folder for the results, e.g. --output out/result.',
      });
    }
    assert.throws(() => resolveOutputTarget(req('', p)), { name: 'InvalidOptionError', message: 'output must be a non-empty path, e.g. out/result.' });
    assert.throws(() => resolveOutputTarget(req('  ', p)), { name: 'InvalidOptionError' });
  });

  it("names the job's output.path when the job file asks for an unsafe folder", () => {
    const p = project();
    assert.throws(() => resolveOutputTarget({ ...req(undefined, p), overwrite: false, jobOutput: { path: '.' } }), {
      message:
        `Refusing to write the output to "${p.dir}": it is the job's own folder, and writing there replaces the whole folder. ` +
        "Choose a new folder for the results, e.g. output: { path: 'out/result' }.",
    });
  });

  it('accepts a new folder, takes the format from the extension, and passes cluster URIs to Spark only', () => {
    const p = project();
    assert.deepEqual(resolveOutputTarget(req('out/r.csv', p)), { path: join(p.cwd, 'out/r.csv'), format: 'csv', mode: 'overwrite', remote: false });
    assert.deepEqual(resolveOutputTarget({ ...req(undefined, p), overwrite: false, jobOutput: { path: 'res', format: 'jsonl' } }), {
      path: join(p.dir, 'res'),
      format: 'jsonl',
      mode: 'error',
      remote: false,
    });
    assert.deepEqual(resolveOutputTarget(req('s3a://bucket/out', p, 'spark')), { path: 's3a://bucket/out', format: 'parquet', mode: 'overwrite', remote: true });
    assert.throws(() => resolveOutputTarget({ ...req('s3a://bucket/out', p, 'spark'), format: 'arrow' }), {
      code: 'OUTPUT_UNSUPPORTED',
      message: 'Arrow output is written by the driver (Spark has no Arrow writer), so it needs a local folder, not "s3a://bucket/out". Choose parquet for s3a:// paths, or a local folder.',
    });
    assert.throws(() => resolveOutputTarget(req('s3a://bucket/out', p, 'local')), {
      code: 'OUTPUT_UNSUPPORTED',
      message: 'The embedded engine writes local folders only, not "s3a://bucket/out". Run with --remote (Spark writes s3a:// paths), or give a local folder.',
    });
  });
});

const UNSAFE = ['', '.', '..', '/'];

for (const engine of ['local', 'spark'] as const) {
  const remote = engine === 'spark' ? ['--remote', process.env.SPARK_REMOTE!] : [];
  describe(`unsafe outputs on the ${engine} engine`, () => {
    it('the CLI refuses --output "", ".", "..", "/" with --overwrite and deletes nothing', () => {
      for (const output of UNSAFE) {
        const p = project();
        const before = p.listing();
        const r = tsapply(['run', p.job, '--output', output, '--overwrite', '--no-typecheck', ...remote], { cwd: p.cwd });
        assert.equal(r.code, 1, `--output ${JSON.stringify(output)}: ${r.stderr}`);
        const expected =
          output === ''
            ? 'tsapply: output must be a non-empty path, e.g. out/result.\n'
            : `tsapply: Refusing to write the output to "${output === '.' ? p.cwd : output === '..' ? p.dir : '/'}": ` +
              `${output === '.' ? 'it is the current folder' : output === '..' ? "it is the job's own folder" : 'it is the root of the file system'}, ` +
              'and writing there replaces the whole folder (with overwrite, everything in it would be deleted). Choose a new folder for the results, e.g. --output out/result.\n';
        assert.equal(r.stderr, expected);
        assert.equal(r.stdout, '');
        assert.deepEqual(p.listing(), before);
      }
    });

    it('the library refuses the same outputs, and nothing is written or deleted', async () => {
      const run = (job: string, output: string) =>
        engine === 'local'
          ? runJob(job, { output, overwrite: true, typecheck: false, quiet: true, workers: 1 })
          : runJobOnSpark(job, { output, overwrite: true, typecheck: false, quiet: true, remote: process.env.SPARK_REMOTE! });
      for (const output of UNSAFE) {
        const p = project();
        const before = p.listing();
        const cwd = process.cwd();
        process.chdir(p.cwd);
        try {
          await assert.rejects(run(p.job, output), (e: unknown) => (output === '' ? e instanceof InvalidOptionError : e instanceof OutputError));
        } finally {
          process.chdir(cwd);
        }
        assert.deepEqual(p.listing(), before);
        assert.ok(existsSync(join(p.cwd, 'keep-cwd.txt')));
      }
    });

    it('a safe new folder is written', async () => {
      const p = project();
      const r = tsapply(['run', p.job, '--output', 'out', '--format', 'csv', '--no-typecheck', '--quiet', ...remote], { cwd: p.cwd });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(join(p.cwd, 'out/_SUCCESS')));
    });
  });
}
