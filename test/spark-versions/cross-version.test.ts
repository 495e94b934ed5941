// A short smoke on every supported Spark line other than the one the whole suite ran on
// (test/versions/run-suite-per-version.mjs runs the whole suite per line): a managed
// server of each version, started here, with the Spark Connect client, mapInArrow, a
// grouped applyInArrow and a user error that names this file's own line.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, resolveSparkVersion, startSparkConnect, TESTED_SPARK_VERSIONS, type SparkConnectServer } from '@tsapply/spark-local';
import { col, SparkSession, UserCodeError } from 'tsapply';

const state = mkdtempSync(join(tmpdir(), 'tsapply-cross-version-'));
after(() => rmSync(state, { recursive: true, force: true }));

// The version the rest of this run uses gets the whole suite; the others get the smoke.
const others = TESTED_SPARK_VERSIONS.filter((v) => v !== resolveSparkVersion());

for (const version of others) {
  describe(`Spark ${version}`, () => {
    it('client, mapInArrow, grouped applyInArrow and a user error', { timeout: 600_000 }, async () => {
      let server: SparkConnectServer | undefined;
      let spark: SparkSession | undefined;
      try {
        server = await startSparkConnect({ sparkVersion: version, port: await findFreePort(), stateDir: join(state, version), master: 'local[2]', onProgress: () => undefined });
        spark = await SparkSession.connect(server.address);
        assert.equal(await spark.version, version);

        const evens = await spark.range(0, 10, 1, 2).filter(col('id').mod(2).eq(0)).collect();
        assert.deepEqual(evens, [{ id: 0n }, { id: 2n }, { id: 4n }, { id: 6n }, { id: 8n }]);

        const k = 3n;
        const mapped = await spark.range(0, 100, 1, 4).mapInArrow((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ v: r.id * k })), { schema: 'v bigint', quiet: true });
        assert.equal((await mapped.selectExpr('sum(v) AS s').collect())[0]!.s, 3n * 4950n);

        const grouped = await spark
          .range(0, 60, 1, 3)
          .selectExpr('id % 3 AS g', 'id')
          .groupBy('g')
          .applyInArrow((batch: Iterable<{ g: bigint; id: bigint }>, ctx: { key?: Record<string, unknown> }) => {
            let n = 0n;
            for (const r of batch) n += r.id;
            return [{ g: ctx.key!.g as bigint, n }];
          }, { schema: 'g bigint, n bigint', quiet: true });
        const sums = ((await grouped.collect()) as { g: bigint; n: bigint }[]).sort((a, b) => Number(a.g - b.g));
        assert.deepEqual(sums, [{ g: 0n, n: 570n }, { g: 1n, n: 590n }, { g: 2n, n: 610n }]);

        const failing = await spark.range(0, 5, 1, 1).mapInArrow(
          (batch: Iterable<{ id: bigint }>) => {
            for (const r of batch) if (r.id === 3n) throw new RangeError(`row ${r.id} is cursed`); // THROW LINE
            return [];
          },
          { schema: 'id bigint', quiet: true },
        );
        await assert.rejects(failing.collect(), (e: unknown) => {
          assert.ok(e instanceof UserCodeError, String(e));
          assert.match(e.message, /row 3 is cursed/);
          assert.match(String(e.location?.file), /cross-version\.test\.ts$/);
          assert.equal(e.location?.line, 50);
          return true;
        });
      } finally {
        await spark?.stop().catch(() => undefined);
        await server?.stop();
      }
    });
  });
}
