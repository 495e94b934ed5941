/**
 * tsapply as a user meets it from npm: the workspace packed with `npm pack`, installed in a
 * fresh folder with the packages the package README's examples use, and those examples —
 * each code block whose first line names its file — written there and run as the README
 * says: the job file through the installed CLI, the script with plain `node`. Outputs are
 * checked against the same figures computed here from the CSV.
 *
 * The install runs no dependency's install scripts, as npm 12 does by default (npm 11.16+
 * only warns): esbuild, lz4-napi and msgpackr's native part come as prebuilt platform
 * packages, so tsapply must work without a user approving any script.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mean, median } from 'simple-statistics';
import { ROOT, seattleWeather, tempDir } from './cli-helpers.js';

const README = join(ROOT, 'packages/tsapply/README.md');
/** A guard against a hung install, not a timing assertion. */
const LIMIT_MS = 10 * 60_000;

/** The README's code blocks that start with `// <file name>`, by file name. */
function readmeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of readFileSync(README, 'utf8').matchAll(/```(?:ts|js)\n\/\/ (\S+)[^\n]*\n([\s\S]*?)```/g)) files.set(m[1]!, m[2]!);
  return files;
}

/** The version range the workspace itself uses for `name`, so the install matches what the tests ran with. */
function rootVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return pkg.devDependencies[name]!;
}

const dir = tempDir('tsapply-packed-');
const app = join(dir, 'app');
before(() => {
  const tgz = join(dir, 'tgz');
  mkdirSync(tgz);
  mkdirSync(app);
  execFileSync('npm', ['pack', '--workspaces', '--pack-destination', tgz], { cwd: ROOT, stdio: 'pipe', timeout: LIMIT_MS });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true }, null, 2)}\n`);
  const tarballs = readdirSync(tgz).map((f) => join(tgz, f));
  execFileSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, `vega-datasets@${rootVersion('vega-datasets')}`, `simple-statistics@${rootVersion('simple-statistics')}`],
    { cwd: app, stdio: 'pipe', timeout: LIMIT_MS },
  );
  for (const [name, text] of readmeFiles()) writeFileSync(join(app, name), text);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const byWeather = () => {
  const groups = new Map<string, number[]>();
  for (const r of seattleWeather()) groups.set(r.weather, [...(groups.get(r.weather) ?? []), r.temp_max]);
  return groups;
};

describe('the package README, from a packed install in a fresh folder', () => {
  it('has the job file and the script to run', () => {
    assert.deepEqual([...readmeFiles().keys()], ['weather.ts', 'script.mjs']);
  });

  it('runs the job file with the installed CLI: a table of days and mean temp_max per weather', () => {
    const r = spawnSync(join(app, 'node_modules/.bin/tsapply'), ['run', 'weather.ts'], { cwd: app, encoding: 'utf8', timeout: LIMIT_MS });
    assert.equal(r.status, 0, r.stderr);
    for (const [weather, temps] of byWeather()) {
      const row = new RegExp(`^\\|\\s*${weather}\\|\\s*${temps.length}\\|\\s*([\\d.]+)\\|$`, 'm').exec(r.stdout);
      assert.ok(row, `${weather} in\n${r.stdout}`);
      assert.ok(Math.abs(Number(row[1]) - mean(temps)) < 1e-9, `${weather}: ${row[1]} vs ${mean(temps)}`);
    }
    assert.match(r.stdout, /^5 rows$/m);
  });

  it('runs the script with node: the inline function, its helper and its npm import, the rows collected', () => {
    const r = spawnSync(process.execPath, ['script.mjs'], { cwd: app, encoding: 'utf8', timeout: LIMIT_MS });
    assert.equal(r.status, 0, r.stderr);
    const expected = [...byWeather()].map(([weather, temps]) => `${weather}: ${(median(temps) * 1.8 + 32).toFixed(1)} °F`);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), expected.sort());
  });
});
