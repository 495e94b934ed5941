/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and prints where the time went: the
 * top functions by self time, and self time grouped by package (apache-arrow,
 * @bufbuild/protobuf, @grpc/grpc-js, @tsapply/*, node internals, GC, idle).
 *
 *   node --import tsx benchmarks/spark-client/profile-summary.ts CPU.….cpuprofile [--top 25]
 *
 * Self time of a frame is the sampling interval times the samples whose top frame it was.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: { name: string; where: string; ms: number }[];
  byPackage: { name: string; ms: number }[];
}

/** Which package a script URL belongs to, for grouping. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = /\/packages\/([^/]+)\/|\/(bundler|worker-runtime)\//.exec(url);
  if (ws) return `@tsapply/${ws[1] ?? ws[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/benchmarks/')) return 'benchmark script';
  return url;
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const pkg = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const short = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(packages|benchmarks)\//, '$1/');
    const where = url ? `${short}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = fn.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    fn.set(key, entry);
    const p = packageOf(url, name);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    byFunction: [...fn.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000 })),
    byPackage: [...pkg.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000 })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  for (const file of positionals) {
    const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    const pct = (ms: number): string => `${((100 * ms) / s.totalMs).toFixed(1).padStart(5)}%`;
    process.stdout.write(`\n${file}: ${s.totalMs.toFixed(0)} ms profiled\n\nby package (self time):\n`);
    for (const p of s.byPackage) process.stdout.write(`  ${pct(p.ms)} ${p.ms.toFixed(0).padStart(7)} ms  ${p.name}\n`);
    process.stdout.write('\ntop functions (self time):\n');
    for (const f of s.byFunction) process.stdout.write(`  ${pct(f.ms)} ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}\n`);
  }
}
