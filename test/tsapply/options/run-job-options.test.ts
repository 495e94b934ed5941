// Every bad option of runJob() and of `tsapply run` gets one InvalidOptionError whose
// message names the option, the value and what would be valid — checked before any
// work is done (a table per entry, as piscina's tests do).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InvalidOptionError, runJob, type RunOptions } from 'tsapply';
import { JOBS, tsapply } from '../cli-helpers.ts';

const JOB = join(JOBS, 'identity-range.ts');

const RUN_JOB_CASES: [string, unknown, string][] = [
  ['null options', null, 'Invalid options in runJob(): expected an object, got null.'],
  ['an array', [], 'Invalid options in runJob(): expected an object, got an array.'],
  ['a string', 'fast', 'Invalid options in runJob(): expected an object, got the string "fast".'],
  [
    'an unknown key',
    { workrs: 2 },
    'Invalid option in runJob(): "workrs". Did you mean "workers"? Valid options: workers, serializer, output, format, overwrite, show, collect, typecheck, onTypecheckConfig, quiet, numPartitions, taskTimeoutMs, workerMemory, stdout, stderr, onProgress, signal.',
  ],
  ['workers 0', { workers: 0 }, 'options.workers must be a positive integer, got 0.'],
  ['workers 1.5', { workers: 1.5 }, 'options.workers must be a positive integer, got 1.5.'],
  ["workers '2'", { workers: '2' }, 'options.workers must be a positive integer, got the string "2".'],
  ['numPartitions -1', { numPartitions: -1 }, 'options.numPartitions must be a positive integer, got -1.'],
  ["overwrite 'no'", { overwrite: 'no' }, 'options.overwrite must be a boolean (true or false), got the string "no".'],
  ["typecheck 'false'", { typecheck: 'false' }, 'options.typecheck must be a boolean (true or false), got the string "false".'],
  ["quiet 'false'", { quiet: 'false' }, 'options.quiet must be a boolean (true or false), got the string "false".'],
  ['quiet 0', { quiet: 0 }, 'options.quiet must be a boolean (true or false), got 0.'],
  ['show -1', { show: -1 }, 'options.show must be a non-negative integer, got -1.'],
  ['format xml', { format: 'xml' }, 'options.format must be one of parquet, csv, jsonl, arrow, got the string "xml".'],
  ['serializer 42', { serializer: 42 }, "options.serializer must be 'fast', 'compressed', 'zstd' or a serializer module path, got 42."],
  ["serializer ''", { serializer: '' }, "options.serializer must be 'fast', 'compressed', 'zstd' or a serializer module path, got the string \"\"."],
  ['output 7', { output: 7 }, 'options.output must be a non-empty path, got 7.'],
  ['stdout a string', { stdout: 'out.txt' }, 'options.stdout must be a writable stream (such as process.stdout or a file stream), got the string "out.txt".'],
  ['stderr null', { stderr: null }, 'options.stderr must be a writable stream (such as process.stdout or a file stream), got null.'],
  ['onProgress true', { onProgress: true }, 'options.onProgress must be a function, got true.'],
  ['output empty', { output: '' }, 'output must be a non-empty path, e.g. out/result.'],
  ['taskTimeoutMs 2.5', { taskTimeoutMs: 2.5 }, 'options.taskTimeoutMs must be a positive integer, got 2.5.'],
  ["taskTimeoutMs '30s'", { taskTimeoutMs: '30s' }, 'options.taskTimeoutMs must be a positive integer, got the string "30s".'],
  ['workerMemory 16', { workerMemory: 16 }, "options.workerMemory must be a memory size of at least 64 MB, as megabytes (2048) or with a unit ('512m', '2g'); got 16."],
  ["workerMemory '2 gigs'", { workerMemory: '2 gigs' }, "options.workerMemory must be a memory size of at least 64 MB, as megabytes (2048) or with a unit ('512m', '2g'); got the string \"2 gigs\"."],
];

describe('runJob() options', () => {
  for (const [what, options, message] of RUN_JOB_CASES) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(runJob(JOB, options as RunOptions), (e: unknown) => {
        assert.ok(e instanceof InvalidOptionError, `expected an InvalidOptionError, got ${String(e)}`);
        assert.equal(e.message, message);
        assert.equal(e.code, 'INVALID_OPTION');
        return true;
      });
    });
  }
});

const CLI_CASES: [string[], string][] = [
  [['--workers', '0'], '--workers must be a positive integer, got "0"'],
  [['--format', 'xml'], '--format must be one of parquet, csv, jsonl, arrow, got "xml"'],
  [['--show', '-3'], '--show must be a non-negative integer, got "-3"'],
  [
    ['--remote', 'sc://localhost:1', '--workers', '2'],
    '--workers applies to the embedded engine only; with --remote the cluster decides how many tasks run at once (spark.executor.instances and spark.executor.cores). Remove --workers or --remote.',
  ],
  [['--task-timeout', 'soon'], '--task-timeout must be a positive number of seconds, such as 30 or 2.5, got "soon"'],
  [['--task-timeout', '0'], '--task-timeout must be a positive number of seconds, such as 30 or 2.5, got "0"'],
  [['--worker-memory', '1k'], "--worker-memory must be a memory size of at least 64 MB, as megabytes (2048) or with a unit ('512m', '2g'); got the string \"1k\"."],
  [['--python-ver', '3.11'], "--python-ver applies to Spark runs only (the executors' Python; the embedded engine runs no Python). Add --remote or remove --python-ver."],
  [['--executor-node', 'ship'], "--executor-node applies to Spark runs only (the executors' Node; the embedded engine runs this process's own). Add --remote or remove --executor-node."],
  [
    ['--executor-node-version', '24'],
    "--executor-node-version applies to Spark runs only (the Node shipped to the executors; the embedded engine runs this process's own). Add --remote or remove --executor-node-version.",
  ],
  [
    ['--remote', 'sc://localhost:1', '--executor-node', 'bin/node'],
    "--executor-node must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got \"bin/node\". A relative path would be resolved in each executor's working folder; give an absolute one.",
  ],
  [
    ['--output', 'out', '--show', '5'],
    '--show sets how many rows are printed when there is no output; with --output the rows go to files. Remove --show or --output.',
  ],
];

describe('tsapply run flags', () => {
  for (const [flags, message] of CLI_CASES) {
    it(`refuses ${flags.join(' ')}`, () => {
      const r = tsapply(['run', JOB, ...flags]);
      assert.equal(r.stderr, `tsapply: ${message}\n`);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
    });
  }
});
