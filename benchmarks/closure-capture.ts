/**
 * How long capturing a closure takes at the call (`planFunction`, what
 * mapInArrow/applyInArrow/parallelize().map do before their first await), for a
 * function with a dozen free variables: numbers, a bigint, a Map, a Set, a Date, a
 * typed array, nested data, two same-script helpers, a factory-made closure, an npm
 * import and a namespace import. The first capture in a process pays for enabling the
 * inspector's Debugger domain (it replays one event per loaded script) unless a
 * SparkSession connected first — as in a user's script, where `SparkSession.connect`
 * enables it while the server answers; later ones reuse it.
 *
 *   node --import tsx benchmarks/closure-capture.ts [runs]             (cold: no session)
 *   SPARK_REMOTE=sc://… node --import tsx benchmarks/closure-capture.ts  (connects first, as a script does)
 */
import { format } from 'date-fns';
import * as stats from 'simple-statistics';
import { SparkSession } from 'tsapply'; // loads what a real driver has loaded (gRPC, Arrow…): the Debugger replays every script
import { buildFunctionPayload, planFunction } from '../packages/tsapply/dist/spark/function-payload.js';

const k = 3;
const offset = 2n ** 40n;
const rates = new Map([['a', 1.5], ['b', 2]]);
const tags = new Set(['x', 'y']);
const epoch = new Date(Date.UTC(2024, 0, 1));
const weights = new Float64Array([0.25, 0.5, 0.25]);
const config = { threshold: 0.5, names: ['p', 'q'], nested: { depth: 2 } };
const limit = 100;
function clamp(x: number) {
  return Math.min(Math.max(x, 0), limit);
}
function bucket(id: bigint) {
  return Number(id % 3n);
}
const makeScorer = (w: Float64Array) => (x: number) => w[0]! * x + w[1]!;
const scorer = makeScorer(weights);

const fn = (batch: Iterable<{ id: bigint }>) =>
  [...batch].map((r) => ({
    id: r.id + offset,
    b: bucket(r.id),
    rate: rates.get('a')! * k,
    tag: tags.has('x'),
    day: format(epoch, 'yyyy-MM-dd'),
    w: weights[bucket(r.id)]!,
    over: scorer(Number(r.id)) > config.threshold,
    clamped: clamp(Number(r.id)),
    mean: stats.mean([1, 2, 3]),
    depth: config.nested.depth,
  }));

const runs = Number(process.argv[2] ?? 10);
const spark = process.env.SPARK_REMOTE ? await SparkSession.connect(process.env.SPARK_REMOTE) : undefined;
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const plan = planFunction(fn, undefined);
  times.push(performance.now() - started);
  if (plan.mode !== 'closure') throw new Error('expected a captured closure');
  if (i === 0) {
    const free = plan.graph.root.children.flatMap((b) => [...b.bindings.keys(), ...b.children.flatMap((c) => [...c.bindings.keys()])]);
    console.log(`captured ${plan.graph.functions.length} functions, ${plan.graph.values.length} values, ${plan.graph.imports.length} imports; bindings: ${free.join(', ')}`);
    const fp = await buildFunctionPayload(plan, { schema: null });
    console.log(`payload ${fp.payload.bytes} bytes (bundle ${fp.bundle.bytes} bytes: ${fp.bundle.packages.map((p) => `${p.name} ${p.bytes}`).join(', ')}), bundled in ${fp.bundle.buildMs} ms`);
  }
}
const sorted = times.slice(1).sort((a, b) => a - b);
await spark?.stop();
console.log(`capture (${spark ? 'after SparkSession.connect' : 'cold, no session'}): first ${times[0]!.toFixed(1)} ms; next ${sorted.length}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
