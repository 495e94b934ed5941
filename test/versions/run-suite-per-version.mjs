#!/usr/bin/env node
// Runs the whole test suite once per supported Spark line (TSAPPLY_SPARK_VERSION set for
// the run, so every server a test starts uses that version) and prints a table of the
// results. One line at a time: two suites at once would not fit two cores.
//
//   node test/versions/run-suite-per-version.mjs [4.0.5 4.3.0 …]   (default: every tested release)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { TESTED_SPARK_VERSIONS } = await import('@tsapply/spark-local');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : [...TESTED_SPARK_VERSIONS];

const rows = [];
for (const version of versions) {
  const started = Date.now();
  console.error(`[versions] Spark ${version}: running the whole suite…`);
  const r = spawnSync(process.execPath, ['test/run-tests.mjs'], {
    cwd: root,
    env: { ...process.env, TSAPPLY_SPARK_VERSION: version, SPARK_REMOTE: '' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const count = (label) => Number(new RegExp(`^ℹ ${label} (\\d+)`, 'm').exec(r.stdout)?.[1] ?? NaN);
  rows.push({ version, tests: count('tests'), passed: count('pass'), failed: count('fail'), minutes: ((Date.now() - started) / 60000).toFixed(1), exit: r.status });
  const failing = r.stdout.split('✖ failing tests:')[1];
  if (failing) console.error(failing.split('\n').filter((l) => /^✖/.test(l)).join('\n'));
}
console.log('| Spark | tests | passed | failed | minutes |\n|---|---|---|---|---|');
for (const x of rows) console.log(`| ${x.version} | ${x.tests} | ${x.passed} | ${x.failed} | ${x.minutes} |`);
process.exitCode = rows.every((x) => x.exit === 0) ? 0 : 1;
