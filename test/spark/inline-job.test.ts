// A job object of the running script (its functions inline) on the Spark server the test
// runner starts (SPARK_REMOTE) and on the embedded engine: the same rows and schema on
// both, grouped or not, and a capture refused at the call naming Spark.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mean } from 'simple-statistics';
import { defineJob, runJob, runJobOnSpark, SparkSession, UserCodeError, type Batch, type JobDefinition } from 'tsapply';
import { lineOf } from '../tsapply/closures/helpers.ts';
import { tableFromArrays, type Table } from 'apache-arrow';
import { canonical, readArrowDir } from './both-engines.ts';

let spark: SparkSession;
let out: string;
before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
  out = mkdtempSync(join(tmpdir(), 'tsapply-inline-spark-'));
});
after(async () => {
  await spark?.stop();
  rmSync(out, { recursive: true, force: true });
});

const THIS_FILE = new URL(import.meta.url).pathname;
const buckets = new Map([[0, 'low'], [1, 'mid'], [2, 'high']]);
const bucketOf = (id: bigint) => buckets.get(Number(id % 3n))!;

describe('a job object on Spark and on the embedded engine', () => {
  it('gives the same rows and schema, with captured values, an npm import and groupBy', async () => {
    const scale = 0.25;
    const jobs = {
      scored: defineJob({
        input: { range: 500, numPartitions: 3 },
        context: { plus: 1 },
        apply: (batch: Batch, ctx) => [...batch].map((r) => ({ id: r.id, bucket: bucketOf(r.id as bigint), score: Number(r.id) * scale + (ctx.context as { plus: number }).plus })),
      }),
      grouped: defineJob({
        input: { range: 500, numPartitions: 3 },
        schema: 'bucket string, n bigint, mean_id double',
        groupBy: ['bucket'],
        apply: (batch: Batch) => {
          const ids = Array.from(batch.values('id') as BigInt64Array, Number);
          return [{ bucket: bucketOf(BigInt(ids[0]!)), n: BigInt(ids.length), mean_id: mean(ids) }];
        },
      }),
    };
    // The grouped job groups the ids by a column the input must have: add it with a first job.
    const withBucket = join(out, 'with-bucket');
    await runJob(jobs.scored, { workers: 2, output: withBucket, format: 'parquet', quiet: true });
    const grouped = { ...jobs.grouped, input: { format: 'parquet' as const, path: withBucket } };
    const both: [string, JobDefinition<any, any>][] = [['scored', jobs.scored], ['grouped', grouped]];
    for (const [name, job] of both) {
      const local = join(out, `${name}-local`);
      const remote = join(out, `${name}-spark`);
      await runJob(job, { workers: 2, output: local, format: 'arrow', quiet: true });
      const summary = await runJobOnSpark(job, { spark, output: remote, format: 'arrow', quiet: true });
      assert.equal(summary.engine, 'spark');
      assert.deepEqual(readArrowDir(remote), readArrowDir(local), name);
    }
    // collect: true gives the same rows as a table on both engines.
    const rowsOf = (t: Table) => t.toArray().map((r) => JSON.stringify(canonical(r.toJSON()))).sort();
    const localTable = (await runJob(jobs.scored, { workers: 2, quiet: true, collect: true })).table!;
    const sparkSummary = await runJobOnSpark(jobs.scored, { spark, quiet: true, collect: true });
    assert.deepEqual(sparkSummary.output, { path: null, format: 'collected' });
    assert.equal(sparkSummary.rowsOut, 500);
    assert.deepEqual(rowsOf(sparkSummary.table!), rowsOf(localTable));
    assert.deepEqual(rowsOf(localTable), readArrowDir(join(out, 'scored-local')).rows);
    const scored = readArrowDir(join(out, 'scored-local'));
    assert.equal(scored.ddl, 'id bigint, bucket string, score double');
    assert.equal(scored.rows.length, 500);
    assert.deepEqual(
      readArrowDir(join(out, 'grouped-spark')).rows,
      ['low', 'mid', 'high']
        .map((bucket, k) => {
          const ids = Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 3 === k);
          return JSON.stringify({ bucket, n: `${ids.length}n`, mean_id: mean(ids) });
        })
        .sort(),
    );
  });

  it('reads an Arrow table in memory as input, in other layouts of Spark types too, as the embedded engine does', async () => {
    const when = [new Date(Date.UTC(2024, 0, 1, 12)), new Date(Date.UTC(2024, 5, 30)), new Date(Date.UTC(1999, 11, 31, 23, 59, 59))];
    const built = tableFromArrays({ city: ['Oslo', 'Lima', 'Oslo'], at: when, n: Int32Array.from([3, 4, 5]) });
    const job = defineJob({
      input: { table: built },
      schema: 'line string',
      apply: (batch: Batch) => [...batch].map((r) => ({ line: `${r.city} ${(r.at as Date).toISOString()} ${r.n}` })),
    });
    const remote = await runJobOnSpark(job, { spark, quiet: true, collect: true });
    const local = await runJob(job, { workers: 2, quiet: true, collect: true });
    const lines = (t: Table) => t.toArray().map((r) => r.line as string).sort();
    assert.deepEqual(lines(remote.table!), ['Lima 2024-06-30T00:00:00.000Z 4', 'Oslo 1999-12-31T23:59:59.000Z 5', 'Oslo 2024-01-01T12:00:00.000Z 3']);
    assert.deepEqual(lines(local.table!), lines(remote.table!));
    // createDataFrame takes the same table, through the same conversion.
    const df = spark.createDataFrame(built);
    assert.equal((await df.schema()).ddl, 'city string, at timestamp_ntz, n int NOT NULL'); // tableFromArrays' own: Dates without a time zone, typed arrays without nulls
    assert.deepEqual((await df.orderBy('n').collect()).map((r) => (r.at as Date).toISOString()), when.map((d) => d.toISOString()));
  });

  it('reports a throw in the inline function at its line here, and refuses a capture naming Spark', async () => {
    const job = defineJob({
      input: { range: 20 },
      schema: 'id bigint', // declared, so the function first runs on the executors (not in inference)
      apply: (batch: Batch) => {
        if (batch.numRows > 0) throw new RangeError('too many rows'); // SPARK-THROW
        return [];
      },
    });
    await assert.rejects(runJobOnSpark(job, { spark, output: join(out, 'thrown'), quiet: true }), (e: unknown) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.match(e.message, new RegExp(`inline-job\\.test\\.ts:${lineOf(THIS_FILE, 'SPARK-THROW')}:\\d+ .*too many rows`));
      return true;
    });
    const socket = new (class Connection {
      send(x: number) {
        return x;
      }
    })();
    await assert.rejects(
      runJobOnSpark({ input: { range: 3 }, apply: (batch: Batch) => [...batch].map((r) => ({ y: socket.send(Number(r.id)) })) }, { spark, quiet: true }),
      (e: Error) => e.name === 'ClosureCaptureError' && /^Cannot ship the function to Spark: .* captures socket, an instance of class Connection/.test(e.message),
    );
  });

  it("answers a batch member a function does not have (b.rows()) with what a batch has, from the executors", async () => {
    const df = await spark.range(0, 5).mapInArrow((b: Batch) => (b as unknown as { rows(): [] }).rows(), 'id bigint');
    await assert.rejects(df.collect(), (e: unknown) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.match(e.message, /: TypeError: b\.rows is not a function\. A batch has no rows\. Did you mean b\.toArray\(\)\? A batch has numRows, /);
      return true;
    });
  });
});
