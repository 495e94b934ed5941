// Every bad option of startSparkConnect(), stopSparkConnect() and statusSparkConnect()
// rejects (never throws) with one InvalidOptionError whose message names the option, the
// value and what would be valid, and whose `option` field names the option — before
// anything is started, stopped or written (a table per entry, as piscina's tests do).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { stateFiles } from './helpers.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from '@tsapply/common';
import { SparkLocalOptionError, SPARK_VERSION_ENV, startSparkConnect, statusSparkConnect, stopSparkConnect } from '@tsapply/spark-local';

const stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-options-'));
after(() => rmSync(stateDir, { recursive: true, force: true }));

const START_KEYS = 'master, port, sparkVersion, conf, token, mode, executors, workers, stateDir, driverMemory, timeoutMs, pythonExecutable, onProgress';

/** [what, options, option named in the error, message] */
const START_CASES: [string, unknown, string, string][] = [
  ['null options', null, 'options', 'Invalid options in startSparkConnect(): expected an object, got null.'],
  ['a string', 'local', 'options', 'Invalid options in startSparkConnect(): expected an object, got the string "local".'],
  ['an unknown key', { prot: 1 }, 'prot', `Invalid option in startSparkConnect(): "prot". Did you mean "port"? Valid options: ${START_KEYS}.`],
  ["mode 'yarn'", { mode: 'yarn' }, 'mode', 'options.mode must be one of local, cluster, standalone, got the string "yarn".'],
  ['port 70000', { port: 70000 }, 'port', 'options.port must be an integer from 1 to 65535, got 70000.'],
  ["port '15002'", { port: '15002' }, 'port', 'options.port must be an integer from 1 to 65535, got the string "15002".'],
  ['executors without cluster mode', { executors: 3 }, 'executors', "options.executors only applies to mode 'cluster' (got mode 'local'). Pass mode: 'cluster' (CLI: --cluster)."],
  ['executors 17', { mode: 'cluster', executors: 17 }, 'executors', 'options.executors must be an integer from 1 to 16, got 17.'],
  ['workers without standalone mode', { workers: 3 }, 'workers', "options.workers only applies to mode 'standalone' (got mode 'local'). Pass mode: 'standalone' (CLI: --standalone)."],
  ['workers 0', { mode: 'standalone', workers: 0 }, 'workers', 'options.workers must be an integer from 1 to 8, got 0.'],
  ["workers 'two'", { mode: 'standalone', workers: 'two' }, 'workers', 'options.workers must be an integer from 1 to 8, got the string "two".'],
  [
    'a master with standalone mode',
    { mode: 'standalone', master: 'local[2]' },
    'master',
    "options.master and mode 'standalone' conflict: standalone mode starts its own master (spark://127.0.0.1:<port>). Pass one or the other.",
  ],
  [
    'master with cluster mode',
    { mode: 'cluster', master: 'local[2]' },
    'master',
    "options.master and mode 'cluster' conflict: cluster mode sets the master itself (local-cluster[2,1,1024]). Pass one or the other.",
  ],
  ['master with a space', { master: 'local [2]' }, 'master', 'options.master must be a Spark master URL like "local[2]", got the string "local [2]".'],
  ['conf an array', { conf: [] }, 'conf', 'options.conf must be an object of string values, got an array.'],
  ['conf with a number', { conf: { 'spark.sql.shuffle.partitions': 2 } }, 'conf', 'options.conf["spark.sql.shuffle.partitions"] must be a string, got number.'],
  ['conf not spark.*', { conf: { 'sql.shuffle.partitions': '2' } }, 'conf', 'options.conf key "sql.shuffle.partitions" is not a Spark conf: keys start with "spark.".'],
  [
    'listening on every interface without a token',
    { conf: { 'spark.connect.grpc.binding.address': '0.0.0.0' } },
    'conf',
    'options.conf["spark.connect.grpc.binding.address"] is "0.0.0.0", beyond this machine, but no token is set: anyone who reaches the port could run code here. Add a token (--token, or options.token) or listen on 127.0.0.1.',
  ],
  ['token with a space', { token: 'a b' }, 'token', 'options.token must be a non-empty string without spaces or ";".'],
  ['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs', 'options.timeoutMs must be a positive number of milliseconds, got 0.'],
  ["driverMemory '1 gb'", { driverMemory: '1 gb' }, 'driverMemory', 'options.driverMemory must look like "1g" or "512m", got the string "1 gb".'],
  ["onProgress 'log'", { onProgress: 'log' }, 'onProgress', 'options.onProgress must be a function, got the string "log".'],
  ["stateDir ''", { stateDir: '' }, 'stateDir', 'options.stateDir must be a folder path, got the string "".'],
  ['sparkVersion 4', { sparkVersion: 4 }, 'sparkVersion', 'options.sparkVersion must be a Spark release like "4.3.0", got 4.'],
  ["sparkVersion '4.1'", { sparkVersion: '4.1' }, 'sparkVersion', 'Invalid Spark version "4.1" (from sparkVersion): expected an exact release like "4.3.0" (major.minor.patch).'],
  ["sparkVersion '3.4.1'", { sparkVersion: '3.4.1' }, 'sparkVersion', 'Spark 3.4.1 is not supported: tsapply needs Spark 3.5 or newer (supported: 3.5.x, 4.0.x, 4.1.x, 4.2.x, 4.3.x; for example "4.3.0").'],
];

