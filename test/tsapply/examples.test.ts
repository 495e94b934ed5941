/**
 * Every example runs through the real CLI, and its output is checked against an
 * independent computation from the raw data.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvDir, ROOT, seattleWeather, tempDir, tsapply } from './cli-helpers.js';

const out = tempDir();
after(() => rmSync(out, { recursive: true, force: true }));

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function isoWeek(y: number, m: number, d: number): number {
  const date = new Date(Date.UTC(y, m, d));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

describe('examples', () => {
  it('weather-calendar (npm dependency) matches a recomputation from the CSV', () => {
    const dir = join(out, 'calendar');
    const r = tsapply(['run', 'examples/weather-calendar.ts', '--output', dir, '--format', 'csv', '--workers', '2', '--quiet']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const { header, rows } = readCsvDir(dir);
    assert.deepEqual(header, ['day', 'weekday', 'weekend', 'iso_week', 'quarter', 'temp_range', 'weather']);
    const expected = seattleWeather().map((w) => {
      const [y, m, d] = w.date.split('-').map(Number) as [number, number, number];
      const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
      return [
        w.date,
        DAYS[dow]!,
        String(dow === 0 || dow === 6),
        String(isoWeek(y, m - 1, d)),
        String(Math.floor((m - 1) / 3) + 1),
        String(Math.round((w.temp_max - w.temp_min) * 10) / 10),
        w.weather,
      ];
    });
    assert.equal(rows.length, 1461);
    assert.deepEqual(rows, expected);
    assert.deepEqual(readdirSync(dir).sort(), ['_SUCCESS', 'part-00000.csv', 'part-00001.csv']);
  });

  it('weather-calendar bundles date-fns (dependency inference)', () => {
    const r = tsapply(['bundle', 'examples/weather-calendar.ts', '--json']);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout);
    const dateFns = JSON.parse(readFileSync(join(ROOT, 'node_modules/date-fns/package.json'), 'utf8')).version;
    assert.ok(report.packages.some((p: { name: string; version: string }) => p.name === 'date-fns' && p.version === dateFns));
    assert.deepEqual(report.nativeAddons, []);
    assert.match(report.sha256, /^[0-9a-f]{64}$/);
  });

  it('penguin-classifier (context + init) matches a nearest-centroid recomputation', () => {
    const dir = join(out, 'penguins');
    const r = tsapply(['run', 'examples/penguin-classifier.ts', '--output', dir, '--format', 'jsonl', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const got = readdirSync(dir)
      .filter((n) => n.startsWith('part-'))
      .sort()
      .flatMap((p) => readFileSync(join(dir, p), 'utf8').trim().split('\n').map((l) => JSON.parse(l)));
    const feats = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
    const mean = [43.9, 17.2, 200.9, 4201.8];
    const sd = [5.5, 2.0, 14.0, 800.8];
    const centroids: Record<string, number[]> = {
      Adelie: [38.8, 18.3, 190.0, 3700.7],
      Chinstrap: [48.8, 18.4, 195.8, 3733.1],
      Gentoo: [47.5, 15.0, 217.2, 5076.0],
    };
    const penguins = JSON.parse(readFileSync(join(ROOT, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<string, unknown>[];
    const expected = penguins
      .filter((p) => feats.every((f) => p[f] !== null))
      .map((p) => {
        const x = feats.map((f, j) => ((p[f] as number) - mean[j]!) / sd[j]!);
        let best = '';
        let bestD = Infinity;
        for (const label of Object.keys(centroids).sort()) {
          const d = centroids[label]!.reduce((s, v, j) => s + (x[j]! - (v - mean[j]!) / sd[j]!) ** 2, 0);
          if (d < bestD) [best, bestD] = [label, d];
        }
        return { species: p.Species, island: p.Island, predicted: best, distance: Math.round(Math.sqrt(bestD) * 1000) / 1000, correct: best === p.Species };
      });
    assert.equal(got.length, 342);
    assert.deepEqual(got, expected);
  });

  it('weather-stats (groupBy) matches per-weather stats computed from the CSV', () => {
    const dir = join(out, 'stats');
    const r = tsapply(['run', 'examples/weather-stats.ts', '--output', dir, '--format', 'jsonl', '--quiet', '--workers', '2']);
    assert.equal(r.code, 0, r.stderr);
    const got = readdirSync(dir)
      .filter((n) => n.startsWith('part-'))
      .flatMap((p) => readFileSync(join(dir, p), 'utf8').trim().split('\n').map((l) => JSON.parse(l)))
      .sort((a, b) => a.weather.localeCompare(b.weather));
    const byWeather = new Map<string, ReturnType<typeof seattleWeather>>();
    for (const w of seattleWeather()) byWeather.set(w.weather, [...(byWeather.get(w.weather) ?? []), w]);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const expected = [...byWeather.keys()].sort().map((weather) => {
      const ws = byWeather.get(weather)!;
      return {
        weather,
        days: ws.length,
        mean_temp_max: Math.round((ws.reduce((s, w) => s + w.temp_max, 0) / ws.length) * 100) / 100,
        median_precipitation: Math.round(median(ws.map((w) => w.precipitation)) * 100) / 100,
        max_wind: Math.max(...ws.map((w) => w.wind)),
      };
    });
    assert.deepEqual(got, expected);
  });

  it('weather-stats prints a table with every group on stdout by default', () => {
    const r = tsapply(['run', 'examples/weather-stats.ts', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[1], '|weather|days|mean_temp_max|median_precipitation|max_wind|');
    assert.equal(lines.at(-1), '5 rows');
    assert.match(r.stdout, /\|   rain\| 641\|/);
  });
});
