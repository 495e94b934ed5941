// Fault tests on the runner's Spark server (local[2,2]: a failed task is retried once):
// a Node worker killed mid-task recovers with exactly the right rows; user errors and
// schema mismatches through `tsapply run --remote` print the exact message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkSession, WorkerCrashError, translateSparkError } from 'tsapply';
import { dieOnce } from '../fixtures/spark/basic-fns.ts';
import { tsapply } from '../tsapply/cli-helpers.js';

let spark: SparkSession;
const dir = mkdtempSync(join(tmpdir(), 'tsapply-faults-'));

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Node worker killed mid-task', () => {
  it('fails the attempt, Spark retries the task, and the job completes with exactly the right rows', async () => {
    const out = await spark.range(0, 1000, 1, 2).mapInArrow(dieOnce, { schema: 'id bigint', context: { dir } });
    const rows = await out.collect();
    assert.ok(existsSync(join(dir, 'killed-0')), 'the first attempt killed its worker');
    assert.deepEqual(
      rows.map((r) => r.id),
      Array.from({ length: 1000 }, (_, i) => BigInt(i)),
    );
  });

  it('turns the crash into a WorkerCrashError with exit status and stderr tail when no retry is left', () => {
    const text =
      'org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n' +
      "tsapply_shim_x.TsapplyWorkerError: tsapply's Node worker (pid 42) was killed by SIGKILL while running a task (partition 0). Last 1 lines of its stderr:\nabout to be killed\n" +
      'tsapply-error: {"code": "WORKER_CRASHED", "exitCode": null, "message": "tsapply\'s Node worker (pid 42) was killed by SIGKILL while running a task (partition 0). Last 1 lines of its stderr:\\nabout to be killed", "name": "WorkerCrashError", "partition": 0, "pid": 42, "signal": "SIGKILL", "stderrTail": ["about to be killed"]}\n';
    const e = translateSparkError({ serverMessage: text, message: text });
    assert.ok(e instanceof WorkerCrashError);
    assert.equal(e.message, "tsapply's Node worker (pid 42) was killed by SIGKILL while running a task (partition 0). Last 1 lines of its stderr:\nabout to be killed");
    assert.equal(e.signal, 'SIGKILL');
    assert.equal(e.exitCode, null);
    assert.deepEqual(e.stderrTail, ['about to be killed']);
  });
});

describe('tsapply run --remote: errors exactly as the user sees them', () => {
  it('a throw in apply(): message, original .ts line and partition; exit code 1', () => {
    const r = tsapply(['run', 'test/fixtures/tsapply/jobs/apply-throws.ts', '--remote', '--quiet', '--no-typecheck']);
    assert.equal(r.code, 1);
    // range(10) on local[2] is two partitions: row 7 is in partition 1.
    assert.equal(r.stderr, 'tsapply: Error in apply() at test/fixtures/tsapply/jobs/apply-throws.ts:7:32 (partition 1): row 7 is cursed\n');
  });

  it('a schema mismatch, and the failed Spark write leaves no output directory behind', () => {
    const r = tsapply(['run', 'test/fixtures/tsapply/jobs/schema-mismatch.ts', '--remote', '--quiet', '--no-typecheck']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'tsapply: The value apply() returned for partition 1 does not fit the output schema: Column "days" expects bigint but row 1 has string "abc". Return a value of that type or change the schema.\n',
    );
    assert.equal(existsSync('test/fixtures/tsapply/jobs/out-should-not-exist'), false);
  });

  it('--json reports engine, rows, payload and uploads', () => {
    const r = tsapply(['run', 'test/fixtures/spark/jobs/empty-partitions.ts', '--remote', '--json', '--no-typecheck']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(summary.engine, 'spark');
    assert.equal(summary.rowsOut, 3);
    assert.equal(summary.schema, 'id bigint, sq bigint');
    assert.equal(typeof (summary.payload as { hash: string }).hash, 'string');
    assert.ok((summary.payload as { bytes: number }).bytes > 0);
    // A fresh CLI process opens a fresh session: shim, worker and payload go up once each.
    assert.equal(summary.uploads, 3);
    assert.ok(readFileSync(join('test/fixtures/spark/jobs/empty-partitions.ts'), 'utf8').length > 0);
  });
});

