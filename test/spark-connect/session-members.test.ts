import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SparkSession, SparkUsageError, col, type ProgressEvent } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

describe('SparkSession members PySpark users reach for', () => {
  it('the active session is the last connected and not stopped; newSession is a separate session on the same server', async () => {
    const a = await connect();
    assert.equal(SparkSession.getActiveSession(), a);
    assert.equal(SparkSession.active(), a);
    const b = await a.newSession();
    try {
      assert.equal(SparkSession.getActiveSession(), b);
      assert.notEqual(b.sessionId, a.sessionId);
      assert.equal(await b.version, await a.version);
      // Separate sessions: a temp view and a conf value of one are not seen by the other.
      await a.createDataFrame([{ x: 1 }], 'x int').createOrReplaceTempView('only_in_a');
      await a.conf.set('tsapply.test.which', 'a');
      assert.deepEqual(await a.table('only_in_a').collect(), [{ x: 1 }]);
      await assert.rejects(b.table('only_in_a').collect(), /TABLE_OR_VIEW_NOT_FOUND/);
      assert.equal(await b.conf.getOption('tsapply.test.which'), undefined);
    } finally {
      await b.stop();
    }
    assert.equal(b.isStopped, true);
    assert.equal(SparkSession.getActiveSession(), undefined, 'stopping the active session clears it');
    assert.throws(() => SparkSession.active(), (e: unknown) => e instanceof SparkUsageError && /SparkSession\.connect/.test(e.message));
    assert.equal(a.isStopped, false);
    await a.stop();
    await assert.rejects(a.newSession(), /was stopped/);
  });

  it('progress handlers receive the reports of this session\'s queries until removed', async () => {
    const spark = await connect();
    try {
      await spark.conf.set('spark.connect.progress.reportInterval', '10ms');
      const seen: ProgressEvent[] = [];
      const handler = (p: ProgressEvent) => seen.push(p);
      spark.registerProgressHandler(handler);
      await spark.range(0, 2_000_000, 1, 4).groupBy(col('id').mod(7).alias('k')).count().collect();
      assert.ok(seen.length > 0, 'at least one progress report');
      spark.removeProgressHandler(handler);
      const before = seen.length;
      await spark.range(0, 2_000_000, 1, 4).groupBy(col('id').mod(5).alias('k')).count().collect();
      assert.equal(seen.length, before, 'no reports after removeProgressHandler');
      spark.registerProgressHandler(handler);
      spark.clearProgressHandlers();
      assert.equal(spark.listenerCount('progress'), 0);
    } finally {
      await spark.stop();
    }
  });
});
