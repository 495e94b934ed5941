/**
 * Smoke test of the embedded-engine benchmark: the quick suite runs the real jobs on
 * small prefixes of the flights file in fresh processes, checks their outputs and writes
 * its report with every chart. Never asserts on timings; memory figures are only checked
 * to be present and plausible (a process has some RSS), not compared.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksumProblem, type Checksum } from '../../benchmarks/local/checksum.js';
import { quickSuiteRun } from './quick-suite.js';

describe('benchmarks: quick embedded-engine suite on small inputs', () => {
  const suite = quickSuiteRun('local', 0.2);

  it('exits 0 after checking every output', () => {
    assert.equal(suite.run.status, 0, `stderr:\n${suite.run.stderr}`);
    // The progress log (stderr) has one line per measurement, written after its output was checked.
    const checked = String(suite.run.stderr).match(/— output checked$/gm) ?? [];
    // quick: 2 jobs × 2 worker counts × 2 sizes × 1 run, then the CPU job at 2 sizes for memory
    assert.equal(checked.length, 10, String(suite.run.stderr));
    assert.doesNotMatch(String(suite.run.stdout), /\|0 \(0–0\)|∞×/, 'a rate of 0 rows/s or an infinite speedup in the tables');
  });

  it('writes the report with its tables and every chart it links', () => {
    const md = readFileSync(join(suite.out, 'local.md'), 'utf8');
    for (const heading of ['## Headline', '## Rows per second vs workers', '## Peak memory vs input size']) assert.ok(md.includes(heading), `missing ${heading}`);
    // The CPU ceiling comes from each process's own CPU time: a ratio for each job, at most the 2 cores,
    // or '–' exactly when the quick run's larger input added no wall or CPU time over the smaller (noise).
    assert.match(md, /\| 1 worker's CPU ceiling \|/);
    const raw = JSON.parse(readFileSync(join(suite.out, 'latest.json'), 'utf8')).suites.local;
    const [small, large] = raw.sizes.throughputRows as [number, number];
    for (const job of ['cpu-bound', 'io-bound']) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${job} |`) && l.split('|').length === 10);
      const cell = /\| ([\d.]+×|–) \| [^|]+ \|$/.exec(row ?? '')?.[1];
      const runs = (raw.throughput as { job: string; workers: number; inputRows: number; report: { elapsedMs: number; cpuMs: number } }[]).filter((f) => f.job === job && f.workers === 1);
      const added = (of: 'elapsedMs' | 'cpuMs') => runs.find((f) => f.inputRows === large)!.report[of] - runs.find((f) => f.inputRows === small)!.report[of];
      if (added('elapsedMs') > 0 && added('cpuMs') > 0) assert.ok(Number(cell?.slice(0, -1)) > 0 && Number(cell?.slice(0, -1)) <= 2, `${job}: ${row}`);
      else assert.equal(cell, '–', `${job}: ${row}`);
    }
    const charts = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
    assert.deepEqual(charts, ['local-rows-per-second.svg', 'local-memory.svg', 'local-memory-over-time.svg']);
    for (const c of charts) assert.match(readFileSync(join(suite.out, c!), 'utf8'), /^<\?xml[^>]*>\s*<svg [\s\S]*<\/svg>\s*$/);
  });

  it('keeps an RSS series for every memory run in latest.json', () => {
    const latest = JSON.parse(readFileSync(join(suite.out, 'latest.json'), 'utf8'));
    const memory = latest.suites.local.memory as { job: string; flags: string; inputRows: number; report: { maxRssBytes: number; rssSeries: [number, number][] } }[];
    assert.deepEqual(memory.map((m) => `${m.job}/${m.flags}/${m.inputRows}`), ['cpu-bound/default/4000', 'cpu-bound/default/40000']);
    for (const m of memory) {
      assert.ok(m.report.rssSeries.length >= 1);
      assert.ok(m.report.rssSeries.every(([ms, bytes]) => ms >= 0 && bytes > 0 && bytes <= m.report.maxRssBytes));
    }
  });
});

describe('benchmarks: the embedded-engine correctness gate', () => {
  const expected: Checksum = { rows: 3000, distanceWeighted: 123456, gcSum: 1000.5, gcNaN: 2, trackSum: 1100.25 };

  it('accepts an equal checksum and sums of doubles within rounding', () => {
    assert.equal(checksumProblem(expected, { ...expected }), undefined);
    assert.equal(checksumProblem(expected, { ...expected, gcSum: 1000.5 * (1 + 1e-12) }), undefined);
  });

  it('names a lost row, a reordering and a wrong computed column', () => {
    assert.equal(checksumProblem(expected, { ...expected, rows: 2999 }), 'expected 3000 output rows, got 2999');
    assert.match(checksumProblem(expected, { ...expected, distanceWeighted: 123457 })!, /rows lost, duplicated or out of order$/);
    assert.equal(checksumProblem(expected, { ...expected, gcNaN: 3 }), 'expected 2 rows with an unknown airport, got 3');
    assert.equal(checksumProblem(expected, { ...expected, gcSum: 1001 }), 'sum of gc_mi expected 1000.5, got 1001');
    assert.equal(checksumProblem(expected, { ...expected, trackSum: 1 }), 'sum of track_mi expected 1100.25, got 1');
  });
});
