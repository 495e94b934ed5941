// User code that hangs, runs out of memory, ends its worker or throws from a timer, on
// both engines (issue 14, item 3): each fails its task with a message that names what
// happened, the partition and the option to change, writes nothing, and leaves the
// engine able to run the next job. On Spark a transient hang is retried and the job
// completes with the right rows. Real workers, a real Spark server (SPARK_REMOTE).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob, runJobOnSpark, SparkSession, TaskTimeoutError, UserCodeError, WorkerOutOfMemoryError } from 'tsapply';
import { readArrowDir } from './both-engines.ts';
import { tsapply } from '../tsapply/cli-helpers.ts';

const FAULTS = 'test/fixtures/faults';
let spark: SparkSession;
let out: string;

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
  out = mkdtempSync(join(tmpdir(), 'tsapply-worker-faults-'));
});
after(async () => {
  await spark?.stop();
  rmSync(out, { recursive: true, force: true });
});

type Engine = 'embedded' | 'spark';
const run = (engine: Engine, job: string, options: Record<string, unknown>) =>
  engine === 'embedded'
    ? runJob(join(FAULTS, job), { workers: 2, quiet: true, typecheck: false, ...options })
    : runJobOnSpark(join(FAULTS, job), { spark, quiet: true, typecheck: false, ...options });

const cases: { name: string; job: string; options: Record<string, unknown>; check: (e: unknown) => void }[] = [
  {
    name: 'a synchronous loop fails its task after the job file\'s taskTimeoutMs',
    job: 'hang-sync.ts',
    options: {},
    check: (e) => {
      assert.ok(e instanceof TaskTimeoutError, String(e));
      assert.equal(e.partition, 1);
      assert.equal(e.timeoutMs, 2000);
      assert.match(e.message, /^The function ran longer than the task timeout in partition 1: one call took more than 2 s \(taskTimeoutMs: 2000\)\./);
      assert.match(e.message, /--task-timeout <seconds>/);
    },
  },
  {
    name: 'a group that never returns fails its task naming the group',
    job: 'hang-group.ts',
    options: {},
    check: (e) => {
      assert.ok(e instanceof TaskTimeoutError, String(e));
      assert.equal(e.group, 'id=7');
      assert.match(e.message, /^The function ran longer than the task timeout in partition \d+ \(group id=7\): one call took more than 2 s \(taskTimeoutMs: 2000\)\./);
    },
  },
  {
    name: 'a promise that never settles fails its task after the taskTimeoutMs option',
    job: 'hang-async.ts',
    options: { taskTimeoutMs: 1500 },
    check: (e) => {
      assert.ok(e instanceof TaskTimeoutError, String(e));
      assert.equal(e.partition, 0);
      assert.match(e.message, /one call took more than 1\.5 s \(taskTimeoutMs: 1500\)/);
    },
  },
  {
    name: 'allocating without bound ends in out of memory, naming the partition and the limit',
    job: 'out-of-memory.ts',
    options: { workerMemory: '128m' },
    check: (e) => {
      assert.ok(e instanceof WorkerOutOfMemoryError, String(e));
      assert.equal(e.partition, 0);
      assert.equal(e.heapLimitMb, 128);
      assert.match(e.message, /^Out of memory in partition 0 \(heap limit 128 MB\).*workerMemory \(--worker-memory, e\.g\. 4g\)/);
    },
  },
  {
    name: "process.exit() in the job's code fails the task at the user's line",
    job: 'process-exit.ts',
    options: {},
    check: (e) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.equal(e.location?.file, 'test/fixtures/faults/process-exit.ts');
      assert.equal(e.location?.line, 8);
      assert.match(e.message, /process\.exit\(3\) was called by the job's code/);
    },
  },
  {
    name: "a throw in a timer fails the task at the user's line, and nothing hangs",
    job: 'timer-throw.ts',
    options: {},
    check: (e) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.equal(e.location?.file, 'test/fixtures/faults/timer-throw.ts');
      assert.equal(e.location?.line, 9);
      assert.match(e.message, /late failure in a timer/);
    },
  },
];

