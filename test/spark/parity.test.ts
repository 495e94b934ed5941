// The same job files on the embedded engine and on Spark give the same rows with the
// same types: every example job plus the parity cases in test/fixtures/spark/jobs.
// Both runs write Arrow output (on Spark: results streamed to the driver's writer),
// which is read back and compared as a multiset of rows plus the schema.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkSession } from 'tsapply';
import { bothEngines as runBoth } from './both-engines.js';

let spark: SparkSession;
const out = mkdtempSync(join(tmpdir(), 'tsapply-parity-'));

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
  rmSync(out, { recursive: true, force: true });
});

const bothEngines = (job: string, name: string) => runBoth(spark, job, out, name);

const JOBS = [
  'examples/weather-stats.ts',
  'examples/weather-calendar.ts',
  'examples/penguin-classifier.ts',
  ...readdirSync('test/fixtures/spark/jobs')
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => `test/fixtures/spark/jobs/${f}`),
];

describe('local engine and Spark give identical results', () => {
  for (const job of JOBS) {
    it(job, async () => {
      const name = job.replace(/[^a-z0-9]+/gi, '-');
      const { local, remote } = await bothEngines(job, name);
      assert.ok(local.rows.length > 0, 'the local run produced rows');
      assert.equal(remote.ddl, local.ddl);
      assert.equal(remote.rows.length, local.rows.length);
      assert.deepEqual(remote.rows, local.rows);
    });
  }

  it('the 100k-row group reached apply in one call', async () => {
    const { remote } = await bothEngines('test/fixtures/spark/jobs/one-and-100k-groups.ts', 'groups-check');
    assert.deepEqual(remote.rows, [
      JSON.stringify({ k: 'big', n: '100000n', total: `${(100_000n * 100_001n) / 2n}n`, calls: 1 }),
      JSON.stringify({ k: 'one', n: '1n', total: '0n', calls: 1 }),
    ]);
  });
});
