// df.mapInArrow / groupBy().applyInArrow / parallelize().map on the Spark server the
// test runner starts (SPARK_REMOTE): results, inference, init, chaining, barrier,
// uploads once per session, plan size, and the exact errors users see.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBinary } from '@bufbuild/protobuf';
import { RelationSchema } from '@tsapply/spark-connect/internal';
import { SparkSession, sessionUploads, shipReport, UserCodeError, SchemaMismatchError, ResultShapeError, col } from 'tsapply';
import { addOffset, contextSize, countGroup, double, failOnSeven, labelled, makeState, square, touchRow, unequalColumns, writeIds, wrongType } from '../fixtures/spark/basic-fns.ts';

let spark: SparkSession;

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
});

describe('the executors\' Python version', () => {
  it('is found from a wrong first guess with tsapply\'s error hook installed (the hook must not hide the mismatch)', async () => {
    const { probeExecutorPythonVersion } = await import('../../packages/tsapply/dist/spark/python-version.js');
    const right = await probeExecutorPythonVersion(spark);
    const wrong = right === '3.10' ? '3.12' : '3.10';
    assert.equal(await probeExecutorPythonVersion(spark, wrong), right);
  });
});

describe('foreachPartition', () => {
  it('runs an exported function on every batch of every partition for its effects and drops what it returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-foreach-'));
    try {
      const summary = await spark.range(0, 25, 1, 4).foreachPartition(writeIds, { context: { dir } });
      assert.equal(summary.rows, 25);
      const files = readdirSync(dir).sort();
      assert.equal(files.length, summary.batches);
      assert.deepEqual(new Set(files.map((f) => f.split('-')[0])), new Set(['p0', 'p1', 'p2', 'p3']));
      const ids = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as number[]).sort((a, b) => a - b);
      assert.deepEqual(ids, Array.from({ length: 25 }, (_, i) => i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('foreach calls the function once per row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-foreach-'));
    try {
      const summary = await spark.range(0, 12, 1, 3).foreach(touchRow, { context: { dir } });
      assert.equal(summary.rows, 12);
      assert.deepEqual(readdirSync(dir).map(Number).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects with the user\'s file and line when the function throws, and refuses a non-function at the call', async () => {
    await assert.rejects(spark.range(0, 10, 1, 2).foreachPartition(failOnSeven), (e: unknown) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.match(e.message, /^Error in apply\(\) at test\/fixtures\/spark\/basic-fns\.ts:18:28 \(partition 1\): row 7 is not allowed/);
      return true;
    });
    await assert.rejects(spark.range(3).foreachPartition('writeIds' as never), /foreachPartition\(\) needs a function \(batch, ctx\) => void, got the string "writeIds"/);
    await assert.rejects(spark.range(3).foreachPartition(writeIds, { schema: 'x int' } as never), /schema/);
  });
});