for (const engine of ['embedded', 'spark'] as const) {
  describe(`runaway user code on the ${engine} engine`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const target = join(out, `${engine}-${c.job}`);
        await assert.rejects(run(engine, c.job, { ...c.options, output: target, format: 'parquet' }), (e: unknown) => {
          c.check(e);
          return true;
        });
        assert.equal(existsSync(target), false, 'a failed job leaves no output');
      });
    }

    it('then runs the next job as usual', async () => {
      const target = join(out, `${engine}-after`);
      const summary = await run(engine, '../spark/executor-node/node-version-job.ts', { output: target, format: 'arrow' });
      assert.equal(summary.rowsOut, 4);
      assert.equal(readArrowDir(target).rows.length, 4);
    });
  });
}

describe('--task-timeout on the command line', () => {
  for (const engine of ['embedded', 'spark'] as const) {
    it(`fails a call that never settles on the ${engine} engine, naming the flag`, () => {
      const target = join(out, `cli-timeout-${engine}`);
      const remote = engine === 'spark' ? ['--remote', process.env.SPARK_REMOTE!] : [];
      const r = tsapply(['run', join(FAULTS, 'hang-async.ts'), '--task-timeout', '1.5', '--no-typecheck', '--output', target, ...remote]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /The function ran longer than the task timeout in partition 0: one call took more than 1\.5 s \(taskTimeoutMs: 1500\)\./);
      assert.match(r.stderr, /--task-timeout <seconds>/);
      assert.equal(existsSync(target), false, 'a failed job leaves no output');
    });
  }
});

describe('a transient hang on Spark', () => {
  it('is retried after the timeout and the job completes with the right rows', async () => {
    const marker = join(out, 'hung-once');
    process.env.TSAPPLY_TEST_HANG_MARKER = marker;
    try {
      const target = join(out, 'hang-once');
      await runJobOnSpark(join(FAULTS, 'hang-once.ts'), { spark, quiet: true, typecheck: false, output: target, format: 'arrow' });
      assert.ok(existsSync(marker), 'partition 1 hung once');
      const expected = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `${i}n`, twice: `${2 * i}n` })).sort();
      assert.deepEqual(readArrowDir(target).rows, expected);
    } finally {
      delete process.env.TSAPPLY_TEST_HANG_MARKER;
    }
  });
});

/** The Node worker pids (with their parents) the spin-forever job noted so far. */
function notedPids(file: string): { node: number; parent: number }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [node, parent] = l.split(' ').map(Number);
      return { node: node!, parent: parent! };
    });
}

async function waitUntil(what: string, ms: number, done: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) assert.fail(`${what}: still not so after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const running = (pid: number) => existsSync(`/proc/${pid}`);

describe('a Node worker whose Python worker goes away', () => {
  it('ends too, even in a call that never returns and with no task timeout', async (t) => {
    const pids = join(out, 'spin-pids');
    // Read when the job file is loaded, which happens after the call returns.
    process.env.TSAPPLY_TEST_PIDS_FILE = pids;
    t.after(() => delete process.env.TSAPPLY_TEST_PIDS_FILE);
    const job = runJobOnSpark(join(FAULTS, 'spin-forever.ts'), { spark, quiet: true, typecheck: false, output: join(out, 'spin'), format: 'arrow' });
    let ended: unknown;
    const failed = job.then(
      () => assert.fail('a job that never returns cannot succeed'),
      (e: unknown) => (ended = e),
    );
    await waitUntil('the first call started', 60_000, () => {
      if (ended !== undefined) throw ended;
      return notedPids(pids).length > 0;
    });
    const first = notedPids(pids)[0]!;
    // What Spark does to a cancelled or lost task's Python worker: it kills it.
    process.kill(first.parent, 'SIGKILL');
    await waitUntil(`Node worker ${first.node} ended after its Python worker ${first.parent} was killed`, 10_000, () => !running(first.node));

    // Spark retries the task, whose call spins again; cancelling the job must end that one too.
    await spark.interruptAll();
    assert.ok(await failed, 'the job failed');
    for (const { node } of notedPids(pids)) {
      await waitUntil(`Node worker ${node} of the cancelled job ended`, 20_000, () => !running(node));
    }
    assert.equal(existsSync(join(out, 'spin')), false, 'a failed job leaves no output');
  });
});
