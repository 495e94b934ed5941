// The same job files on the embedded engine and on Spark give the same rows with the
// same types: every example job plus the parity cases in test/fixtures/spark/jobs.
// Both runs write Arrow output (on Spark: results streamed to the driver's writer),
// which is read back and compared as a multiset of rows plus the schema.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { recordBatchToRows, toDDL } from '@tsapply/common';
import { runJob, runJobOnSpark, SparkSession } from 'tsapply';

let spark: SparkSession;
const out = mkdtempSync(join(tmpdir(), 'tsapply-parity-'));

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
  rmSync(out, { recursive: true, force: true });
});

function canonical(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `date:${v.toISOString()}`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (v instanceof Map) return { map: [...v.entries()].map(([k, x]) => [canonical(k), canonical(x)]) };
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  return v;
}

function readArrowDir(dir: string): { ddl: string; rows: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.arrow')).sort();
  const rows: string[] = [];
  let ddl = '';
  for (const f of files) {
    const table = tableFromIPC(readFileSync(join(dir, f)));
    ddl = toDDL(table.schema);
    for (const b of table.batches) for (const r of recordBatchToRows(b)) rows.push(JSON.stringify(canonical(r)));
  }
  return { ddl, rows: rows.sort() };
}

async function bothEngines(job: string, name: string): Promise<{ local: ReturnType<typeof readArrowDir>; remote: ReturnType<typeof readArrowDir> }> {
  const localDir = join(out, `${name}-local`);
  const sparkDir = join(out, `${name}-spark`);
  await runJob(job, { workers: 2, output: localDir, format: 'arrow', quiet: true, typecheck: false });
  await runJobOnSpark(job, { spark, output: sparkDir, format: 'arrow', quiet: true, typecheck: false });
  return { local: readArrowDir(localDir), remote: readArrowDir(sparkDir) };
}

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
