/**
 * Issue 2's bad-input list through the real CLI: each failure exits 1 with exactly
 * one readable message on stderr, and leaves no output behind.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOBS, tempDir, tsapply } from './cli-helpers.js';

const out = tempDir();
after(() => rmSync(out, { recursive: true, force: true }));

const job = (name: string) => `test/fixtures/tsapply/jobs/${name}.ts`;

/** Runs a failing job with --output into a fresh folder and checks nothing is left there. */
function fails(name: string, extra: string[] = []): string {
  const parent = join(out, name);
  const target = join(parent, 'result');
  const r = tsapply(['run', job(name), '--output', target, '--format', 'csv', '--workers', '2', ...extra]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(existsSync(parent), false, `output folder ${parent} was left behind: ${existsSync(parent) ? readdirSync(parent).join(', ') : ''}`);
  return r.stderr;
}

describe('bad input gives one clear error and no output', () => {
  it('syntax error', () => {
    assert.equal(
      fails('syntax-error'),
      `tsapply: Cannot bundle ${job('syntax-error')}:\n` +
        `  ${job('syntax-error')}:5:49: ERROR: Expected ")" but found ";"\n` +
        `      5 |     return [...batch].map((r) => ({ id: r.id }) ;\n` +
        `        |                                                 ^\n`,
    );
  });

  it('syntax error without the type-check is reported by the bundler with file:line:col', () => {
    const stderr = fails('syntax-error', ['--no-typecheck']);
    assert.match(stderr, /^tsapply: Cannot bundle test\/fixtures\/tsapply\/jobs\/syntax-error\.ts:\n  test\/fixtures\/tsapply\/jobs\/syntax-error\.ts:5:\d+: ERROR: /);
    assert.equal(stderr.split('\n').filter((l) => l.startsWith('tsapply:')).length, 1);
  });

  it('type error', () => {
    assert.equal(
      fails('type-error'),
      `tsapply: ${job('type-error')} has 1 type error:\n` +
        `  ${job('type-error')}:2:7: error TS2322: Type 'string' is not assignable to type 'number'.\n` +
        `      2 | const n: number = 'three';\n` +
        `        |       ^\n`,
    );
  });

  it('missing default export', () => {
    assert.equal(
      fails('no-default', ['--no-typecheck']),
      `tsapply: Cannot bundle ${job('no-default')}:\n  ${job('no-default')}: ERROR: No default export. A job file must \`export default defineJob({ ... })\`.\n`,
    );
  });

  it('apply throwing: user message and the original .ts line', () => {
    assert.equal(
      fails('apply-throws', ['--no-typecheck']),
      `tsapply: Error in apply() at ${job('apply-throws')}:7:32 (partition 1): row 7 is cursed\n`,
    );
  });

  it('apply throwing for one group: the message names the group by its key', () => {
    assert.match(fails('group-throws', ['--no-typecheck']), new RegExp(`^tsapply: Error in apply\\(\\) at ${job('group-throws').replace(/\./g, '\\.')}:7:35 \\(partition \\d+, group g="b"\\): group b is cursed\n$`));
  });

  it('apply throwing with --verbose shows the mapped user stack', () => {
    const stderr = fails('apply-throws', ['--no-typecheck', '--verbose']);
    assert.match(stderr, /^tsapply: Error in apply\(\) at test\/fixtures\/tsapply\/jobs\/apply-throws\.ts:7:32 \(partition 1\): row 7 is cursed\n/);
    assert.match(stderr, /apply-throws\.ts:7:32/);
  });

  it('wrong return shape', () => {
    assert.equal(
      fails('wrong-shape', ['--no-typecheck']),
      'tsapply: Wrong result from apply() (partition 0): apply() returned a number; ' +
        'expected an array of rows, a {column: values} object, an Arrow RecordBatch/Table, or an (async) iterable of rows\n',
    );
  });

  it('schema mismatch names column, expected and actual', () => {
    assert.equal(
      fails('schema-mismatch', ['--no-typecheck']),
      'tsapply: The value apply() returned for partition 1 does not fit the output schema: ' +
        'Column "days" expects bigint but row 0 has string "abc". Return a value of that type or change the schema.\n',
    );
  });

  it('missing input names the path and the format', () => {
    const path = join(JOBS, '../data/does-not-exist.csv');
    assert.equal(
      fails('missing-input', ['--no-typecheck']),
      `tsapply: Cannot read csv input "${path}": no such file or directory. ` +
        `Check input.path (a relative path is read from the folder of the file the job is written in).\n`,
    );
  });

  it('unknown serializer', () => {
    assert.equal(
      fails('apply-throws', ['--no-typecheck', '--serializer', 'xml']),
      `tsapply: Unknown serializer "xml". Use 'fast', 'compressed', 'zstd', or a path to a module whose default export is { id, serialize, deserialize } (e.g. ./my-serializer.ts).\n`,
    );
  });

  it('context with a function names the path inside the context', () => {
    assert.equal(
      fails('context-function', ['--no-typecheck']),
      "tsapply: Cannot ship the job's context: context.model.predict (function) cannot be serialized. " +
        'Functions cannot be shipped to workers; import the code in the job module instead, or build it in init().\n',
    );
  });

  it('output path that exists, without overwrite, is refused and left untouched', () => {
    const target = join(out, 'exists');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'mine');
    const r = tsapply(['run', job('identity-range'), '--output', target, '--no-typecheck']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `tsapply: Output path "${target}" already exists. Add mode: 'overwrite' to output in the job file, or pass --overwrite, to replace it.\n`,
    );
    assert.deepEqual(readdirSync(target), ['keep.txt']);
  });

  it('invalid CLI values are refused before anything runs', () => {
    assert.deepEqual(tsapply(['run', job('identity-range'), '--workers', '0']), {
      code: 1,
      stdout: '',
      stderr: 'tsapply: --workers must be a positive integer, got "0"\n',
    });
    assert.deepEqual(tsapply(['run', job('identity-range'), '--format', 'xml']), {
      code: 1,
      stdout: '',
      stderr: 'tsapply: --format must be one of parquet, csv, jsonl, arrow, got "xml"\n',
    });
  });

  it('a native addon import runs on the embedded engine and is reported', () => {
    const r = tsapply(['run', job('native-addon'), '--no-typecheck']);
    assert.equal(r.code, 0);
    assert.equal(
      r.stderr,
      'Note: the job imports native addons (lz4-napi@2.10.0); the embedded engine loads them from node_modules, but they cannot be shipped to Spark executors.\n',
    );
    assert.match(r.stdout, /\|  3\|    row 3\|/);
    const b = tsapply(['bundle', job('native-addon')]);
    assert.match(b.stdout, /native addons \(1, kept external; .*\):\n    lz4-napi@2\.10\.0 \(/);
  });
});
