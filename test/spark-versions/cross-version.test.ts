// A short smoke on every supported Spark line other than the one the whole suite ran on
// (test/versions/run-suite-per-version.mjs runs the whole suite per line): a managed
// server of each version, started here, with the Spark Connect client, mapInArrow, a
// grouped applyInArrow, every Spark type through a grouped apply in a non-UTC session
// and a user error that names this file's own line. Grouped apply is the same plan on
// every line (repartition by the keys, sortWithinPartitions, mapInArrow; 3.5 has no
// applyInArrow). Spark 3.5 also runs on executors without node (tsapply ships its Node
// runtime), runs a job file on both engines and refuses Spark ML.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePythonEnv, findFreePort, isLimitedSparkVersion, resolveSparkVersion, SMOKE_SPARK_VERSIONS, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { col, ml, shipReport, SparkError, SparkSession, SparkUsageError, UserCodeError } from 'tsapply';
import { bothEngines } from '../spark/both-engines.ts';
import { pythonWithoutNode } from '../spark/python-without-node.ts';

const NULLS_JOB = fileURLToPath(new URL('../fixtures/spark/jobs/nulls-every-type.ts', import.meta.url));
const EVERY_TYPE =
  'g int, b boolean, i8 tinyint, i16 smallint, i64 bigint, f32 float, f64 double, s string, bin binary, d date, ts timestamp, ' +
  'dec decimal(12,3), arr array<bigint>, m map<string, int>, st struct<x: int, t: timestamp>';
const EVERY_TYPE_ROWS = [0, 1, 2, 3, 4, 5].map((i) =>
  i % 3 === 2
    ? { g: i % 2, b: null, i8: null, i16: null, i64: null, f32: null, f64: null, s: null, bin: null, d: null, ts: null, dec: null, arr: null, m: null, st: null }
    : {
        g: i % 2,
        b: i % 2 === 0,
        i8: -i,
        i16: 300 * i,
        i64: 2n ** 62n + BigInt(i),
        f32: i + 0.5,
        f64: i / 3,
        s: `é${i}`,
        bin: new Uint8Array([i, 255]),
        d: new Date(Date.UTC(2024, 2, 10 + i)),
        // 2024-03-10 is a DST change in New York: wall-clock times there must not shift values.
        ts: new Date(Date.UTC(2024, 2, 10, 6 + i, 30, 0, 123)),
        dec: `${i}12.345`,
        arr: [BigInt(i), null, 2n ** 60n],
        m: new Map([['k', i]]),
        st: { x: i, t: new Date(Date.UTC(2000, 0, 1, i)) },
      },
);

const state = mkdtempSync(join(tmpdir(), 'tsapply-cross-version-'));
after(() => rmSync(state, { recursive: true, force: true }));

// The version the rest of this run uses gets the whole suite; the others get the smoke.
const others = SMOKE_SPARK_VERSIONS.filter((v) => v !== resolveSparkVersion());

// The line of the throw below (the last line carrying its marker, this one being the first),
// found rather than counted so edits above it keep the test right.
const THROW_LINE = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').findLastIndex((l) => l.includes('// THROW LINE')) + 1;