describe('mapInArrow', () => {
  it('runs an exported function on every partition with a declared schema', async () => {
    const out = await spark.range(0, 10, 1, 3).mapInArrow(double, { schema: 'id bigint, twice bigint' });
    const rows = await out.collect();
    assert.deepEqual(rows, Array.from({ length: 10 }, (_, i) => ({ id: BigInt(i), twice: BigInt(2 * i) })));
    assert.equal((await out.schema()).ddl, 'id bigint, twice bigint');
  });

  it('infers the schema from a sample run on the driver', async () => {
    const out = await spark.range(0, 5, 1, 2).mapInArrow(addOffset, { context: { offset: 2n ** 60n }, quiet: true });
    assert.equal(shipReport(out)?.schema, 'id bigint');
    assert.equal(shipReport(out)?.schemaInferred, true);
    assert.deepEqual(
      (await out.collect()).map((r) => r.id),
      [0n, 1n, 2n, 3n, 4n].map((i) => i + 2n ** 60n),
    );
  });

  it('runs init once per worker and passes its result as ctx.state (init by function or export name)', async () => {
    for (const init of [makeState, 'makeState'] as const) {
      const out = await spark.range(0, 3, 1, 1).mapInArrow(labelled, { schema: 'id bigint, label string', context: { prefix: 'p' }, init });
      assert.deepEqual(await out.collect(), [0n, 1n, 2n].map((id) => ({ id, label: `p:${id}` })));
    }
  });

  it('keeps every row under a projection or an aggregate (the UDF declares its input columns)', async () => {
    const out = await spark.range(0, 10, 1, 3).mapInArrow(double, { schema: 'id bigint, twice bigint' });
    assert.equal(await out.count(), 10);
    assert.deepEqual((await out.select('twice').collect()).map((r) => r.twice), [0n, 2n, 4n, 6n, 8n, 10n, 12n, 14n, 16n, 18n]);
    const grouped = await spark.range(0, 6, 1, 2).withColumn('k', col('id').mod(2)).groupBy('k').applyInArrow(countGroup, { schema: 'k bigint, n bigint' });
    assert.equal(await grouped.count(), 2);
  });

  it('chains: the output of one mapInArrow feeds the next', async () => {
    const once = await spark.range(0, 4, 1, 2).mapInArrow(addOffset, { schema: 'id bigint', context: { offset: 10n } });
    const twice = await once.mapInArrow(double, { schema: 'id bigint, twice bigint' });
    assert.deepEqual(await twice.collect(), [10n, 11n, 12n, 13n].map((id) => ({ id, twice: 2n * id })));
  });

  it('runs in barrier mode', async () => {
    const out = await spark.range(0, 6, 1, 2).mapInArrow(double, { schema: 'id bigint, twice bigint', barrier: true });
    assert.equal(out.relation.relType.case, 'mapPartitions');
    assert.equal((out.relation.relType.value as { isBarrier?: boolean }).isBarrier, true);
    assert.deepEqual((await out.collect()).map((r) => r.twice), [0n, 2n, 4n, 6n, 8n, 10n]);
  });

  it('ships an inline arrow function with what it captures', async () => {
    const offset = 100n;
    const out = await spark.range(0, 3, 1, 2).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id + offset })), { schema: 'id bigint' });
    assert.deepEqual((await out.collect()).map((r) => r.id), [100n, 101n, 102n]);
  });

  it('rejects unknown options', async () => {
    await assert.rejects(spark.range(1).mapInArrow(double, { shcema: 'x int' } as never), {
      message: 'Invalid option in mapInArrow(): "shcema". Did you mean "schema"? Valid options: schema, context, serializer, init, barrier, pythonVer, executorNode, executorNodeVersion, taskTimeoutMs, workerMemory, workerIdleTimeoutMs, sampleRows, quiet.',
    });
  });
});

describe('applyInArrow', () => {
  it('hands every whole group to the function with ctx.key', async () => {
    const input = spark.range(0, 100, 1, 3).selectExpr('id % 3 AS k', 'id');
    const out = await input.groupBy('k').applyInArrow(countGroup, { schema: 'k bigint, n bigint' });
    const rows = (await out.collect()).sort((a, b) => Number((a.k as bigint) - (b.k as bigint)));
    assert.deepEqual(rows, [
      { k: 0n, n: 34n },
      { k: 1n, n: 33n },
      { k: 2n, n: 33n },
    ]);
  });
});

describe('a group that throws', () => {
  it('is named by its key in the message, with the partition', async () => {
    const input = spark.range(0, 30, 1, 3).selectExpr("CASE WHEN id % 3 = 1 THEN 'bad' ELSE 'ok' END AS label", 'id');
    const out = await input.groupBy('label').applyInArrow(
      (batch, ctx) => {
        if (ctx.key!.label === 'bad') throw new Error('this group is not allowed');
        return [{ label: ctx.key!.label as string, n: BigInt(batch.numRows) }];
      },
      { schema: 'label string, n bigint' },
    );
    await assert.rejects(out.collect(), (e: unknown) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.match(e.message, /^Error in apply\(\) at test\/spark\/library-api\.test\.ts:\d+:\d+ \(partition \d+, group label="bad"\): this group is not allowed$/);
      assert.equal(e.group, 'label="bad"');
      return true;
    });
  });
});

describe('parallelize', () => {
  it('calls the function once per item and collects results in item order', async () => {
    const results = await spark.parallelize([1, 2, 3, 4, 5], 2).map(square, { quiet: true }).collect();
    assert.deepEqual(results, [1, 2, 3, 4, 5].map((x, index) => ({ index, squared: x * x })));
  });
});

