/**
 * Payloads for the serializer benchmarks, shaped like real job contexts and built from
 * real public data (vega-datasets) or from this repository's own examples:
 *
 * - `numeric-model`: a model as a data scientist ships one — 1,000,000 Float64 weights
 *   (deterministic Gaussian noise: trained weights are high-entropy, so they hardly
 *   compress), per-feature means/stds, layer metadata, a training Date and a label Map.
 * - `text-lookup`: a WordPiece-style tokenizer vocabulary (~250,000 short strings: every
 *   word and sub-word up to 8 characters, `##`-prefixed when not word-initial) from movie
 *   titles, directors, distributors and US city/county names, as `vocab: string[]` plus the
 *   inverse `ids: {token: id}` — hundreds of thousands of short strings.
 * - `nested-records`: `movies.json`, `penguins.json` and `flights-20k.json` as published
 *   (arrays of records with nulls, strings and numbers).
 * - `bundles`: the esbuild bundles of `examples/*.ts` (code + source map text), what
 *   every payload carries besides its context.
 *
 * "MB" in every MB/s figure is the payload's *natural size* (`naturalBytes`): its data in
 * flat binary form, independent of any serializer — typed arrays count their byteLength,
 * strings their UTF-8 bytes, numbers/Dates/bigints 8 bytes, booleans and null 1 byte,
 * object keys their UTF-8 bytes at every occurrence (as a row-oriented format stores
 * them), containers nothing beyond their contents. 1 MB = 10^6 bytes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleJob } from '@tsapply/bundler';

export interface Payload {
  name: string;
  description: string;
  value: unknown;
  /** `naturalBytes(value)`, computed once. */
  naturalBytes: number;
}

const require = createRequire(import.meta.url);
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function dataset(name: string): string {
  // The package exports only its JS entry (build/index.js); the data sit in ../data.
  return join(dirname(require.resolve('vega-datasets')), '..', 'data', name);
}

/** Natural size in bytes (see the module doc). */
export function naturalBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 8;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value !== 'object') return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof Date) return 8;
  let total = 0;
  if (Array.isArray(value) || value instanceof Set) {
    for (const v of value) total += naturalBytes(v);
    return total;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) total += naturalBytes(k) + naturalBytes(v);
    return total;
  }
  for (const [k, v] of Object.entries(value)) total += Buffer.byteLength(k, 'utf8') + naturalBytes(v);
  return total;
}

/** Deterministic PRNG (mulberry32), so every run measures the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` standard-normal doubles scaled by `scale` (Box–Muller over the seeded PRNG). */
export function gaussian(n: number, seed: number, scale = 1): Float64Array {
  const rnd = prng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rnd();
    const v = rnd();
    const r = Math.sqrt(-2 * Math.log(u)) * scale;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function numericModel(weights: number): unknown {
  const features = 1000;
  return {
    kind: 'linear-regression',
    version: 3,
    trainedAt: new Date(Date.UTC(2024, 4, 17, 9, 30)),
    labels: new Map([['negative', 0], ['neutral', 1], ['positive', 2]]),
    weights: gaussian(weights, 1, 0.05),
    bias: gaussian(3, 2),
    featureMeans: gaussian(features, 3, 10),
    featureStds: gaussian(features, 4, 2).map(Math.abs),
    layers: [
      { name: 'embedding', shape: [weights / 1000, 1000], activation: null },
      { name: 'output', shape: [1000, 3], activation: 'softmax' },
    ],
  };
}

function words(text: unknown, into: Set<string>): void {
  for (const w of String(text ?? '').toLowerCase().split(/[^a-z0-9']+/)) if (w) into.add(w);
}

export function textLookup(maxTokens: number): unknown {
  const ws = new Set<string>();
  const movies = JSON.parse(readFileSync(dataset('movies.json'), 'utf8')) as Record<string, unknown>[];
  for (const m of movies) {
    words(m['Title'], ws);
    words(m['Director'], ws);
    words(m['Distributor'], ws);
  }
  for (const line of readFileSync(dataset('zipcodes.csv'), 'utf8').split('\n').slice(1)) {
    const cells = line.split(',');
    words(cells[3], ws);
    words(cells[5], ws);
  }
  const vocab = new Set<string>();
  for (const w of [...ws].sort()) {
    for (let n = 1; n <= 8; n++) {
      for (let i = 0; i + n <= w.length; i++) vocab.add(i === 0 ? w.slice(0, n) : `##${w.slice(i, i + n)}`);
    }
  }
  const tokens = [...vocab].slice(0, maxTokens);
  const ids: Record<string, number> = {};
  tokens.forEach((t, i) => (ids[t] = i));
  return { tokenizer: 'wordpiece', lowercase: true, vocab: tokens, ids };
}

export function nestedRecords(scale: number): unknown {
  const load = (name: string): unknown[] => JSON.parse(readFileSync(dataset(name), 'utf8')) as unknown[];
  const cut = (rows: unknown[]): unknown[] => rows.slice(0, Math.max(1, Math.round(rows.length * scale)));
  return { movies: cut(load('movies.json')), penguins: cut(load('penguins.json')), flights: cut(load('flights-20k.json')) };
}

/**
 * Bundles of `examples/*.ts`. An example that does not bundle (e.g. one being written
 * while the benchmarks run) is skipped and named in `skipped`; it says nothing about
 * serializers. No example bundling at all is an error.
 */
export async function exampleBundles(): Promise<{ value: unknown; skipped: string[] }> {
  const dir = join(REPO_ROOT, 'examples');
  const out: { entry: string; code: string; sourceMap: string }[] = [];
  const skipped: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    try {
      const b = await bundleJob(join(dir, f), { cwd: REPO_ROOT });
      out.push({ entry: `examples/${f}`, code: b.code, sourceMap: b.sourceMap });
    } catch (e) {
      skipped.push(`examples/${f} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (out.length === 0) throw new Error(`No example in ${dir} could be bundled: ${skipped.join('; ') || 'there are no examples/*.ts'}.`);
  return { value: out, skipped };
}

/** All payloads; `quick` shrinks each one about 10× (the smoke test shrinks further with `scale`). */
export async function buildPayloads(opts: { quick: boolean; scale?: number }): Promise<Payload[]> {
  const s = (opts.scale ?? 1) * (opts.quick ? 0.1 : 1);
  const make = (name: string, description: string, value: unknown): Payload => ({ name, description, value, naturalBytes: naturalBytes(value) });
  const bundles = await exampleBundles();
  const bundleNote = bundles.skipped.length ? `; skipped (did not bundle): ${bundles.skipped.join('; ')}` : '';
  return [
    make('numeric-model', `${Math.round(1_000_000 * s).toLocaleString('en-US')} Float64 weights + metadata, Date, Map`,
      numericModel(Math.max(1000, Math.round(1_000_000 * s / 1000) * 1000))),
    make('text-lookup', 'WordPiece-style vocabulary from vega-datasets movie titles and US place names (vocab[] + ids{})',
      textLookup(Math.max(500, Math.round(250_000 * s)))),
    make('nested-records', 'vega-datasets movies.json + penguins.json + flights-20k.json records', nestedRecords(Math.min(1, s))),
    make('bundles', `esbuild bundles + source maps of ${(bundles.value as unknown[]).length} examples/*.ts${bundleNote}`, bundles.value),
  ];
}