for (const version of others) {
  describe(`Spark ${version}`, () => {
    it('client, mapInArrow, grouped applyInArrow and a user error', { timeout: 600_000 }, async () => {
      let server: SparkConnectServer | undefined;
      let spark: SparkSession | undefined;
      try {
        // 3.5's executors get no node (only what PySpark needs), so every job there runs on
        // a Node runtime tsapply ships as an archives/ artifact (test/spark/executor-node.test.ts
        // covers the rest of shipping on the default version).
        const noNode = isLimitedSparkVersion(version);
        const pythonExecutable = noNode
          ? pythonWithoutNode(join(state, `${version}-no-node`), (await ensurePythonEnv({ sparkVersion: version, onProgress: () => undefined })).python)
          : undefined;
        // Ten minutes: a first run downloads this version's pyspark (and, for 3.5, the Connect jar from Maven Central).
        server = await startSparkConnect({
          sparkVersion: version,
          port: await findFreePort(),
          stateDir: join(state, version),
          master: 'local[2]',
          ...(pythonExecutable ? { pythonExecutable } : {}),
          onProgress: () => undefined,
          timeoutMs: 600_000,
        });
        spark = await SparkSession.connect(server.address);
        assert.equal(await spark.version, version);

        if (noNode) {
          const shipped = await spark.range(0, 6, 1, 2).mapInArrow(
            (batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id * 10n, node: process.execPath })),
            { schema: 'id bigint, node string', quiet: true },
          );
          const rows = (await shipped.collect()) as { id: bigint; node: string }[];
          assert.deepEqual(rows.map((r) => r.id).sort((a, b) => Number(a - b)), [0n, 10n, 20n, 30n, 40n, 50n]);
          const report = shipReport(shipped)!.executorNode;
          assert.equal(report.shipped, true);
          assert.ok(report.archiveBytes! > 0 && report.uploadedBytes === report.archiveBytes, JSON.stringify(report));
          // The binary Spark 3.5 unpacked from the archive, in the session's SparkFiles folder.
          for (const r of rows) assert.match(r.node, /\/tsapply-node-v[\d.]+-linux-[a-z0-9]+-glibc-[0-9a-f]{12}\.tar\.gz\/node\/bin\/node$/);
          console.log(`[cross-version] Spark ${version}: executors without node ran on a shipped ${report.version} (${report.source}), ${report.archiveBytes} bytes uploaded in ${report.uploadMs} ms`);
        }

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

        // Every type, nulls included, through a grouped apply and back, in a session whose
        // time zone is not UTC: timestamps must come back as the same instants on every line.
        await spark.conf.set('spark.sql.session.timeZone', 'America/New_York');
        const typed = spark.createDataFrame(EVERY_TYPE_ROWS, EVERY_TYPE);
        const echoed = await typed.groupBy('g').applyInArrow((batch: Iterable<Record<string, unknown>>) => [...batch], { schema: EVERY_TYPE, quiet: true });
        const byKey = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v instanceof Uint8Array ? [...v] : v))).sort();
        assert.deepEqual(byKey(await echoed.collect()), byKey(await typed.collect()));
        await spark.conf.unset('spark.sql.session.timeZone');

        // A member newer than the server gets Spark's refusal with what it needs, not only Spark's internal error.
        if (/^4\.[012]\./.test(version)) {
          const zipped = spark.range(0, 3).select(col('id')).zip(spark.range(0, 3).select(col('id').plus(1).alias('next')));
          await assert.rejects(zipped.collect(), (e: unknown) => {
            assert.ok(e instanceof SparkError, String(e));
            assert.match(e.message, /The server did not recognise part of the plan: .*zip 4\.3/);
            return true;
          });
        }

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
          assert.equal(e.location?.line, THROW_LINE);
          return true;
        });

        if (isLimitedSparkVersion(version)) {
          // 3.5's grouped apply cuts sorted partitions into groups: null and NaN keys are
          // groups of their own, and a group spans many Arrow batches (1000 rows each here).
          await spark.conf.set('spark.sql.execution.arrow.maxRecordsPerBatch', 1000);
          const keyed = spark
            .range(0, 25_000, 1, 3)
            .selectExpr("CASE WHEN id % 7 = 0 THEN NULL WHEN id % 7 = 1 THEN double('NaN') ELSE double(id % 5) END AS k", 'id');
          const counted = await keyed
            .groupBy('k')
            .applyInArrow((batch: { numRows: number }, ctx: { key?: Record<string, unknown> }) => [{ k: ctx.key!.k as number | null, n: BigInt(batch.numRows) }], { schema: 'k double, n bigint', quiet: true });
          const shown = (rows: Record<string, unknown>[]) => rows.map((r) => `${String(r.k)}:${String(r.n ?? r.count)}`).sort();
          assert.deepEqual(shown(await counted.collect()), shown(await keyed.groupBy('k').count().collect()));
          await spark.conf.unset('spark.sql.execution.arrow.maxRecordsPerBatch');

          // A job file with --remote, against the embedded engine's result.
          const { local, remote } = await bothEngines(spark, NULLS_JOB, join(state, `${version}-jobs`), 'nulls');
          assert.deepEqual(remote, local);
          // What 3.5 cannot do says which version it needs, before anything is sent.
          const df = spark.createDataFrame([{ a: 1, y: 2 }], 'a double, y double');
          assert.throws(() => new ml.VectorAssembler({ inputCols: ['a'], outputCol: 'f' }).transform(df), (e: unknown) => e instanceof SparkUsageError && /needs Spark 4\.0 or newer.*runs Spark 3\.5/.test(e.message));
        }
      } finally {
        await spark?.stop().catch(() => undefined);
        await server?.stop();
      }
    });
  });
}
