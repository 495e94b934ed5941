/**
 * Serializer suite: for every candidate × payload, check the round trip, then measure
 * encode and decode (MB/s of the payload's natural size, see `payloads.ts`) and the
 * encoded bytes; then payload framing end to end (`encodePayload` / `decodePayload`) at
 * growing context sizes. Ratios vs `fast` are medians from this same run.
 */
import { createZstdSerializer, decodePayload, encodePayload, resolveSerializer, type PayloadParts, type Serializer } from '@tsapply/common';
import { groupedBarChart, lineChart } from '../lib/charts.js';
import { findDifference, jsonProjection } from '../lib/deep-compare.js';
import { measureSync, mbPerSecond, ratio, verify, type Measurement, type MeasureProfile } from '../lib/measure.js';
import type { BenchmarkSuite, ReportSection, SuiteContext, SuiteResult } from '../lib/suite.js';
import { candidates, JSON_LOSES, variants, type Candidate } from './candidates.js';
import { buildPayloads, gaussian, type Payload } from './payloads.js';

interface SerializerFigure {
  serializer: string;
  payload: string;
  naturalBytes: number;
  encodedBytes: number;
  encode: Measurement;
  decode: Measurement;
  encodeMBps: number;
  decodeMBps: number;
}

interface FramingFigure {
  serializer: string;
  contextMB: number;
  payloadBytes: number;
  encode: Measurement;
  decode: Measurement;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const fmtMBps = (n: number): string => (n >= 100 ? fmt(n) : n >= 10 ? fmt(n, 1) : fmt(n, 2));
const fmtRatio = (n: number): string => `${n >= 10 ? fmt(n, 1) : fmt(n, 2)}×`;
const spread = (m: Measurement): string => `${fmt(m.minMs, 2)}–${fmt(m.maxMs, 2)}`;

/** Check a candidate's round trip of one payload; a wrong result fails the suite. */
function checkRoundTrip(c: Candidate, p: Payload, bench: string): Uint8Array {
  const bytes = c.serializer.serialize(p.value);
  verify(bench, bytes instanceof Uint8Array ? undefined : `serialize() returned ${typeof bytes}, not a Uint8Array`);
  const back = c.serializer.deserialize(bytes);
  const expected = c.oracle === 'json' ? jsonProjection(p.value) : p.value;
  verify(bench, findDifference(expected, back));
  return bytes;
}

/** Check one candidate's round trip of one payload, then time encode and decode. */
export function measureCandidate(c: Candidate, p: Payload, profile: MeasureProfile, log: (m: string) => void): SerializerFigure {
  const bench = `serializers/${c.label}/${p.name}`;
  const bytes = checkRoundTrip(c, p, bench);
  const encode = measureSync(() => c.serializer.serialize(p.value), profile);
  const decode = measureSync(() => c.serializer.deserialize(bytes), profile);
  const figure = {
    serializer: c.label,
    payload: p.name,
    naturalBytes: p.naturalBytes,
    encodedBytes: bytes.byteLength,
    encode,
    decode,
    encodeMBps: mbPerSecond(p.naturalBytes, encode.medianMs),
    decodeMBps: mbPerSecond(p.naturalBytes, decode.medianMs),
  };
  log(`  ${bench}: encode ${fmtMBps(figure.encodeMBps)} MB/s, decode ${fmtMBps(figure.decodeMBps)} MB/s, ${fmt(bytes.byteLength)} bytes`);
  return figure;
}

function framingParts(contextBytes: number): PayloadParts {
  return {
    meta: { kind: 'job', exportName: 'default', schema: 'y double', sourceFile: 'bench.ts', tsapplyVersion: 'bench' },
    bundle: 'module.exports = { default: { apply: (b) => b } };',
    sourceMap: '{"version":3,"sources":[],"mappings":""}',
    context: { weights: gaussian(Math.floor(contextBytes / 8), 7, 0.05) },
  };
}

function measureFraming(serializer: Serializer, contextMB: number, quick: boolean, log: (m: string) => void): FramingFigure {
  const parts = framingParts(contextMB * 1e6);
  const bench = `serializers/framing/${serializer.id}/${contextMB}MB`;
  const loadSerializer = (id: string): Serializer => (id === serializer.id ? serializer : resolveSerializer(id));
  const payload = encodePayload(parts, serializer);
  verify(bench, findDifference(parts.context, decodePayload(payload, { loadSerializer }).context, 'context'));
  // Large contexts take seconds per call: fewer samples, no looping.
  const profile: MeasureProfile = contextMB >= 100 ? { warmup: 0, runs: quick ? 1 : 3, minSampleMs: 0 } : { warmup: 1, runs: quick ? 3 : 5, minSampleMs: 0 };
  const encode = measureSync(() => encodePayload(parts, serializer), profile);
  const decode = measureSync(() => decodePayload(payload, { loadSerializer }), profile);
  log(`  ${bench}: encodePayload ${fmt(encode.medianMs, 1)} ms, decodePayload ${fmt(decode.medianMs, 1)} ms, ${fmt(payload.byteLength)} bytes`);
  return { serializer: serializer.id, contextMB, payloadBytes: payload.byteLength, encode, decode };
}

function serializerSections(figures: SerializerFigure[], cands: Candidate[], payloads: Payload[]): ReportSection[] {
  const order = cands.map((c) => c.label);
  const payloadOrder = payloads.map((p) => p.name);
  const byKey = new Map(figures.map((f) => [`${f.serializer}|${f.payload}`, f]));
  const fast = (p: string): SerializerFigure => byKey.get(`fast|${p}`)!;
  const rows = figures.map((f) => [
    f.payload,
    f.serializer,
    fmtMBps(f.encodeMBps),
    fmtMBps(f.decodeMBps),
    fmt(f.encodedBytes),
    fmt(f.encodedBytes / f.naturalBytes, 3),
    fmtRatio(ratio(fast(f.payload).encode, f.encode)),
    fmtRatio(ratio(fast(f.payload).decode, f.decode)),
    fmt(f.encodedBytes / fast(f.payload).encodedBytes, 3),
  ]);
  const payloadRows = payloads.map((p) => [p.name, fmt(p.naturalBytes / 1e6, 2), p.description]);
  const spreadRows = figures.map((f) => [f.payload, f.serializer, fmt(f.encode.medianMs, 2), spread(f.encode), fmt(f.decode.medianMs, 2), spread(f.decode), f.encode.samplesMs.length]);
  const chartRows = figures.map((f) => ({ payload: f.payload, serializer: f.serializer, encodeMBps: f.encodeMBps, decodeMBps: f.decodeMBps, bytes: f.encodedBytes }));
  const common = { group: 'payload', series: 'serializer', groupOrder: payloadOrder, seriesOrder: order };
  return [
    {
      heading: 'Payloads',
      tables: [{ title: 'Payloads', columns: ['payload', 'natural MB', 'what'], rows: payloadRows }],
      charts: [],
    },
    {
      heading: 'Encode, decode and size',
      text:
        'Median of the runs. MB/s are megabytes of the payload\'s natural size per second (higher is better). ' +
        '"speed vs fast" is how many times faster than `fast` on the same payload in this run (>1× = faster); ' +
        '"bytes vs fast" is the encoded size relative to `fast` (<1 = smaller).',
      tables: [
        {
          title: 'Serializers',
          columns: ['payload', 'serializer', 'encode MB/s', 'decode MB/s', 'bytes', 'bytes/natural', 'encode vs fast', 'decode vs fast', 'bytes vs fast'],
          rows,
          note:
            `${cands.filter((c) => c.oracle === 'json').map((c) => `\`${c.label}\``).join(' and ')} are checked against the JSON projection of each payload ` +
            `(${JSON_LOSES}); every other serializer must give back the exact value, types included. ` +
            '`v8` decodes typed arrays as views of its input (no copy), hence its decode figures on numeric data.',
        },
        { title: 'Spread (ms per call: median, min–max)', columns: ['payload', 'serializer', 'encode ms', 'encode min–max', 'decode ms', 'decode min–max', 'runs'], rows: spreadRows },
      ],
      charts: [
        { name: 'encode', caption: 'Encode throughput per serializer and payload (MB/s, log scale)', spec: groupedBarChart(chartRows, { ...common, title: 'Encode throughput (MB/s of natural size, higher is better)', value: 'encodeMBps', valueTitle: 'encode MB/s', log: true }) },
        { name: 'decode', caption: 'Decode throughput per serializer and payload (MB/s, log scale)', spec: groupedBarChart(chartRows, { ...common, title: 'Decode throughput (MB/s of natural size, higher is better)', value: 'decodeMBps', valueTitle: 'decode MB/s', log: true }) },
        { name: 'bytes', caption: 'Encoded size per serializer and payload (bytes, log scale)', spec: groupedBarChart(chartRows, { ...common, title: 'Encoded size (bytes, lower is better)', value: 'bytes', valueTitle: 'encoded bytes', log: true }) },
      ],
    },
  ];
}

function framingSection(figures: FramingFigure[]): ReportSection {
  const rows = figures.map((f) => [f.serializer, fmt(f.contextMB), fmt(f.payloadBytes), fmt(f.encode.medianMs, 1), spread(f.encode), fmt(f.decode.medianMs, 1), spread(f.decode)]);
  const chartRows = figures.flatMap((f) => [
    { serializer: `${f.serializer} encode`, contextMB: f.contextMB, ms: f.encode.medianMs },
    { serializer: `${f.serializer} decode`, contextMB: f.contextMB, ms: f.decode.medianMs },
  ]);
  return {
    heading: 'Payload framing end to end',
    text:
      '`encodePayload` (serialize the context, frame, SHA-256) and `decodePayload` (verify SHA-256, deserialize) for a context of ' +
      'model weights (Float64 Gaussian noise, which barely compresses: the worst case for compression) at each size. ' +
      'This is the local part of job start-up vs context size; the Spark upload part is measured by the spark suite.',
    tables: [{ title: 'Framing', columns: ['serializer', 'context MB', 'payload bytes', 'encodePayload ms', 'min–max', 'decodePayload ms', 'min–max'], rows }],
    charts: [
      {
        name: 'framing',
        caption: 'encodePayload / decodePayload time vs context size (log–log)',
        spec: lineChart(chartRows, { title: 'Payload encode/decode time vs context size', x: 'contextMB', xTitle: 'context MB', y: 'ms', yTitle: 'ms (lower is better)', series: 'serializer', logX: true, logY: true }),
      },
    ],
  };
}

async function run(ctx: SuiteContext): Promise<SuiteResult> {
  const { quick, profile, log } = ctx;
  log('serializers: building payloads');
  const payloads = await buildPayloads({ quick, scale: ctx.scale });
  const cands = await candidates();
  const figures: SerializerFigure[] = [];
  for (const p of payloads) {
    log(`serializers: ${p.name} (${fmt(p.naturalBytes / 1e6, 2)} MB natural)`);
    for (const c of cands) figures.push(measureCandidate(c, p, profile, log));
  }
  const sections = serializerSections(figures, cands, payloads);

  let variantFigures: SerializerFigure[] = [];
  if (!quick) {
    log('serializers: variants (zstd levels, pure-JS decoders)');
    const vs = await variants();
    for (const p of payloads) for (const v of vs) variantFigures.push(measureCandidate(v, p, profile, log));
    sections.push({
      heading: 'Variants: zstd levels and executor fallback decoders',
      text: 'Measured to choose defaults. The pure-JS decoders are what a worker uses where a native or WebAssembly decoder is unavailable.',
      tables: [{
        title: 'Variants',
        columns: ['payload', 'variant', 'encode MB/s', 'decode MB/s', 'bytes'],
        rows: variantFigures.map((f) => [f.payload, f.serializer, fmtMBps(f.encodeMBps), fmtMBps(f.decodeMBps), fmt(f.encodedBytes)]),
      }],
      charts: [],
    });
  }

  const sizesMB = ctx.scale < 1 ? [1] : quick ? [1, 50] : [1, 50, 500];
  const framingSerializers: Serializer[] = [resolveSerializer('fast'), resolveSerializer('compressed'), createZstdSerializer()];
  const framing: FramingFigure[] = [];
  for (const mb of sizesMB) {
    log(`serializers: framing at ${mb} MB of context`);
    for (const s of framingSerializers) framing.push(measureFraming(s, mb, quick, log));
  }
  sections.push(framingSection(framing));

  return {
    suite: 'serializers',
    title: 'Serializer benchmarks',
    intro:
      'Each serializer encodes and decodes payloads shaped like real job contexts. Before any speed is reported, every ' +
      'round trip is checked (a fast wrong answer fails the suite). Figures are medians of several runs measured in one ' +
      'process; compare ratios, not absolute numbers, across machines.',
    sections,
    raw: { payloads: payloads.map((p) => ({ name: p.name, naturalBytes: p.naturalBytes, description: p.description })), figures, variants: variantFigures, framing },
  };
}

export const suite: BenchmarkSuite = { name: 'serializers', title: 'Serializer benchmarks', run };
