import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { stateFiles } from './helpers.js';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTsapplyError } from '@tsapply/common';
import {
  detectJava,
  detectPython,
  findFreePort,
  parseJavaVersion,
  resolveSparkVersion,
  startSparkConnect,
  SparkStartError,
  MIN_JAVA_MAJOR,
} from '@tsapply/spark-local';

const quiet = { onProgress: () => {} };

describe('startSparkConnect() option validation', () => {
  it('rejects unknown options, naming them', async () => {
    await assert.rejects(startSparkConnect({ prot: 1 } as never), {
      name: 'InvalidOptionError',
      message:
        'Invalid option in startSparkConnect(): "prot". Did you mean "port"? Valid options: master, port, sparkVersion, conf, token, mode, executors, workers, stateDir, driverMemory, timeoutMs, pythonExecutable, onProgress.',
    });
  });

  it('rejects conflicting master and cluster mode', async () => {
    await assert.rejects(startSparkConnect({ mode: 'cluster', master: 'local[2]' }), {
      message:
        "options.master and mode 'cluster' conflict: cluster mode sets the master itself (local-cluster[2,1,1024]). Pass one or the other.",
    });
  });

  it('rejects executors outside cluster mode, bad ports and non-Spark confs', async () => {
    await assert.rejects(startSparkConnect({ executors: 3 }), {
      message: "options.executors only applies to mode 'cluster' (got mode 'local'). Pass mode: 'cluster' (CLI: --cluster).",
    });
    await assert.rejects(startSparkConnect({ port: 70000 }), {
      message: 'options.port must be an integer from 1 to 65535, got 70000.',
    });
    await assert.rejects(startSparkConnect({ conf: { 'sql.shuffle.partitions': '2' } }), {
      message: 'options.conf key "sql.shuffle.partitions" is not a Spark conf: keys start with "spark.".',
    });
  });

  it('accepts only Spark 3.5+ release numbers', () => {
    assert.equal(resolveSparkVersion('4.0.1'), '4.0.1');
    assert.equal(resolveSparkVersion('3.5.7'), '3.5.7');
    assert.throws(() => resolveSparkVersion('3.4.4'), {
      message: 'Spark 3.4.4 is not supported: tsapply needs Spark 3.5 or newer (supported: 3.5.x, 4.0.x, 4.1.x, 4.2.x, 4.3.x; for example "4.3.0").',
    });
    assert.throws(() => resolveSparkVersion('2.4.8'), /Spark 2\.4\.8 is not supported/);
    assert.throws(() => resolveSparkVersion('4.1'), {
      message: 'Invalid Spark version "4.1" (from sparkVersion): expected an exact release like "4.3.0" (major.minor.patch).',
    });
  });
});

describe('Java and Python detection', () => {
  it('parses java -version output of old and new releases', () => {
    assert.deepEqual(parseJavaVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime'), { major: 17, version: '17.0.15' });
    assert.deepEqual(parseJavaVersion('java version "1.8.0_392"'), { major: 8, version: '1.8.0_392' });
    assert.deepEqual(parseJavaVersion('openjdk version "21" 2023-09-19'), { major: 21, version: '21' });
    assert.equal(parseJavaVersion('no version here'), undefined);
  });

  it('explains a missing java on PATH', async () => {
    await assert.rejects(detectJava({ PATH: '/nonexistent-bin' }), (e: Error & { tool?: string }) => {
      assert.equal(e.name, 'MissingPrerequisiteError');
      assert.equal(e.tool, 'java');
      assert.equal(
        e.message,
        `Java not found: JAVA_HOME is not set and there is no "java" on PATH. Spark needs Java ${MIN_JAVA_MAJOR} or newer. ` +
          'Install a Java 17 or newer runtime (e.g. "apt-get install openjdk-17-jre-headless", "brew install openjdk@17", ' +
          'or https://adoptium.net) and put its "java" on PATH or set JAVA_HOME.',
      );
      return true;
    });
  });

  it('startSparkConnect() refuses a JAVA_HOME without java before starting anything', async () => {
    const fakeHome = mkdtempSync(join(tmpdir(), 'tsapply-fake-java-'));
    const stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-nojava-'));
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = fakeHome;
    try {
      await assert.rejects(startSparkConnect({ port: await findFreePort(), stateDir, ...quiet }), (e: Error) => {
        assert.equal(isTsapplyError(e), true);
        assert.equal(
          e.message,
          `Java not found: JAVA_HOME is "${fakeHome}" but ${fakeHome}/bin/java does not exist. ` +
            'Point JAVA_HOME at a Java 17+ installation or unset it to use "java" from PATH. ' +
            'Install a Java 17 or newer runtime (e.g. "apt-get install openjdk-17-jre-headless", "brew install openjdk@17", ' +
            'or https://adoptium.net) and put its "java" on PATH or set JAVA_HOME.',
        );
        return true;
      });
      assert.deepEqual(stateFiles(stateDir), []);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
      rmSync(fakeHome, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('explains a missing Python', async () => {
    await assert.rejects(detectPython({ PATH: '/nonexistent-bin' }), {
      name: 'MissingPrerequisiteError',
      message:
        'Python not found: there is no "python3" on PATH. The managed Spark server needs Python 3.10+ for PySpark. ' +
        'Install Python 3.10 or newer with the venv module (e.g. "apt-get install python3 python3-venv", ' +
        '"brew install python@3.11", or https://www.python.org/downloads/), or point TSAPPLY_PYTHON at one.',
    });
  });
});

describe('start failures', () => {
  let blocker: Server;
  let blockedPort: number;
  let stateDir: string;

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'tsapply-spark-errors-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    blockedPort = (blocker.address() as { port: number }).port;
  });

  after(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('reports a taken port with the pid holding it', async () => {
    await assert.rejects(startSparkConnect({ port: blockedPort, stateDir, ...quiet }), {
      name: 'PortInUseError',
      message: `Port ${blockedPort} is already in use (pid ${process.pid}). Stop that process or pass --port.`,
      port: blockedPort,
      pid: process.pid,
    });
    assert.deepEqual(stateFiles(stateDir), []);
  });

  it('reports a server that dies during start with the tail of its log', async () => {
    const port = await findFreePort();
    const log = join(stateDir, `spark-connect-${port}.log`);
    let error: SparkStartError | undefined;
    try {
      await startSparkConnect({ port, stateDir, master: 'local[x]', ...quiet });
    } catch (e) {
      error = e as SparkStartError;
    }
    assert.ok(error, 'startSparkConnect() should have rejected');
    assert.equal(error.name, 'SparkStartError');
    assert.equal(error.reason, 'exited');
    assert.equal(error.log, log);
    assert.match(error.logTail, /Could not parse Master URL: 'local\[x\]'/);
    assert.ok(error.logTail.split('\n').length <= 30);
    assert.equal(
      error.message,
      `The Spark Connect server exited with ${error.exitStatus} during start. Last lines of ${log}:\n${error.logTail}`,
    );
    assert.match(error.exitStatus ?? '', /^code [1-9]\d*$/);
    assert.deepEqual(stateFiles(stateDir), []);
  });
});
