/** The CLI surface: --json summary, --workers 1 vs 2, overwrite, help/version, and runJob as a library. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runJob } from 'tsapply';
import { readCsvDir, ROOT, tempDir, tsapply } from './cli-helpers.js';

const out = tempDir();
after(() => rmSync(out, { recursive: true, force: true }));
const JOB = 'test/fixtures/tsapply/jobs/identity-range.ts';

describe('tsapply run', () => {
  it('--json prints exactly one JSON summary on stdout', () => {
    const r = tsapply(['run', JOB, '--json', '--workers', '2', '--no-typecheck', '--output', join(out, 'json'), '--format', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const s = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(s).sort(), ['batches', 'elapsedMs', 'engine', 'nativeAddons', 'output', 'partitions', 'payload', 'rowsIn', 'rowsOut', 'schema', 'schemaInferred'].sort());
    assert.equal(s.engine, 'local');
    assert.equal(s.rowsIn, 2500);
    assert.equal(s.rowsOut, 2500);
    // 2 partitions of 1250 rows, each cut into batches of ≤ 300 rows: 5 per partition.
    assert.equal(s.batches, 10);
    assert.equal(s.partitions, 2);
    assert.equal(s.payload.serializer, 'fast');
    assert.match(s.payload.hash, /^[0-9a-f]{64}$/);
    assert.ok(s.payload.bytes > 0);
    assert.deepEqual(s.output, { path: join(out, 'json'), format: 'csv' });
    assert.equal(s.schema, 'id bigint, half double, tag string');
    assert.equal(s.schemaInferred, false);
  });

  it('--workers 1 and --workers 2 give identical output', () => {
    for (const w of ['1', '2']) {
      const r = tsapply(['run', JOB, '--workers', w, '--no-typecheck', '--quiet', '--output', join(out, `w${w}`), '--format', 'csv']);
      assert.equal(r.code, 0, r.stderr);
    }
    const one = readCsvDir(join(out, 'w1'));
    const two = readCsvDir(join(out, 'w2'));
    assert.equal(one.rows.length, 2500);
    assert.deepEqual(two, one);
    assert.deepEqual(one.rows[1001], ['1001', '500.5', 't0']);
    assert.deepEqual(readdirSync(join(out, 'w2')).sort(), ['_SUCCESS', 'part-00000.csv', 'part-00001.csv']);
  });

  it('--overwrite replaces the previous output; the compressed serializer gives another payload', () => {
    const dir = join(out, 'w1');
    const r = tsapply(['run', JOB, '--workers', '1', '--no-typecheck', '--json', '--output', dir, '--format', 'jsonl', '--overwrite', '--serializer', 'compressed']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).payload.serializer, 'compressed');
    assert.deepEqual(readdirSync(dir).sort(), ['_SUCCESS', 'part-00000.jsonl']);
    assert.equal(readFileSync(join(dir, 'part-00000.jsonl'), 'utf8').split('\n')[3], '{"id":3,"half":1.5,"tag":"t3"}');
  });

  it('infers and prints the schema when the job declares none', () => {
    const r = tsapply(['run', 'test/fixtures/tsapply/jobs/people.ts', '--no-typecheck']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'Inferred schema: name string, age double, big bigint, joined timestamp, active boolean\n' +
        "Add schema: 'name string, age double, big bigint, joined timestamp, active boolean' to the job to skip inference and pin the types.\n",
    );
    assert.match(r.stdout, /\| ada\|36\.0\|9007199254740993\|/); // age is a double: printed as Spark prints one
    assert.match(r.stdout, /3 rows\n$/);
  });

  it('runs a job file written in JavaScript (.mjs, .cjs) with the type-check on, which TypeScript would have refused (TS6504)', () => {
    const esm = "import { defineJob } from 'tsapply';\nexport default defineJob({ input: { range: 4 }, schema: 'twice bigint', apply: (batch) => [...batch].map((r) => ({ twice: r.id * 2n })) });\n";
    const cjs = esm.replace("import { defineJob } from 'tsapply'", "const { defineJob } = require('tsapply')").replace('export default', 'module.exports =');
    for (const [name, text] of [['job.mjs', esm], ['job.cjs', cjs]] as const) {
      writeFileSync(join(out, name), text);
      const r = tsapply(['run', name], { cwd: out });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\|twice\|\n\+-+\+\n\|\s+0\|\n\|\s+2\|\n\|\s+4\|\n\|\s+6\|\n/, `${name}:\n${r.stdout}`);
    }
  });

  it('--help and --version', () => {
    const help = tsapply(['run', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: tsapply run \[options\] <job>/);
    for (const flag of ['--workers <n>', '--serializer <name>', '--output <path>', '--format <format>', '--overwrite', '--show <n>', '--json', '--quiet', '--verbose', '--no-typecheck']) {
      assert.ok(help.stdout.includes(flag), flag);
    }
    const version = tsapply(['--version']);
    assert.equal(version.stdout, `${JSON.parse(readFileSync(join(ROOT, 'packages/tsapply/package.json'), 'utf8')).version}\n`);
  });
});

describe('runJob (library)', () => {
  it('returns the summary and writes the table to the given stream', async () => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (c) => (text += c));
    const progress: number[] = [];
    const s = await runJob(join(ROOT, JOB), { workers: 2, typecheck: false, show: 3, stdout, onProgress: (p) => progress.push(p.rowsIn) });
    assert.equal(s.rowsOut, 2500);
    assert.equal(progress.at(-1), 2500);
    assert.equal(text.trim().split('\n').at(-1), 'only showing top 3 of 2500 rows');
  });

  it('rejects unknown options with the option named', async () => {
    await assert.rejects(runJob(JOB, { workrs: 2 } as never), {
      message: 'Invalid option in runJob(): "workrs". Did you mean "workers"? Valid options: workers, serializer, output, format, overwrite, show, collect, typecheck, onTypecheckConfig, quiet, numPartitions, taskTimeoutMs, workerMemory, stdout, stderr, onProgress, signal.',
    });
    await assert.rejects(runJob(JOB, { workers: 0 }), { message: 'options.workers must be a positive integer, got 0.' });
  });
});
