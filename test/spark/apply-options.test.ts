// Every bad option of the Spark entries — runJobOnSpark(), df.mapInArrow(),
// groupBy().applyInArrow(), spark.parallelize().map() — gets one InvalidOptionError
// whose message names the option, the value and what would be valid, before anything
// is bundled or uploaded (a table per entry).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { functions as F, InvalidOptionError, runJobOnSpark, SparkSession, type SparkRunOptions } from 'tsapply';
import { double, countGroup } from '../fixtures/spark/basic-fns.ts';
import { JOBS } from '../tsapply/cli-helpers.ts';

const JOB = join(JOBS, 'identity-range.ts');

let spark: SparkSession;
before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
});
after(async () => {
  await spark?.stop();
});

async function refuses(p: Promise<unknown> | (() => unknown), message: string): Promise<void> {
  const check = (e: unknown) => {
    assert.ok(e instanceof InvalidOptionError, `expected an InvalidOptionError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  };
  if (typeof p === 'function') assert.throws(p, check);
  else await assert.rejects(p, check);
}

describe('runJobOnSpark() options', () => {
  const remote = process.env.SPARK_REMOTE!;
  const cases: [string, unknown, string][] = [
    ['null options', null, 'Invalid options in runJobOnSpark(): expected an object, got null.'],
    [
      'an unknown key',
      { remote, workers: 2 },
      'Invalid option in runJobOnSpark(): "workers". Valid options: remote, spark, serializer, output, format, overwrite, show, collect, typecheck, onTypecheckConfig, quiet, pythonVer, executorNode, executorNodeVersion, taskTimeoutMs, workerMemory, workerIdleTimeoutMs, stdout, stderr, onProgress, interruptOnSigint.',
    ],
    ["overwrite 'no'", { remote, overwrite: 'no' }, 'options.overwrite must be a boolean (true or false), got the string "no".'],
    ["typecheck 'false'", { remote, typecheck: 'false' }, 'options.typecheck must be a boolean (true or false), got the string "false".'],
    ['show 2.5', { remote, show: 2.5 }, 'options.show must be a non-negative integer, got 2.5.'],
    ['format orc', { remote, format: 'orc' }, 'options.format must be one of parquet, csv, jsonl, arrow, got the string "orc".'],
    ['remote 15002', { remote: 15002 }, "options.remote must be a Spark Connect URL such as 'sc://host:15002', got 15002."],
    ['spark {}', { spark: {} }, 'options.spark must be an open SparkSession (from SparkSession.connect()), got an object.'],
    ['pythonVer 3', { remote, pythonVer: '3' }, 'options.pythonVer must be a Python version "major.minor" such as 3.11, got "3".'],
    ['pythonVer 3.11 as a number', { remote, pythonVer: 3.11 }, 'options.pythonVer must be a Python version "major.minor" such as 3.11, got 3.11.'],
    [
      "executorNode 'node'",
      { remote, executorNode: 'node' },
      "options.executorNode must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got \"node\". A relative path would be resolved in each executor's working folder; give an absolute one.",
    ],
    [
      'executorNodeVersion 18',
      { remote, executorNodeVersion: '18' },
      'options.executorNodeVersion must be a Node.js version 20 or newer, as a major (24), major.minor (24.19) or exact version (24.19.0); got "18".',
    ],
    ['interruptOnSigint 1', { remote, interruptOnSigint: 1 }, 'options.interruptOnSigint must be a boolean (true or false), got 1.'],
    ['output empty', { remote, output: '', overwrite: true }, 'output must be a non-empty path, e.g. out/result.'],
  ];
  for (const [what, options, message] of cases) {
    it(`refuses ${what}`, () => refuses(runJobOnSpark(JOB, options as SparkRunOptions), message));
  }
});

describe('mapInArrow() / applyInArrow() options', () => {
  const cases: [string, unknown, string][] = [
    ['null options', null, 'Invalid options in mapInArrow(): expected an object, got null.'],
    [
      'an unknown key',
      { shcema: 'id bigint' },
      'Invalid option in mapInArrow(): "shcema". Did you mean "schema"? Valid options: schema, context, serializer, init, barrier, pythonVer, executorNode, executorNodeVersion, taskTimeoutMs, workerMemory, workerIdleTimeoutMs, sampleRows, quiet.',
    ],
    ['schema 5', { schema: 5 }, "options.schema must be a Spark DDL string such as 'id bigint, name string', got 5."],
    ["schema ''", { schema: ' ' }, "options.schema must be a Spark DDL string such as 'id bigint, name string', got the string \" \"."],
    ['serializer true', { serializer: true }, "options.serializer must be 'fast', 'compressed', 'zstd' or a serializer module path, got true."],
    ['pythonVer 311', { pythonVer: '311' }, 'options.pythonVer must be a Python version "major.minor" such as 3.11, got "311".'],
    ["executorNode ''", { executorNode: '' }, "options.executorNode must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got \"\"."],
    ['executorNode true', { executorNode: true }, "options.executorNode must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got true."],
    [
      "executorNodeVersion 'latest'",
      { executorNodeVersion: 'latest' },
      'options.executorNodeVersion must be a Node.js version 20 or newer, as a major (24), major.minor (24.19) or exact version (24.19.0); got "latest".',
    ],
    ['taskTimeoutMs 0', { taskTimeoutMs: 0 }, 'options.taskTimeoutMs must be a positive integer, got 0.'],
    ["workerMemory '12q'", { workerMemory: '12q' }, "options.workerMemory must be a memory size of at least 64 MB, as megabytes (2048) or with a unit ('512m', '2g'); got the string \"12q\"."],
    ["barrier 'yes'", { barrier: 'yes' }, 'options.barrier must be a boolean (true or false), got the string "yes".'],
    ['sampleRows 0', { sampleRows: 0 }, 'options.sampleRows must be a positive integer, got 0.'],
    ["quiet 'false'", { quiet: 'false' }, 'options.quiet must be a boolean (true or false), got the string "false".'],
    ['init 3', { init: 3 }, 'options.init must be a function or the export name of one, got 3.'],
  ];
  for (const [what, options, message] of cases) {
    it(`mapInArrow refuses ${what}`, () => refuses(spark.range(0, 3).mapInArrow(double, options as never), message));
  }
  it('applyInArrow has no barrier and names itself', async () => {
    const grouped = spark.range(0, 3).groupBy('id');
    await refuses(
      grouped.applyInArrow(countGroup, { barrier: true } as never),
      'Invalid option in applyInArrow(): "barrier". Valid options: schema, context, serializer, init, pythonVer, executorNode, executorNodeVersion, taskTimeoutMs, workerMemory, workerIdleTimeoutMs, sampleRows, quiet.',
    );
    await refuses(grouped.applyInArrow(countGroup, { serializer: '' }), "options.serializer must be 'fast', 'compressed', 'zstd' or a serializer module path, got the string \"\".");
  });
});

describe("the schema alone as the second argument, as PySpark's mapInArrow(func, schema)", () => {
  it('mapInArrow and applyInArrow run with that schema', async () => {
    const doubled = await spark.range(0, 4).mapInArrow(double, 'id bigint, twice bigint');
    assert.deepEqual(await doubled.columns(), ['id', 'twice']);
    assert.deepEqual((await doubled.orderBy('id').collect()).map((r) => [r.id, r.twice]), [[0n, 0n], [1n, 2n], [2n, 4n], [3n, 6n]]);
    const counted = await spark.range(0, 5).withColumn('k', F.expr('id % 2')).groupBy('k').applyInArrow(countGroup, 'k bigint, n bigint');
    assert.deepEqual((await counted.orderBy('k').collect()).map((r) => [r.k, r.n]), [[0n, 3n], [1n, 2n]]);
  });

  it('a DataFrame method called on the Promise, before await, says to await first', async () => {
    const pending = spark.range(0, 3).mapInArrow(double, 'id bigint, twice bigint');
    assert.throws(() => (pending as unknown as { collect(): unknown }).collect(), {
      name: 'TypeError',
      message: 'mapInArrow() returns a Promise of its DataFrame, not the DataFrame: it bundles and ships your function first. Await it before .collect(): const df = await ….mapInArrow(fn, schema); then df.collect(…).',
    });
    assert.equal((await (await pending).collect()).length, 3, 'the Promise itself is unchanged');
    const grouped = spark.range(0, 3).withColumn('k', F.expr('id % 2')).groupBy('k').applyInArrow(countGroup, 'k bigint, n bigint');
    assert.throws(() => (grouped as unknown as { show(): unknown }).show(), /^TypeError: applyInArrow\(\) returns a Promise of its DataFrame.* Await it before \.show\(\)/);
    assert.equal((await (await grouped).collect()).length, 2);
  });

  it('a blank one is refused as options.schema is', () =>
    refuses(spark.range(0, 3).mapInArrow(double, ' '), "options.schema must be a Spark DDL string such as 'id bigint, name string', got the string \" \"."));
});

describe('parallelize().map() options', () => {
  const items = [1, 2, 3];
  const cases: [string, unknown, string][] = [
    ['an unknown key', { sampleRows: 3 }, 'Invalid option in map(): "sampleRows". Valid options: schema, context, serializer, init, pythonVer, executorNode, executorNodeVersion, taskTimeoutMs, workerMemory, workerIdleTimeoutMs, quiet.'],
    ["quiet 'false'", { quiet: 'false' }, 'options.quiet must be a boolean (true or false), got the string "false".'],
    ['schema null', { schema: null }, "options.schema must be a Spark DDL string such as 'id bigint, name string', got null."],
    ['pythonVer 3.x', { pythonVer: '3.x' }, 'options.pythonVer must be a Python version "major.minor" such as 3.11, got "3.x".'],
    ["executorNode 'shipp'", { executorNode: 'shipp' }, "options.executorNode must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got \"shipp\". A relative path would be resolved in each executor's working folder; give an absolute one."],
  ];
  for (const [what, options, message] of cases) {
    it(`refuses ${what} at the call, not at collect()`, () => refuses(() => spark.parallelize(items).map(double as never, options as never), message));
  }
  it('refuses a function that is not one, at the call', () =>
    refuses(() => spark.parallelize(items).map('double' as never), 'map() needs a function (item, ctx) => result, got the string "double".'));
});