const STOP_CASES: [string, unknown, string, string][] = [
  ['null options', null, 'options', 'Invalid options in stopSparkConnect(): expected an object, got null.'],
  ['an unknown key', { statedir: stateDir }, 'statedir', 'Invalid option in stopSparkConnect(): "statedir". Did you mean "stateDir"? Valid options: stateDir, port, pid, graceMs.'],
  ['stateDir 5', { stateDir: 5 }, 'stateDir', 'options.stateDir must be a folder path, got 5.'],
  ['pid 0', { stateDir, pid: 0 }, 'pid', 'options.pid must be a positive integer, got 0.'],
  ["pid '42'", { stateDir, pid: '42' }, 'pid', 'options.pid must be a positive integer, got the string "42".'],
  ['graceMs -1', { stateDir, graceMs: -1 }, 'graceMs', 'options.graceMs must be a non-negative number of milliseconds, got -1.'],
  ["port '15002'", { stateDir, port: '15002' }, 'port', 'options.port must be a positive integer, got the string "15002".'],
];

const STATUS_CASES: [string, unknown, string, string][] = [
  ['an array', [], 'options', 'Invalid options in statusSparkConnect(): expected an object, got an array.'],
  ['an unknown key', { pid: 1 }, 'pid', 'Invalid option in statusSparkConnect(): "pid". Valid options: stateDir, port.'],
  ["stateDir ''", { stateDir: '' }, 'stateDir', 'options.stateDir must be a folder path, got the string "".'],
  ['port 0', { stateDir, port: 0 }, 'port', 'options.port must be a positive integer, got 0.'],
];

async function assertRefused(p: Promise<unknown>, option: string, message: string): Promise<void> {
  assert.ok(p instanceof Promise, 'an async API rejects, it does not throw');
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InvalidOptionError, `expected an InvalidOptionError, got ${String(e)}`);
    assert.ok(e instanceof SparkLocalOptionError, 'the deprecated alias still matches');
    assert.equal(e.message, message);
    assert.equal(e.option, option);
    assert.equal(e.code, 'INVALID_OPTION');
    return true;
  });
}

describe('startSparkConnect() options', () => {
  for (const [what, options, option, message] of START_CASES) {
    it(`refuses ${what}`, async () => {
      await assertRefused(startSparkConnect(options as never), option, message);
    });
  }

  it(`names ${SPARK_VERSION_ENV} when the bad version comes from there`, async () => {
    const saved = process.env[SPARK_VERSION_ENV];
    process.env[SPARK_VERSION_ENV] = '3.4.0';
    try {
      await assertRefused(
        startSparkConnect({ stateDir }),
        SPARK_VERSION_ENV,
        'Spark 3.4.0 is not supported: tsapply needs Spark 3.5 or newer (supported: 3.5.x, 4.0.x, 4.1.x, 4.2.x, 4.3.x; for example "4.3.0").',
      );
    } finally {
      if (saved === undefined) delete process.env[SPARK_VERSION_ENV];
      else process.env[SPARK_VERSION_ENV] = saved;
    }
  });

  it('starts nothing when an option is refused', async () => {
    await assert.rejects(startSparkConnect({ stateDir, port: 0 }), InvalidOptionError);
    assert.deepEqual(readdirSync(stateDir), []);
  });
});

describe('stopSparkConnect() options', () => {
  for (const [what, options, option, message] of STOP_CASES) {
    it(`refuses ${what}`, async () => {
      await assertRefused(stopSparkConnect(options as never), option, message);
    });
  }
});

describe('statusSparkConnect() options', () => {
  for (const [what, options, option, message] of STATUS_CASES) {
    it(`refuses ${what}`, async () => {
      await assertRefused(statusSparkConnect(options as never), option, message);
    });
  }

  it('accepts a valid state folder with no server', async () => {
    assert.deepEqual(await statusSparkConnect({ stateDir }), { running: false, stateDir });
    assert.deepEqual(stateFiles(stateDir), []);
  });
});
