// The executor path without Spark: a real Python (with pyarrow) unpickles tsapply's
// command exactly as Spark's Python worker does and feeds real record batches through
// the shim to the real Node worker process (the self-contained worker bundle), which
// runs real bundled jobs. See shim-harness.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, firstLine, markerJson, runDriver, ShimWorkspace, testPython } from './shim-harness.js';
import type { JobFiles, StepResult } from './shim-harness.js';

const py = await testPython();
const skip = 'skip' in py ? py.skip : false;
const python = 'python' in py ? py.python : '';

const ID_X: [string, string][] = [
  ['id', 'int64'],
  ['x', 'float64'],
];

describe('Python shim ⇄ Node worker process', { skip }, () => {
  let ws: ShimWorkspace;
  let identity: JobFiles;
  let widen: JobFiles;
  let narrow: JobFiles;
  let explode: JobFiles;
  let throws: JobFiles;
  let noisy: JobFiles;
  let grouped: JobFiles;
  let wrongShape: JobFiles;

  before(async () => {
    ws = await new ShimWorkspace().init();
    identity = await ws.addJob('identity.ts', 'id bigint, x double');
    widen = await ws.addJob('widen.ts', 'id bigint, x double, y double, label string');
    narrow = await ws.addJob('narrow.ts', 'id bigint');
    explode = await ws.addJob('explode.ts', 'id bigint, j int');
    throws = await ws.addJob('throws.ts', 'id bigint');
    noisy = await ws.addJob('noisy.ts', 'id bigint');
    grouped = await ws.addJob('grouped.ts', 'g string, n bigint, total double', { mode: 'grouped', groupColumns: ['g'] });
    wrongShape = await ws.addJob('wrong-shape.ts', 'id bigint');
  });

  after(() => ws?.cleanup());

  describe('many tasks in one Python worker', () => {
    let results: StepResult[];
    const rows3 = { kind: 'rows' as const, schema: ID_X, rows: [[1, 0.5], [2, 1], [3, 1.5]], batchRows: 2 };

    before(async () => {
      ({ results } = await runDriver(python, ws.dir, [
        { command: identity.command, partition: 0, input: rows3, collect: 'rows' },
        { command: widen.command, partition: 1, input: rows3, collect: 'rows' },
        { command: narrow.command, partition: 2, input: rows3, collect: 'rows' },
        {
          
          command: explode.command,
          partition: 0,
          input: { kind: 'rows', schema: ID_X, rows: [1, 2, 3, 4, 5, 6].map((i) => [i, 0]) },
          collect: 'rows',
        },
        { command: identity.command, partition: 4, input: { kind: 'rows', schema: ID_X, rows: [] }, collect: 'rows' },
        { command: identity.command, partition: 5, input: { kind: 'rows', schema: ID_X, rows: [[42, -1.25]] }, collect: 'rows' },
        { command: throws.command, partition: 3, input: rows3, collect: 'rows' },
        { command: throws.command, partition: 0, input: rows3, collect: 'rows' },
        { command: noisy.command, partition: 1, input: rows3, collect: 'rows' },
        {
          command: grouped.command,
          partition: 6,
          // Sorted by g, as the driver's plan delivers it; batches of 2 split groups.
          input: { kind: 'rows', schema: [['g', 'string'], ['x', 'float64']], rows: [['a', 1], ['é', 1.5], ['é', 2.25], ['é', 4], ['z', 0.5]], batchRows: 2 },
          collect: 'rows',
        },
        { command: wrongShape.command, partition: 2, input: rows3, collect: 'rows' },
      ]));
    });

    it('unpickles to (callable, StructType) and passes an identity partition through', () => {
      const r = results[0];
      assert.equal(r.ok, true, r.message);
      assert.equal(r.callable, true);
      assert.equal(r.returnType, 'struct<id:bigint,x:double>');
      assert.deepEqual(r.rows, [
        { id: 1, x: 0.5 },
        { id: 2, x: 1 },
        { id: 3, x: 1.5 },
      ]);
    });

    it('returns output wider than the input', () => {
      assert.deepEqual(results[1].rows, [
        { id: 1, x: 0.5, y: 1, label: 'row-1' },
        { id: 2, x: 1, y: 2, label: 'row-2' },
        { id: 3, x: 1.5, y: 3, label: 'row-3' },
      ]);
      assert.equal(results[1].schema, 'id: int64\nx: double\ny: double\nlabel: string');
    });

    it('returns output narrower than the input', () => {
      assert.deepEqual(results[2].rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    });

    it('returns many output rows per input row', () => {
      const expected = [1, 2, 3, 4, 5, 6].flatMap((id) => Array.from({ length: id % 4 }, (_, j) => ({ id, j })));
      assert.equal(expected.length, 9);
      assert.deepEqual(results[3].rows, expected);
    });

    it('handles an empty partition (zero batches) and a one-row partition', () => {
      assert.equal(results[4].ok, true, results[4].message);
      assert.deepEqual(results[4].rows, []);
      assert.deepEqual(results[5].rows, [{ id: 42, x: -1.25 }]);
    });

    it("raises the user's error with the original .ts line and partition, and keeps the worker usable", () => {
      const r = results[6];
      assert.equal(r.ok, false);
      assert.equal(r.errorType, 'TsapplyUserError');
      // Batches of 2 rows: the first batch (2 rows) throws.
      assert.equal(firstLine(r.message), 'Error in apply() at test/fixtures/process/throws.ts:10:13 (partition 3): boom on 2 rows');
      const marker = markerJson(r.message);
      assert.equal(marker.name, 'UserCodeError');
      assert.equal(marker.code, 'USER_CODE');
      assert.equal(marker.partition, 3);
      assert.deepEqual((marker.fields as Record<string, unknown>).location, { file: 'test/fixtures/process/throws.ts', line: 10, column: 13 });
      // The next task on the same process succeeds.
      assert.deepEqual(results[7].rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);
      assert.equal(results[7].pid, results[6].pid);
    });

    it("keeps user code's stdout off the protocol stream", () => {
      assert.equal(results[8].ok, true, results[8].message);
      assert.deepEqual(results[8].rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    });

    it('runs a grouped task: the sorted partition cut into groups across batches, one call each with ctx.key', () => {
      const r = results[9];
      assert.equal(r.ok, true, r.message);
      assert.equal(r.returnType, 'struct<g:string,n:bigint,total:double>');
      assert.deepEqual(r.rows, [
        { g: 'a', n: 1, total: 1 },
        { g: 'é', n: 3, total: 7.75 },
        { g: 'z', n: 1, total: 0.5 },
      ]);
    });

    it('relays a wrongly shaped result as a user error: ResultShapeError with the partition', () => {
      const r = results[10];
      assert.equal(r.ok, false);
      assert.equal(r.errorType, 'TsapplyUserError');
      assert.equal(firstLine(r.message), 'Wrong result from apply() (partition 2): Row 0 is string "1"; each row must be an object like { name: value }.');
      const marker = markerJson(r.message);
      assert.equal(marker.name, 'ResultShapeError');
      assert.equal(marker.code, 'RESULT_SHAPE');
      assert.deepEqual(marker.fields, { actual: 'string "1"', rowIndex: 0, partition: 2 });
    });

    it('serves every task from one Node process', () => {
      const pids = new Set(results.map((r) => r.pid));
      assert.equal(pids.size, 1);
      assert.equal(typeof results[0].pid, 'number');
    });
  });

  it('finds artifacts by file name in the working directory (the SparkFiles dir)', async () => {
    const job = await ws.addJob('narrow.ts', 'id bigint', { relativeNames: true });
    const { results } = await runDriver(python, ws.dir, [
      { command: job.command, input: { kind: 'rows', schema: ID_X, rows: [[7, 0]] }, collect: 'rows' },
    ]);
    assert.deepEqual(results[0].rows, [{ id: 7 }]);
  });

  it('streams a 2-million-row partition in 64k-row batches without deadlock, with bounded worker memory', async () => {
    const { results } = await runDriver(python, ws.dir, [
      { command: identity.command, partition: 0, input: { kind: 'range', rows: 2_000_000, batchRows: 65_536 }, measureRss: true },
      { command: widen.command, partition: 1, input: { kind: 'range', rows: 2_000_000, batchRows: 65_536 }, measureRss: true },
    ]);
    for (const r of results) {
      assert.equal(r.ok, true, r.message);
      assert.equal(r.rowsOut, 2_000_000);
      // The widened partition is ~90 MB of Arrow data; the worker holds a few batches.
      assert.ok(r.maxRssKb! > 0 && r.maxRssKb! < 300 * 1024, `worker RSS ${r.maxRssKb} kB`);
      process.stderr.write(
        `# 2M rows: ${Math.round(2_000_000 / r.seconds).toLocaleString('en-US')} rows/s, worker max RSS ${Math.round(r.maxRssKb! / 1024)} MB\n`,
      );
    }
  });

  it('talks to the worker through pipes that hold a whole batch frame (1 MB, not the default 64 KB)', { skip: process.platform !== 'linux' && 'F_SETPIPE_SZ is Linux only' }, async () => {
    const { results } = await runDriver(python, ws.dir, [{ command: identity.command, input: { kind: 'range', rows: 100_000, batchRows: 10_000 } }]);
    assert.equal(results[0]!.ok, true, results[0]!.message);
    assert.equal(results[0]!.rowsOut, 100_000);
    assert.deepEqual(results[0]!.pipeBytes, [1 << 20, 1 << 20]);
  });

  it('stops early when the consumer does (a limit) and reuses the worker', async () => {
    const { results } = await runDriver(python, ws.dir, [
      { command: identity.command, input: { kind: 'range', rows: 1_000_000, batchRows: 65_536 }, stopAfterOutputBatches: 2 },
      { command: narrow.command, input: { kind: 'rows', schema: ID_X, rows: [[1, 0]] }, collect: 'rows' },
    ]);
    assert.equal(results[0].ok, true, results[0].message);
    // Results come in batches of at most 10,000 rows (the payload's default batchSize).
    assert.equal(results[0].rowsOut, 2 * 10_000);
    assert.deepEqual(results[1].rows, [{ id: 1 }]);
    assert.equal(results[1].pid, results[0].pid);
  });

  it('reports a worker killed mid-task with its signal, then starts a fresh one', async () => {
    const { results } = await runDriver(python, ws.dir, [
      { command: identity.command, partition: 5, input: { kind: 'range', rows: 2_000_000, batchRows: 65_536 }, killAfterOutputBatches: 2 },
      { command: narrow.command, input: { kind: 'rows', schema: ID_X, rows: [[9, 0]] }, collect: 'rows' },
    ]);
    const [killed, next] = results;
    assert.equal(killed.ok, false);
    assert.equal(killed.errorType, 'TsapplyWorkerError');
    const marker = markerJson(killed.message);
    assert.equal(marker.signal, 'SIGKILL');
    assert.equal(marker.exitCode, null);
    assert.equal(marker.partition, 5);
    assert.equal(firstLine(killed.message), `tsapply's Node worker (pid ${marker.pid}) was killed by SIGKILL while running a task (partition 5). It wrote nothing to stderr.`);
    assert.equal(next.ok, true, next.message);
    assert.deepEqual(next.rows, [{ id: 9 }]);
    assert.notEqual(next.pid, marker.pid);
  });

  it('reports a worker that exits with its exit code and the tail of its stderr', async () => {
    const { results } = await runDriver(python, ws.dir, [
      { command: noisy.command, partition: 7, input: { kind: 'rows', schema: ID_X, rows: [[1, 0]] } },
      { command: narrow.command, input: { kind: 'rows', schema: ID_X, rows: [[2, 0]] }, collect: 'rows' },
    ]);
    const marker = markerJson(results[0].message);
    assert.equal(results[0].errorType, 'TsapplyWorkerError');
    assert.equal(marker.exitCode, 3);
    assert.equal(marker.signal, null);
    assert.equal(
      results[0].message!.split('\ntsapply-error: ')[0],
      `tsapply's Node worker (pid ${marker.pid}) exited with code 3 while running a task (partition 7). Last 3 lines of its stderr:\n` +
        'apply saw 1 rows\nraw stdout write\nnative library failed: out of cheese',
    );
    assert.deepEqual(results[1].rows, [{ id: 2 }]);
  });

  it('fails at once, naming the cause, when something else prints to the worker\'s stdout', async () => {
    // The text's first bytes read as a frame header with a type no frame has ("h") and a
    // length of about 1.8 GB: the shim used to wait for that body for ever.
    const preloaded = await ws.addJob('identity.ts', 'id bigint, x double', { nodeOptions: { args: ['--require', join(FIXTURES, 'prints-to-stdout.cjs')] } });
    const { results } = await runDriver(
      python,
      ws.dir,
      [
        { command: preloaded.command, input: { kind: 'rows', schema: ID_X, rows: [[1, 0]] } },
        { command: identity.command, input: { kind: 'rows', schema: ID_X, rows: [[2, 0]] }, collect: 'rows' },
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(results[0]!.ok, false);
    assert.equal(results[0]!.errorType, 'TsapplyWorkerError');
    assert.match(
      firstLine(results[0]!.message),
      /^tsapply's Node worker \(pid \d+\) sent an unknown frame type 104 on its stdout, which carries only frames\. Either something in the worker process printed to stdout \(a module loaded with --require or a flag in NODE_OPTIONS on the executors: remove it or make it print to stderr\), or the worker bundle and the shim do not match \(re-run the job\)\.$/,
    );
    assert.equal(markerJson(results[0]!.message).code, 'PROTOCOL');
    assert.deepEqual(results[1]!.rows, [{ id: 2, x: 0 }]);
  });

  describe('executor setup errors', () => {
    const envWithout = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
      const env = { ...process.env };
      delete env.TSAPPLY_NODE;
      return { ...env, ...extra };
    };

    it("says how to fix a missing 'node'", async () => {
      const { results } = await runDriver(python, ws.dir, [{ command: identity.command, input: { kind: 'rows', schema: ID_X, rows: [] } }], {
        env: envWithout({ PATH: '/nonexistent-bin' }),
      });
      assert.equal(results[0].errorType, 'TsapplySetupError');
      assert.equal(
        firstLine(results[0].message),
        "tsapply needs Node.js >= 20 on every Spark executor; 'node' was not found on PATH (PATH=/nonexistent-bin). " +
          'tsapply ships a Node.js runtime when its probe finds none on the executors, but this executor differs from the probed one: run with --executor-node ship, or install Node.js 20+ on the executors or set TSAPPLY_NODE=/path/to/node.',
      );
    });

    it('refuses a node older than 20', async () => {
      const fake = join(ws.dir, 'old-node');
      writeFileSync(fake, '#!/bin/sh\necho v18.19.0\n');
      chmodSync(fake, 0o755);
      const { results } = await runDriver(python, ws.dir, [{ command: identity.command, input: { kind: 'rows', schema: ID_X, rows: [] } }], {
        env: envWithout({ TSAPPLY_NODE: fake }),
      });
      assert.equal(
        firstLine(results[0].message),
        `tsapply needs Node.js >= 20 on every Spark executor; ${fake} reports version 'v18.19.0'. ` +
          'tsapply ships a Node.js runtime when its probe finds none on the executors, but this executor differs from the probed one: run with --executor-node ship, or install Node.js 20+ on the executors or set TSAPPLY_NODE=/path/to/node.',
      );
    });

    it('says pyarrow is missing', () => {
      const code = [
        'import sys',
        'sys.modules["pyarrow"] = None',
        `sys.path.insert(0, ${JSON.stringify(ws.dir)})`,
        'import glob, os, pickle',
        `cmd = pickle.loads(open(${JSON.stringify(identity.command)}, "rb").read())`,
        'try:',
        '    next(iter(cmd[0](iter([]))))',
        'except Exception as e:',
        '    print(type(e).__name__); print(str(e).splitlines()[0])',
      ].join('\n');
      const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
      const [type, message] = r.stdout.trim().split('\n');
      assert.equal(type, 'TsapplySetupError', r.stderr);
      assert.equal(
        message,
        `tsapply needs pyarrow in the Python of every Spark executor (${python}); importing it failed: ` +
          'import of pyarrow halted; None in sys.modules. Install it there with `pip install pyarrow`.',
      );
    });

    it('refuses a worker bundle whose sha256 does not match', async () => {
      const job = await ws.addJob('narrow.ts', 'id bigint', { workerSha256: '0'.repeat(64) });
      const { results } = await runDriver(python, ws.dir, [{ command: job.command, input: { kind: 'rows', schema: ID_X, rows: [[1, 0]] } }]);
      assert.equal(results[0].errorType, 'TsapplySetupError');
      assert.equal(
        firstLine(results[0].message),
        `tsapply's worker bundle ${ws.worker!.file} is corrupted: sha256 ${ws.worker!.sha256}, expected ${'0'.repeat(64)}. ` +
          'Re-run the job so it is uploaded again.',
      );
    });

    it('says when the payload is not on the executor', async () => {
      const job = await ws.addJob('narrow.ts', 'id bigint');
      rmSync(join(ws.dir, job.payloadFile));
      const { results } = await runDriver(python, ws.dir, [{ command: job.command, input: { kind: 'rows', schema: ID_X, rows: [[1, 0]] } }]);
      const path = join(ws.dir, job.payloadFile);
      assert.equal(results[0].errorType, 'TsapplySetupError');
      assert.equal(
        firstLine(results[0].message),
        `tsapply could not find the job payload '${path}' on this executor (looked at: ${path}). ` +
          'It is uploaded as a Spark files/ artifact when the job starts; re-run the job, and check that the executors can fetch session artifacts.',
      );
    });
  });
});
