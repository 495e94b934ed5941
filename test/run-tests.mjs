#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (TypeScript through tsx).
// Test files import the workspace packages by name, so they exercise the built dist/.
//
// Spark: when a selected test file needs a Spark Connect server (it lives under one of
// SPARK_TEST_DIRS, or contains the marker `// @requires-spark`) and SPARK_REMOTE is not
// set, this runner starts a managed server through @tsapply/spark-local (the built code)
// on a free port — never 15002, so a developer's own server is left alone — exports
// SPARK_REMOTE (plus TSAPPLY_TEST_SPARK_*) to the test processes, and stops it at the
// end, also on failure or Ctrl-C. The first run creates the Python environment with
// pyspark (a few minutes; progress is printed). Set SPARK_REMOTE to use a server of your
// own instead; TSAPPLY_SPARK_VERSION picks another Spark version, TSAPPLY_TEST_SPARK_MASTER
// another master for the test server (default local[2,2]: two cores, and a failed task gets one
// retry as on a real cluster, which the transient-failure tests of the Spark path rely on).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const testDir = fileURLToPath(new URL('.', import.meta.url));
const root = join(testDir, '..');

/** Test folders whose files all talk to Spark through SPARK_REMOTE. */
const SPARK_TEST_DIRS = ['test/spark-connect', 'test/spark'];
const SPARK_MARKER = '@requires-spark';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

function needsSpark(file) {
  const rel = relative(root, file).split(sep).join('/');
  if (SPARK_TEST_DIRS.some((d) => rel.startsWith(`${d}/`))) return true;
  return readFileSync(file, 'utf8').includes(SPARK_MARKER);
}

// `node test/run-tests.mjs test/common` runs a subset.
const roots = process.argv.slice(2).map((p) => join(root, p));
const files = (roots.length ? roots : [testDir])
  .flatMap((p) => (statSync(p).isDirectory() ? findTests(p) : [p]))
  .sort();
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
console.log(`Running ${files.length} test files: ${files.map((f) => relative(root, f)).join(', ')}`);

let sparkLocal; // the loaded @tsapply/spark-local module, once needed
let server; // the managed Spark server this run started, if any
let stateDir;
let child;

/** Stops the test server — also one still starting (found through its state file). */
async function stopSpark({ keepLog = false } = {}) {
  const s = server;
  server = undefined;
  try {
    if (s) {
      console.log(`[run-tests] Stopping the test Spark Connect server (pid ${s.pid})`);
      await s.stop();
    } else if (sparkLocal && stateDir) {
      await sparkLocal.stopSparkConnect({ stateDir });
    }
  } catch (e) {
    console.error(`[run-tests] Could not stop the Spark server: ${e.message}`);
  }
  if (!stateDir) return;
  if (keepLog) console.log(`[run-tests] The Spark server's log is kept in ${stateDir}`);
  else rmSync(stateDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`[run-tests] ${signal}: stopping tests and Spark`);
    child?.kill('SIGTERM');
    void stopSpark().finally(() => process.exit(130));
  });
}

async function startSpark() {
  try {
    sparkLocal = await import('@tsapply/spark-local');
  } catch (e) {
    throw new Error(`Cannot load @tsapply/spark-local (${e.message}). Build first: npm run build`);
  }
  const port = await sparkLocal.findFreePort();
  stateDir = mkdtempSync(join(tmpdir(), 'tsapply-test-spark-'));
  const started = Date.now();
  console.log(`[run-tests] Starting a Spark Connect server for the tests on port ${port} (set SPARK_REMOTE to use your own)`);
  server = await sparkLocal.startSparkConnect({
    port,
    stateDir,
    // Plain local[N] never retries a failed task; local[N,F] allows F attempts.
    master: process.env.TSAPPLY_TEST_SPARK_MASTER ?? 'local[2,2]',
    onProgress: (line) => console.log(line),
  });
  console.log(`[run-tests] Spark ${server.version} ready at ${server.address} after ${Math.round((Date.now() - started) / 1000)} s; log: ${server.log}`);
  return {
    SPARK_REMOTE: server.address,
    TSAPPLY_TEST_SPARK_VERSION: server.version,
    TSAPPLY_TEST_SPARK_LOG: server.log,
    // The managed venv's interpreter (has pyspark + its Connect client) and its major.minor.
    TSAPPLY_TEST_SPARK_PYTHON: server.python,
    TSAPPLY_TEST_SPARK_PYTHON_VERSION: server.pythonVersion,
  };
}

let exitCode = 1;
try {
  let extraEnv = {};
  const sparkFiles = files.filter(needsSpark);
  if (sparkFiles.length > 0 && !process.env.SPARK_REMOTE) extraEnv = await startSpark();
  else if (sparkFiles.length > 0) console.log(`[run-tests] Using SPARK_REMOTE=${process.env.SPARK_REMOTE}`);
  exitCode = await new Promise((resolve) => {
    child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, ...extraEnv },
    });
    child.on('error', (e) => {
      console.error(`[run-tests] Could not start the test runner: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
} catch (e) {
  console.error(`[run-tests] ${e.message}`);
  exitCode = 1;
} finally {
  // A failed run keeps the server's log for the CI artifacts / the developer.
  await stopSpark({ keepLog: exitCode !== 0 });
}
process.exit(exitCode);
