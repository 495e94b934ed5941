/** Runs the real `tsapply` bin in a child process and captures its output. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const BIN = join(ROOT, 'packages/tsapply/bin/tsapply.js');
export const JOBS = join(ROOT, 'test/fixtures/tsapply/jobs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh payload cache per test process keeps runs independent of ~/.cache. */
const cacheDir = mkdtempSync(join(tmpdir(), 'tsapply-cache-'));

export function tsapply(args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, TSAPPLY_CACHE_DIR: cacheDir, FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'tsapply-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Reads a CSV output directory's part files in order, as header + rows of strings. */
export function readCsvDir(dir: string): { header: string[]; rows: string[][] } {
  const parts = readdirSync(dir).filter((n) => n.startsWith('part-')).sort();
  let header: string[] = [];
  const rows: string[][] = [];
  for (const p of parts) {
    const lines = readFileSync(join(dir, p), 'utf8').split('\n').filter((l) => l !== '');
    header = lines[0]!.split(',');
    for (const l of lines.slice(1)) rows.push(l.split(','));
  }
  return { header, rows };
}

/** Parses the vega-datasets seattle-weather.csv independently of tsapply (simple: no quoted fields). */
export function seattleWeather(): { date: string; precipitation: number; temp_max: number; temp_min: number; wind: number; weather: string }[] {
  const text = readFileSync(join(ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [date, p, tmax, tmin, wind, weather] = l.trim().split(',');
      return { date: date!, precipitation: Number(p), temp_max: Number(tmax), temp_min: Number(tmin), wind: Number(wind), weather: weather! };
    });
}