describe('shipping', () => {
  it('uploads shim, worker and payload once per session; a second job with the same function uploads nothing', async () => {
    const s = await SparkSession.connect(process.env.SPARK_REMOTE);
    try {
      const first = await s.range(0, 4, 1, 2).mapInArrow(double, { schema: 'id bigint, twice bigint' });
      const second = await s.range(0, 8, 1, 2).mapInArrow(double, { schema: 'id bigint, twice bigint' });
      assert.equal(shipReport(first)?.uploads, 3);
      assert.equal(shipReport(second)?.uploads, 0);
      await first.collect();
      await second.collect();
      const payloads = sessionUploads(s).filter((n) => n.startsWith('files/tsapply-payload-'));
      assert.deepEqual(payloads, [`files/tsapply-payload-${shipReport(first)!.payloadHash}.tsap`]);
    } finally {
      await s.stop();
    }
  });

  it('keeps the plan under 10 KB with a 50 MB context, which is uploaded once', async () => {
    const big = new Float64Array(6_600_000).fill(1.5); // 52.8 MB
    const out = await spark.range(0, 4, 1, 2).mapInArrow(contextSize, { schema: 'rows int, n int', context: { big } });
    const planBytes = toBinary(RelationSchema, out.relation).length;
    assert.ok(planBytes < 10 * 1024, `plan is ${planBytes} bytes`);
    assert.ok(shipReport(out)!.payloadBytes > 50_000_000, `payload is ${shipReport(out)!.payloadBytes} bytes`);
    const rows = await out.collect();
    assert.deepEqual(rows.map((r) => r.n), [6_600_000, 6_600_000]);
    console.log(`plan ${planBytes} bytes for a ${shipReport(out)!.payloadBytes}-byte payload`);
  });
});

describe('errors users see', () => {
  it('a throw in user code: the message, the ORIGINAL .ts line and the partition', async () => {
    const out = await spark.range(0, 10, 1, 2).mapInArrow(failOnSeven, { schema: 'id bigint' });
    await assert.rejects(out.collect(), (e: unknown) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.equal(e.message, 'Error in apply() at test/fixtures/spark/basic-fns.ts:18:28 (partition 1): row 7 is not allowed');
      assert.equal(e.userMessage, 'row 7 is not allowed');
      assert.deepEqual(e.location, { file: 'test/fixtures/spark/basic-fns.ts', line: 18, column: 28 });
      assert.equal(e.partition, 1);
      return true;
    });
  });

  it('a result that does not fit the schema', async () => {
    const out = await spark.range(0, 4, 1, 1).mapInArrow(wrongType, { schema: 'id bigint, label string' });
    await assert.rejects(out.collect(), (e: unknown) => {
      assert.ok(e instanceof SchemaMismatchError, String(e));
      assert.equal(e.message, SCHEMA_MISMATCH_MESSAGE);
      assert.equal(e.column, 'label');
      return true;
    });
  });

  it('a wrongly shaped result: the same ResultShapeError from the executors (declared schema) and the driver\'s sample (inferred)', async () => {
    const check = (e: unknown) => {
      assert.ok(e instanceof ResultShapeError, String(e));
      assert.equal(
        e.message,
        'Wrong result from apply() (partition 0): Returned columns have different lengths: "id" has 4 values but "label" has 1. Every column must have one value per row.',
      );
      assert.equal(e.code, 'RESULT_SHAPE');
      assert.equal(e.column, 'label');
      assert.equal(e.partition, 0);
      return true;
    };
    await assert.rejects(async () => (await spark.range(0, 4, 1, 1).mapInArrow(unequalColumns, { schema: 'id bigint, label string' })).collect(), check);
    await assert.rejects(async () => (await spark.range(0, 4, 1, 1).mapInArrow(unequalColumns, { quiet: true })).collect(), check);
  });

  it('applyInArrow on a computed expression is refused with a hint', async () => {
    await assert.rejects(spark.range(3).groupBy(col('id').plus(1)).applyInArrow(countGroup, { schema: 'k bigint, n bigint' }), {
      message: "applyInArrow() needs groupBy() on column names (e.g. df.groupBy('k')), not computed expressions; add the key as a column first (withColumn).",
    });
  });
});

const SCHEMA_MISMATCH_MESSAGE =
  'The value apply() returned for partition 0 does not fit the output schema: Column "label" expects string but row 0 has number 0. Return a value of that type or change the schema.';
