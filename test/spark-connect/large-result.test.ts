import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SparkSession, col } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

let spark: SparkSession;
before(async () => {
  spark = await connect();
});
after(async () => {
  await spark.stop();
});

describe('large results', () => {
  it('iterating 10 million rows streams batches with flat memory', async () => {
    const N = 10_000_000;
    // 40 partitions keep each task result small for the server. Three 8-byte columns: ~240 MB of Arrow data in total — what toArrow() would hold.
    const df = spark.range(0, N, 1, 40).select(col('id'), col('id').multiply(2).alias('twice'), col('id').cast('double').alias('d'));
    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed + base.arrayBuffers;
    let rows = 0;
    let sum = 0n;
    let twiceOk = true;
    for await (const batch of df) {
      const ids = batch.getChild('id')!.toArray() as BigInt64Array;
      const tw = batch.getChild('twice')!.toArray() as BigInt64Array;
      for (let i = 0; i < ids.length; i += 997) if (tw[i] !== ids[i]! * 2n) twiceOk = false;
      sum += ids.length ? ids[0]! + ids[ids.length - 1]! : 0n; // endpoints of each contiguous run
      rows += batch.numRows;
      if ((rows & 0xfffff) < batch.numRows) {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
      }
    }
    assert.equal(rows, N);
    assert.ok(twiceOk);
    assert.ok(sum > 0n);
    const MB = 1024 * 1024;
    const rssGrowth = (peakRss - base.rss) / MB;
    const heapGrowth = (peakHeap - base.heapUsed - base.arrayBuffers) / MB;
    assert.ok(rssGrowth < 200, `rss grew by ${rssGrowth.toFixed(0)} MB while streaming ~240 MB of data`);
    assert.ok(heapGrowth < 200, `heap+arrayBuffers grew by ${heapGrowth.toFixed(0)} MB`);
  });
});
