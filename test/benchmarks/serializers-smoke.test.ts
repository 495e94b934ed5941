/**
 * Smoke test of the benchmark suite: the quick serializer suite runs end to end on tiny
 * inputs and writes its report, and the correctness gate refuses a wrong answer. Never
 * asserts on timings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializers, type Serializer } from '@tsapply/common';
import { BenchmarkCorrectnessError, PROFILES, median } from '../../benchmarks/lib/measure.js';
import { findDifference, jsonProjection } from '../../benchmarks/lib/deep-compare.js';
import { measureCandidate } from '../../benchmarks/serializers/suite.js';
import { naturalBytes, numericModel } from '../../benchmarks/serializers/payloads.js';
import { parseBenchArgs } from '../../benchmarks/run.js';
import { SUITE_NAMES } from '../../benchmarks/lib/suites.js';
import { BENCH_SUITES } from '../../packages/tsapply/src/cli/bench-command.js';
import { quickSuiteRun } from './quick-suite.js';

const LABELS = ['fast', 'compressed', 'zstd', 'json', 'v8', 'custom json-gzip'];
const PAYLOADS = ['numeric-model', 'text-lookup', 'nested-records', 'bundles'];

describe('benchmarks: quick serializer suite on tiny inputs', () => {
  const suite = quickSuiteRun('serializers', 0.01);

  it('exits 0 and prints the tables', () => {
    assert.equal(suite.run.status, 0, `stderr:\n${suite.run.stderr}`);
    assert.match(String(suite.run.stdout), /== Serializer benchmarks ==/);
    assert.match(String(suite.run.stdout), /\|payload +\|serializer +\|encode MB\/s/);
  });

  it('writes the markdown report with every chart it links', () => {
    const md = readFileSync(join(suite.out, 'serializers.md'), 'utf8');
    for (const heading of ['# Serializer benchmarks', '## Encode, decode and size', '## Payload framing end to end']) {
      assert.ok(md.includes(heading), `missing ${heading}`);
    }
    const charts = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
    assert.deepEqual(charts, ['serializers-encode.svg', 'serializers-decode.svg', 'serializers-bytes.svg', 'serializers-framing.svg']);
    for (const c of charts) {
      const svg = readFileSync(join(suite.out, c!), 'utf8');
      assert.match(svg, /^<\?xml[^>]*>\s*<svg /);
      assert.ok(svg.includes('</svg>'));
    }
  });

  it('writes latest.json with a figure for every serializer × payload', () => {
    const latest = JSON.parse(readFileSync(join(suite.out, 'latest.json'), 'utf8'));
    assert.equal(latest.settings.mode, 'quick');
    const figures = latest.suites.serializers.figures as { serializer: string; payload: string; encodedBytes: number; encode: { samplesMs: number[] } }[];
    assert.deepEqual(
      figures.map((f) => `${f.payload}/${f.serializer}`),
      PAYLOADS.flatMap((p) => LABELS.map((l) => `${p}/${l}`)),
    );
    for (const f of figures) {
      assert.ok(f.encodedBytes > 0);
      assert.equal(f.encode.samplesMs.length, PROFILES.quick.runs);
    }
    assert.deepEqual(latest.suites.serializers.framing.map((f: { serializer: string; contextMB: number }) => `${f.serializer}@${f.contextMB}`), ['fast@1', 'compressed@1', 'zstd@1']);
  });
});

describe('benchmarks: correctness gate', () => {
  const payload = { name: 'numeric-model', description: 'tiny', value: numericModel(1000), naturalBytes: 0 };
  payload.naturalBytes = naturalBytes(payload.value);

  it('refuses to time a serializer whose round trip loses typed arrays', () => {
    const lossy: Serializer = {
      id: 'lossy',
      serialize: (v) => Buffer.from(JSON.stringify(v)),
      deserialize: (b) => JSON.parse(Buffer.from(b).toString('utf8')),
    };
    assert.throws(
      () => measureCandidate({ label: 'lossy', serializer: lossy, oracle: 'exact', loses: '', builtin: false }, payload, PROFILES.quick, () => {}),
      (e: unknown) => {
        assert.ok(e instanceof BenchmarkCorrectnessError);
        assert.equal(
          e.message,
          'Benchmark serializers/lossy/numeric-model produced a wrong result, so its speed is not reported: value.trainedAt: expected Date(2024-05-17T09:30:00.000Z), got "2024-05-17T09:30:00.000Z"',
        );
        return true;
      },
    );
  });

  it('refuses a serializer that corrupts one number', () => {
    const flips: Serializer = {
      id: 'flips',
      serialize: (v) => serializers.fast.serialize(v),
      deserialize: (b) => {
        const v = serializers.fast.deserialize(b) as { weights: Float64Array };
        v.weights[17] = 0;
        return v;
      },
    };
    assert.throws(
      () => measureCandidate({ label: 'flips', serializer: flips, oracle: 'exact', loses: '', builtin: false }, payload, PROFILES.quick, () => {}),
      /: value\.weights\[17\]: expected -?\d\.\d+(e-\d+)?, got 0$/,
    );
  });

  it('checks JSON serializers against the JSON projection, which drops Map, Date and typed-array types', () => {
    const v = { d: new Date(0), m: new Map([[1, 2]]), f: new Float64Array([1.5, -0]), n: NaN, u: undefined };
    assert.deepEqual(jsonProjection(v), { d: '1970-01-01T00:00:00.000Z', m: {}, f: { 0: 1.5, 1: 0 }, n: null });
    assert.equal(findDifference(jsonProjection(v), JSON.parse(JSON.stringify(v))), undefined);
    assert.throws(() => jsonProjection({ big: 1n }), /Do not know how to serialize a BigInt/);
  });

  it('names the first difference with types and sizes', () => {
    assert.equal(findDifference(new Float64Array(3), [0, 0, 0]), 'value: expected Float64Array(3), got Array(3)');
    assert.equal(findDifference(new Map([['a', 1]]), new Map([['a', 2]])), 'value.get("a"): expected 1, got 2');
    assert.equal(findDifference({ a: [1, { b: 2n }] }, { a: [1, { b: 2n }] }), undefined);
  });
});

describe('benchmarks: measuring core and arguments', () => {
  it('median of odd and even counts', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('parses suite names and rejects unknown ones with the valid list', () => {
    assert.deepEqual(parseBenchArgs(['serializers', '--quick', '--out', '/tmp/x']), { suites: ['serializers'], quick: true, outDir: '/tmp/x', scale: 1 });
    assert.deepEqual(parseBenchArgs([]).suites, ['serializers', 'local', 'spark', 'spark-client', 'row-cost', 'udf', 'grouped']);
    assert.deepEqual(BENCH_SUITES, [...SUITE_NAMES, 'all'], 'tsapply bench (shipped without the benchmarks) names the same suites');
    assert.throws(() => parseBenchArgs(['serialisers']), /^Error: Unknown benchmark suite "serialisers"\. Valid: serializers, local, spark, spark-client, row-cost, udf, grouped, all\./);
  });
});
