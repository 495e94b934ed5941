/**
 * The TypeScript side of the UDF suite: each workload as a data scientist would write it
 * for `df.mapInArrow`, once with the rows API (`for (const row of batch)`, returning row
 * objects) and once with the columns API (`batch.values(name)`, returning
 * `{ column: values }`), plus, for edit distance, the npm package users reach for
 * (`fastest-levenshtein`). The logic mirrors `udf_variants.py` line for line in meaning.
 */
import { distance } from 'fastest-levenshtein';
import type { ApplyContext, Batch } from 'tsapply';

/** The fuzzy workload's 20 reference titles travel as the job's context (shipped once). */
type Fuzzy = ApplyContext<{ references: string[] }>;

// ---------------------------------------------------------------------------------------
// fuzzy: edit distance to the nearest reference title

/** Levenshtein distance with one reused row of the DP table (what one writes by hand). */
function levenshtein(a: string, b: string, row: Int32Array): number {
  const n = b.length;
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const above = row[j]!;
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[n]!;
}

const dpRow = new Int32Array(1024);
const nearest = (name: string, references: readonly string[]) => {
  let best = Infinity;
  for (const r of references) best = Math.min(best, levenshtein(name, r, dpRow));
  return best;
};

export function fuzzyRows(batch: Batch, ctx: Fuzzy) {
  const out = [];
  for (const row of batch) out.push({ id: row.id, dist: nearest(row.name as string, ctx.context.references) });
  return out;
}

export function fuzzyColumns(batch: Batch, ctx: Fuzzy) {
  const names = batch.values('name') as string[];
  const dist = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) dist[i] = nearest(names[i]!, ctx.context.references);
  return { id: batch.values('id'), dist };
}

export function fuzzyNpm(batch: Batch, ctx: Fuzzy) {
  const out = [];
  for (const row of batch) {
    let best = Infinity;
    for (const r of ctx.context.references) best = Math.min(best, distance(row.name as string, r));
    out.push({ id: row.id, dist: best });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// logs: regex + timestamp

const LOG = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+)$/;
const MONTH: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** `dd/Mon/yyyy:HH:mm:ss +hhmm` → seconds since the epoch. */
function epochOf(t: string): number {
  const utc = Date.UTC(+t.slice(7, 11), MONTH[t.slice(3, 6)]!, +t.slice(0, 2), +t.slice(12, 14), +t.slice(15, 17), +t.slice(18, 20)) / 1000;
  const zone = t.slice(21);
  const offset = (zone[0] === '-' ? -1 : 1) * (+zone.slice(1, 3) * 3600 + +zone.slice(3, 5) * 60);
  return utc - offset;
}

export function logsRows(batch: Batch) {
  const out = [];
  for (const row of batch) {
    const m = LOG.exec(row.line as string)!;
    out.push({ id: row.id, ip: m[1], epoch: BigInt(epochOf(m[2]!)), method: m[3], path: m[4], status: +m[5]!, bytes: BigInt(m[6]!) });
  }
  return out;
}

export function logsColumns(batch: Batch) {
  const lines = batch.values('line') as string[];
  const n = lines.length;
  const ip = new Array<string>(n);
  const method = new Array<string>(n);
  const path = new Array<string>(n);
  const epoch = new BigInt64Array(n);
  const status = new Int32Array(n);
  const bytes = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const m = LOG.exec(lines[i]!)!;
    ip[i] = m[1]!;
    epoch[i] = BigInt(epochOf(m[2]!));
    method[i] = m[3]!;
    path[i] = m[4]!;
    status[i] = +m[5]!;
    bytes[i] = BigInt(m[6]!);
  }
  return { id: batch.values('id'), ip, epoch, method, path, status, bytes };
}

// ---------------------------------------------------------------------------------------
// json: parse and walk a nested order

interface Order {
  user: { tags: string[] };
  items: { qty: number; price_cents: number }[];
}

function walk(doc: string) {
  const order = JSON.parse(doc) as Order;
  let total = 0;
  for (const item of order.items) total += item.qty * item.price_cents;
  return { n: order.items.length, total, vip: order.user.tags.includes('vip') };
}

export function jsonRows(batch: Batch) {
  const out = [];
  for (const row of batch) {
    const w = walk(row.doc as string);
    out.push({ id: row.id, n_items: w.n, total_cents: BigInt(w.total), vip: w.vip });
  }
  return out;
}

export function jsonColumns(batch: Batch) {
  const docs = batch.values('doc') as string[];
  const n = docs.length;
  const nItems = new Int32Array(n);
  const total = new BigInt64Array(n);
  const vip = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const w = walk(docs[i]!);
    nItems[i] = w.n;
    total[i] = BigInt(w.total);
    vip[i] = w.vip;
  }
  return { id: batch.values('id'), n_items: nItems, total_cents: total, vip };
}

// ---------------------------------------------------------------------------------------
// simulation: the logistic map

const STEPS = 200;

function simulate(x0: number, r: number): [number, number] {
  let x = x0;
  let above = 0;
  for (let s = 0; s < STEPS; s++) {
    x = r * x * (1 - x);
    if (x > 0.5) above++;
  }
  return [x, above];
}

export function simulationRows(batch: Batch) {
  const out = [];
  for (const row of batch) {
    const [x, above] = simulate(row.x0 as number, row.r as number);
    out.push({ id: row.id, x, above });
  }
  return out;
}

/**
 * The columns API written the way the `@pandas_udf` is: each step over the whole column
 * (step-major), so the rows' chains run side by side instead of one 200-step chain at a
 * time, and `above += x > 0.5` counted without a branch (the map is chaotic: a branch on
 * it is mispredicted about half the time). About twice as fast as the rows form here.
 */
export function simulationColumns(batch: Batch) {
  const r = batch.values('r') as Float64Array;
  const x = Float64Array.from(batch.values('x0') as Float64Array);
  const above = new Int32Array(x.length);
  for (let s = 0; s < STEPS; s++) {
    for (let i = 0; i < x.length; i++) {
      const next = r[i]! * x[i]! * (1 - x[i]!);
      x[i] = next;
      above[i]! += +(next > 0.5);
    }
  }
  return { id: batch.values('id'), x, above };
}

// ---------------------------------------------------------------------------------------
// the floor: the input crosses to the worker, nothing is read from it, no rows come back

export function inputOnly(_batch: Batch) {
  return { id: new BigInt64Array(0) };
}
