/**
 * Every generated function against Spark SQL text on the real server: the wrapper is
 * called on a small fixed input — the SQL example from Spark's own registry (kept in
 * functions-spec.json), or an input listed below — and its result must equal the same
 * call written as SQL. A wrong function name or a wrong argument order fails here.
 * Random and clock functions are compared in the same plan as their SQL text (a seeded
 * rand(0) beside SQL's rand(0), current_timestamp() beside SQL's): equal values, not just
 * "it ran". Sketch functions, whose binary state has no example of its own, are round-tripped
 * through the functions that read it (hll_sketch_estimate(hll_sketch_agg(x))), built with the
 * wrappers on one side and written as SQL on the other. Functions that cannot be called on a
 * plain row (partition transforms, streaming windows) are listed with the reason and still
 * built once; the few whose value cannot be compared at all are listed as executed only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SparkSession, Window, expr, functions as F, type Column, type DataFrame } from '@tsapply/spark-connect';
import { DEFAULT_SPARK_VERSION } from '@tsapply/spark-local';
import { connect } from './helpers.js';

interface Param {
  name: string;
  kind: 'col' | 'colOrLit' | 'litOrCol' | 'string' | 'number' | 'boolean';
  optional: boolean;
  default: unknown;
  variadic: boolean;
}
interface Fn {
  name: string;
  sparkName: string;
  distinct: boolean;
  params: Param[];
  callOrder: string[];
  family: string;
  examples: string[];
}

const ROOT = join(process.cwd());
const SPEC = JSON.parse(readFileSync(join(ROOT, 'packages/spark-connect/scripts/functions-spec.json'), 'utf8')) as { functions: Fn[] };
const tsName = (n: string) => (n.includes('_') ? n.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()) : n);

/** Inputs for functions Spark's registry gives no usable example for: SQL argument texts in call order. */
const INPUTS: Record<string, { args: string[]; from?: string }> = {
  unhex: { args: ["'537061726B'"] },
  collate: { args: ["'abc'", "'UNICODE_CI'"] },
  product: { args: ['id'], from: 'FROM range(1, 6)' },
  hmac: { args: ["'key'", "'message'"] },
  aes_encrypt: { args: ["'Spark'", "'0000111122223333'", "'ECB'"] },
  // SQL takes the unit as a bare word; PySpark (and tsapply) as a string.
  timestamp_add: { args: ['DAY', '3', "TIMESTAMP'2024-02-28 10:00:00'"] },
  timestamp_diff: { args: ['HOUR', "TIMESTAMP'2024-02-28 10:00:00'", "TIMESTAMP'2024-03-01 12:00:00'"] },
  // Spark's first examples need spark.sql.parser.escapedStringLiterals.
  regexp: { args: ["'abc'", "'^a.c$'"] },
  regexp_like: { args: ["'abc'", "'^a.c$'"] },
  rlike: { args: ["'abc'", "'^a.c$'"] },
  overlay: { args: ["'Spark SQL'", "'_'", '6'] },
  randstr: { args: ['5', '0'] },
  uniform: { args: ['10', '20', '0'] },
  // Its first example, unix_timestamp(), reads the clock: the two calls may straddle a second.
  unix_timestamp: { args: ["'2016-04-08'", "'yyyy-MM-dd'"] },
  // Seeded, so the wrapper and the SQL text draw the same values (their examples are unseeded).
  rand: { args: ['0'] }, random: { args: ['0'] }, randn: { args: ['0'] },
  uuid: { args: ['0'] }, shuffle: { args: ['array(1, 20, 3, 5)', '0'] },
  // randomUUID draws a new value per call; fromString is a function of its argument.
  reflect: { args: ["'java.util.UUID'", "'fromString'", "'a5cf6c42-0c85-418f-af6c-3e4e5b1328f2'"] },
  java_method: { args: ["'java.util.UUID'", "'fromString'", "'a5cf6c42-0c85-418f-af6c-3e4e5b1328f2'"] },
  try_reflect: { args: ["'java.util.UUID'", "'fromString'", "'a5cf6c42-0c85-418f-af6c-3e4e5b1328f2'"] },
  // A count-min sketch is deterministic for a given seed: its bytes are compared.
  count_min_sketch: { args: ['id', '0.5D', '0.5D', '1'], from: 'FROM range(5)' },
};

/** Checked against a known value: Spark Connect resolves them, SQL text does not. */
const EXPECTED: Record<string, { args: string[]; from: string; value: unknown }> = {
  product: { args: ['id'], from: 'FROM range(1, 6)', value: 120 },
  // SQL spells it extract(YEAR FROM ts); PySpark calls it with two arguments.
  extract: { args: ["'YEAR'", "TIMESTAMP'2019-08-12 01:00:00.123456'"], from: 'FROM range(1)', value: 2019 },
};

/** Window functions run over `ORDER BY id` on 5 rows; their arguments, in call order. */
const WINDOW_ARGS: Record<string, string[]> = {
  row_number: [], rank: [], dense_rank: [], percent_rank: [], cume_dist: [],
  ntile: ['2'], lag: ['id', '1'], lead: ['id', '2'], nth_value: ['id', '2'], counter_diff: ['id'],
};

/** Both sides must fail, with the same message. */
const THROWS = new Set(['raise_error']);
/** Table-generating functions with several output columns: compared without an alias. */
const MULTI_COLUMN = new Set(['inline', 'inline_outer', 'posexplode', 'posexplode_outer', 'json_tuple', 'stack']);

/**
 * Sketch functions build and read binary sketches; Spark's examples nest several of them, and
 * the ones that only build or combine sketches have no example. Each of those is round-tripped
 * here: a call tree of function names and input columns, built with the wrappers on one side and
 * written as SQL on the other, over a FROM that makes the input sketches in SQL.
 */
/** A function call: its name, then calls, input column names, or `{ lit }` SQL literals (parsed as SQL on both sides). */
type Call = [string, ...(Call | string | { lit: string })[]];
const ONE = 'FROM VALUES (1), (1), (2), (2), (3) tab(col)';
const TWO = 'FROM VALUES (1, 2), (2, 3), (3, 4), (3, 5) tab(col, col2)';
const KV = (t: string) => `FROM VALUES (1, CAST(1 AS ${t})), (1, CAST(2 AS ${t})), (2, CAST(3 AS ${t})), (3, CAST(4 AS ${t})) tab(key, summary)`;
const sketchOf = (agg: string, from: string, group = '') => `FROM (SELECT ${agg} AS s ${from}${group})`;
const pairOf = (a: string, b: string, from: string) => `FROM (SELECT ${a} AS a, ${b} AS b ${from})`;
const SKETCH_ROUND_TRIPS: Record<string, { call: Call; from: string }> = {
  bitmap_construct_agg: { call: ['bitmap_count', ['bitmap_construct_agg', ['bitmap_bit_position', 'col']]], from: ONE },
  bitmap_or_agg: { call: ['bitmap_count', ['bitmap_or_agg', 'b']], from: "FROM VALUES (X '10'), (X '20'), (X '30') tab(b)" },
  bitmap_and_agg: { call: ['bitmap_count', ['bitmap_and_agg', 'b']], from: "FROM VALUES (X '70'), (X '30'), (X 'F0') tab(b)" },
  hll_sketch_agg: { call: ['hll_sketch_estimate', ['hll_sketch_agg', 'col']], from: ONE },
  hll_union: { call: ['hll_sketch_estimate', ['hll_union', 'a', 'b']], from: pairOf('hll_sketch_agg(col)', 'hll_sketch_agg(col2)', TWO) },
  hll_union_agg: { call: ['hll_sketch_estimate', ['hll_union_agg', 's']], from: sketchOf('hll_sketch_agg(col)', ONE, ' GROUP BY col % 2') },
  theta_sketch_agg: { call: ['theta_sketch_estimate', ['theta_sketch_agg', 'col']], from: ONE },
  theta_union: { call: ['theta_sketch_estimate', ['theta_union', 'a', 'b']], from: pairOf('theta_sketch_agg(col)', 'theta_sketch_agg(col2)', TWO) },
  theta_intersection: { call: ['theta_sketch_estimate', ['theta_intersection', 'a', 'b']], from: pairOf('theta_sketch_agg(col)', 'theta_sketch_agg(col2)', TWO) },
  theta_difference: { call: ['theta_sketch_estimate', ['theta_difference', 'a', 'b']], from: pairOf('theta_sketch_agg(col)', 'theta_sketch_agg(col2)', TWO) },
  theta_union_agg: { call: ['theta_sketch_estimate', ['theta_union_agg', 's']], from: sketchOf('theta_sketch_agg(col)', ONE, ' GROUP BY col % 2') },
  theta_intersection_agg: { call: ['theta_sketch_estimate', ['theta_intersection_agg', 's']], from: sketchOf('theta_sketch_agg(col)', TWO, ' GROUP BY col2 % 2') },
};
for (const [t, sql] of [['bigint', 'BIGINT'], ['double', 'DOUBLE'], ['float', 'FLOAT']] as const) {
  const from = `FROM VALUES (CAST(1 AS ${sql})), (CAST(2 AS ${sql})), (CAST(3 AS ${sql})), (CAST(4 AS ${sql})) tab(col)`;
  SKETCH_ROUND_TRIPS[`kll_sketch_agg_${t}`] = { call: [`kll_sketch_get_n_${t}`, [`kll_sketch_agg_${t}`, 'col']], from };
  SKETCH_ROUND_TRIPS[`kll_sketch_to_string_${t}`] = { call: [`kll_sketch_to_string_${t}`, [`kll_sketch_agg_${t}`, 'col']], from };
  SKETCH_ROUND_TRIPS[`kll_sketch_merge_${t}`] = { call: [`kll_sketch_get_n_${t}`, [`kll_sketch_merge_${t}`, 'a', 'b']], from: pairOf(`kll_sketch_agg_${t}(col)`, `kll_sketch_agg_${t}(col)`, from) };
  // Their examples compare the result (`… > 1`), which no wrapper call reproduces.
  SKETCH_ROUND_TRIPS[`kll_sketch_get_quantile_${t}`] = { call: [`kll_sketch_get_quantile_${t}`, [`kll_sketch_agg_${t}`, 'col'], { lit: '0.5D' }], from };
  SKETCH_ROUND_TRIPS[`kll_sketch_get_rank_${t}`] = { call: [`kll_sketch_get_rank_${t}`, [`kll_sketch_agg_${t}`, 'col'], { lit: `CAST(3 AS ${sql})` }], from };
  SKETCH_ROUND_TRIPS[`kll_merge_agg_${t}`] = { call: [`kll_sketch_get_n_${t}`, [`kll_merge_agg_${t}`, 's']], from: sketchOf(`kll_sketch_agg_${t}(col)`, from, ' GROUP BY col > 2') };
}
for (const [t, sql] of [['double', 'DOUBLE'], ['integer', 'INT']] as const) {
  const tuple = `tuple_sketch_agg_${t}(key, summary)`;
  const shifted = `tuple_sketch_agg_${t}(key + 1, summary)`;
  const est = `tuple_sketch_estimate_${t}`;
  SKETCH_ROUND_TRIPS[`tuple_sketch_agg_${t}`] = { call: [est, [`tuple_sketch_agg_${t}`, 'key', 'summary']], from: KV(sql) };
  for (const op of ['union', 'intersection', 'difference']) {
    SKETCH_ROUND_TRIPS[`tuple_${op}_${t}`] = { call: [est, [`tuple_${op}_${t}`, 'a', 'b']], from: pairOf(tuple, shifted, KV(sql)) };
    SKETCH_ROUND_TRIPS[`tuple_${op}_theta_${t}`] = { call: [est, [`tuple_${op}_theta_${t}`, 'a', 'b']], from: pairOf(tuple, 'theta_sketch_agg(key + 1)', KV(sql)) };
  }
  SKETCH_ROUND_TRIPS[`tuple_union_agg_${t}`] = { call: [est, [`tuple_union_agg_${t}`, 's']], from: sketchOf(tuple, KV(sql), ' GROUP BY key % 2') };
  SKETCH_ROUND_TRIPS[`tuple_intersection_agg_${t}`] = { call: [est, [`tuple_intersection_agg_${t}`, 's']], from: sketchOf(tuple, KV(sql), ' GROUP BY summary > 2') };
}

/**
 * Random draws and the clock: compared with the same SQL text in the same plan (one
 * projection over one partition), where a seeded draw or the query's clock is the same
 * value on both sides. Compared in two queries they would differ by design.
 */
const SAME_PLAN = new Set(['rand', 'random', 'randn', 'randstr', 'uniform', 'uuid', 'shuffle', 'curdate', 'current_date', 'current_time', 'current_timestamp', 'now', 'localtimestamp']);
/** Whose value cannot be compared with anything (a fresh random draw per call): executed, and the value's shape checked. */
const EXECUTED_ONLY: Record<string, { ts: () => Column; check: (v: unknown) => boolean; why: string }> = {
  // Each uuid() in a plan draws its own seed, so no second call gives the same value; uuid(seed) is compared above.
  uuid: { ts: () => F.uuid(), check: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(v), why: 'unseeded uuid() draws a fresh seed per call' },
};

/** Built once (so their wrapper is exercised) but not evaluated on a row, and why. */
const NOT_EVALUATED: Record<string, string> = {
  bucket: 'a partition transform, valid only in writeTo().partitionedBy()',
  years: 'a partition transform', months: 'a partition transform', days: 'a partition transform', hours: 'a partition transform',
  session_window: 'a streaming/event-time window over a grouped timestamp',
  window: 'an event-time window, used in groupBy (tested through its SQL only by grouping)',
  window_time: 'needs a window column from groupBy(window(...))',
  grouping: 'only valid with rollup/cube/grouping sets', grouping_id: 'only valid with rollup/cube/grouping sets',
  unwrap_udt: 'needs a user-defined type column',
  st_asbinary: 'needs a geometry value', st_geogfromwkb: 'needs WKB geometry bytes',
  st_geomfromwkb: 'needs WKB geometry bytes', st_setsrid: 'needs a geometry value',
  bitwiseNOT: 'Spark\'s `~` operator, no function syntax to compare with', bitwise_not: 'Spark\'s `~` operator, no function syntax to compare with',
};

/** Splits `a, f(b, c), 'd,e'` at its top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** `SELECT fn(args) [FROM …]` → the arguments and the FROM clause, or null for other shapes. */
function parseExample(sql: string, sparkName: string): { args: string[]; from: string } | null {
  const head = new RegExp(`^SELECT\\s+${sparkName.replace(/[^\w]/g, '\\$&')}\\s*\\(`, 'i').exec(sql);
  if (!head) return null;
  let depth = 1;
  let quote: string | null = null;
  let i = head[0].length;
  for (; i < sql.length && depth > 0; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  if (depth !== 0) return null;
  const inner = sql.slice(head[0].length, i - 1);
  const rest = sql.slice(i).trim();
  if (rest !== '' && !/^FROM\s/i.test(rest)) return null;
  // Keyword syntax (`x IN y`, `a FROM b`, named arguments) has no positional form.
  const args = splitArgs(inner);
  if (/^\s*(DISTINCT|ALL)\b/i.test(inner) || args.some((a) => /^[^(]*\s(IN|FROM|PLACING|FOR)\s|=>/i.test(a))) return null;
  return { args, from: rest };
}

/** A SQL literal as the JS value a literal parameter takes, or undefined if it is not one. */
function jsLiteral(text: string, kind: Param['kind']): unknown {
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (kind === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (kind === 'string') {
    if (/^[A-Z_]+$/.test(text)) return text; // a bare keyword such as a datetime unit
    const m = /^'((?:[^'\\]|\\.)*)'$/.exec(text) ?? /^"((?:[^"\\]|\\.)*)"$/.exec(text);
    if (m) return m[1]!.replace(/\\(.)/g, '$1');
  }
  return undefined;
}

function sqlLiteral(v: unknown): string {
  return typeof v === 'string' ? `'${v.replace(/'/g, "\\'")}'` : String(v);
}

interface Case {
  fn: Fn;
  ts: Column;
  sql: string;
  from: string;
  over: boolean;
}

/** Binds SQL argument texts (in call order) to the wrapper's parameters; null if they do not fit. */
function bind(fn: Fn, sqlArgs: string[]): { tsArgs: unknown[]; sqlCall: string } | null {
  const byName = new Map(fn.params.map((p) => [p.name, p]));
  const order = fn.callOrder.map((n) => byName.get(n)!);
  const variadicAt = order.findIndex((p) => p.variadic);
  const given = new Map<string, string[]>();
  if (variadicAt >= 0) {
    const after = order.length - variadicAt - 1;
    if (sqlArgs.length < order.length - 1) return null;
    order.forEach((p, i) => {
      if (i < variadicAt) given.set(p.name, [sqlArgs[i]!]);
      else if (i > variadicAt) given.set(p.name, [sqlArgs[sqlArgs.length - (order.length - i)]!]);
    });
    given.set(order[variadicAt]!.name, sqlArgs.slice(variadicAt, sqlArgs.length - after));
  } else {
    if (sqlArgs.length > order.length) return null;
    // Fewer arguments than parameters: the optional ones (in call order) take what is left
    // after the required ones, as `ltrim(str)` vs `ltrim(trim, str)`.
    let spare = sqlArgs.length - order.filter((p) => !p.optional).length;
    if (spare < 0) return null;
    const used = order.filter((p) => !p.optional || spare-- > 0);
    used.forEach((p, i) => given.set(p.name, [sqlArgs[i]!]));
  }
  const sqlParts: string[] = [];
  for (const p of order) {
    const texts = given.get(p.name);
    if (texts) sqlParts.push(...texts);
    else if (p.default !== null && p.default !== undefined) sqlParts.push(sqlLiteral(p.default));
    else if (!p.optional) return null;
  }
  const tsArgs: unknown[] = [];
  for (const p of fn.params) {
    const texts = given.get(p.name);
    if (!texts) {
      tsArgs.push(undefined);
      continue;
    }
    const values = texts.map((t) => (p.kind === 'col' || p.kind === 'colOrLit' || p.kind === 'litOrCol' ? expr(t) : jsLiteral(t, p.kind)));
    if (values.some((v) => v === undefined)) return null;
    if (p.variadic) tsArgs.push(...values);
    else tsArgs.push(values[0]);
  }
  while (tsArgs.length > 0 && tsArgs.at(-1) === undefined) tsArgs.pop();
  return { tsArgs, sqlCall: `${fn.sparkName}(${fn.distinct ? 'DISTINCT ' : ''}${sqlParts.join(', ')})` };
}

const call = (fn: Fn, args: unknown[]): Column => (F as unknown as Record<string, (...a: unknown[]) => Column>)[tsName(fn.name)]!(...args);

function caseFor(fn: Fn): Case | string {
  if (WINDOW_ARGS[fn.name]) {
    const b = bind(fn, WINDOW_ARGS[fn.name]!);
    if (!b) return 'window arguments do not bind';
    return { fn, ts: call(fn, b.tsArgs).over(Window.orderBy('id')), sql: `${b.sqlCall} OVER (ORDER BY id)`, from: 'FROM range(5)', over: true };
  }
  const candidates = [...(INPUTS[fn.name] ? [{ args: INPUTS[fn.name]!.args, from: INPUTS[fn.name]!.from ?? '' }] : []), ...fn.examples.map((e) => parseExample(e, fn.sparkName)).filter((x) => x !== null)];
  for (const c of candidates) {
    const b = bind(fn, c.args);
    if (b) return { fn, ts: call(fn, b.tsArgs), sql: b.sqlCall, from: c.from, over: false };
  }
  return fn.examples.length === 0 ? 'no example in Spark\'s registry and no input listed' : 'no example fits the wrapper\'s parameters';
}

let spark: SparkSession;
before(async () => {
  spark = await connect();
});
after(async () => {
  await spark.stop();
});

const canonical = (rows: Record<string, unknown>[]) => JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v instanceof Uint8Array ? [...v] : v));

describe('generated functions against Spark SQL text', () => {
  const seen = new Set<string>();
  const fns = SPEC.functions.filter((f) => {
    const n = tsName(f.name);
    if (seen.has(n) || n === 'count') return false;
    seen.add(n);
    return true;
  });

  it('every generated function has a wrapper under its camelCase name', () => {
    for (const fn of fns) assert.equal(typeof (F as Record<string, unknown>)[tsName(fn.name)], 'function', tsName(fn.name));
  });

  it('each one, on a fixed input, equals the same call written as SQL', { timeout: 600_000 }, async () => {
    const cases: Case[] = [];
    const untested: string[] = [];
    const failures: string[] = [];
    let expectedOk = 0;
    let executedOnly = 0;
    let roundTrips = 0;
    const byName = new Map(SPEC.functions.map((f) => [f.name, f]));
    /** A call tree as a wrapper call (arguments placed in the wrapper's order) and as SQL text. */
    const build = (node: Call | string | { lit: string }): { ts: Column; sql: string } => {
      if (typeof node === 'string') return { ts: F.col(node), sql: node };
      if (!Array.isArray(node)) return { ts: expr(node.lit), sql: node.lit };
      const [name, ...args] = node;
      const fn = byName.get(name);
      if (!fn) throw new Error(`round trip names ${name}, which is not in functions-spec.json`);
      const built = args.map(build);
      const tsArgs: unknown[] = fn.params.map(() => undefined);
      built.forEach((b, i) => (tsArgs[fn.params.findIndex((p) => p.name === fn.callOrder[i])] = b.ts));
      while (tsArgs.length > 0 && tsArgs.at(-1) === undefined) tsArgs.pop();
      return { ts: call(fn, tsArgs), sql: `${name}(${built.map((b) => b.sql).join(', ')})` };
    };
    // TIME and nanosecond timestamps are off by default in Spark 4; their functions exist.
    await spark.conf.set('spark.sql.timeType.enabled', true);
    await spark.conf.set('spark.sql.timestampNanosTypes.enabled', true);
    // The spec is the pinned Spark's registry; an older server (the per-version suite) lacks
    // the newer functions, and a call of one fails the same way as the wrapper or as SQL.
    // (Only there: a few functions resolve without being listed, such as product.)
    const older = (await spark.version) !== DEFAULT_SPARK_VERSION;
    const onServer = older ? new Set((await (await spark.sql('SHOW FUNCTIONS')).collect()).map((r) => String(r.function))) : undefined;
    const absent: string[] = [];
    for (const fn of fns) {
      if (NOT_EVALUATED[fn.name]) continue;
      if (onServer && !EXPECTED[fn.name] && !onServer.has(fn.sparkName)) {
        absent.push(fn.name);
        continue;
      }
      if (SKETCH_ROUND_TRIPS[fn.name]) {
        const r = SKETCH_ROUND_TRIPS[fn.name]!;
        const b = build(r.call);
        cases.push({ fn, ts: b.ts, sql: b.sql, from: r.from, over: false });
        roundTrips++;
        continue;
      }
      if (EXPECTED[fn.name]) {
        const e = EXPECTED[fn.name]!;
        const [row] = await (await spark.sql(`SELECT * ${e.from}`)).select(call(fn, bind(fn, e.args)!.tsArgs).alias('v')).collect();
        if (row!.v !== e.value) untested.push(`${fn.name}: ${String(row!.v)}, expected ${String(e.value)}`);
        else expectedOk++;
        continue;
      }
      const c = caseFor(fn);
      if (typeof c === 'string') untested.push(`${fn.name}: ${c}`);
      else cases.push(c);
    }
    for (const [name, e] of Object.entries(EXECUTED_ONLY)) {
      const rows = await spark.range(3).select(e.ts().alias('v')).collect();
      if (!rows.every((r) => e.check(r.v))) failures.push(`${name} (executed only): ${canonical(rows)}`);
      else executedOnly++;
    }
    let compared = 0;
    let samePlan = 0;
    // A few queries at a time: the server answers each in a few milliseconds.
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          let input: DataFrame;
          try {
            input = c.from ? await spark.sql(`SELECT * ${c.from}`) : spark.range(1);
          } catch (e) {
            failures.push(`${c.fn.name} (its input ${c.from}): ${(e as Error).message.split('\n')[0]}`);
            continue;
          }
          const multi = MULTI_COLUMN.has(c.fn.name);
          if (THROWS.has(c.fn.name)) {
            const message = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message.split('\n')[0]);
            const ours = await message(input.select(c.ts.alias('v')).collect());
            const theirs = await message(spark.sql(`SELECT ${c.sql} AS v FROM range(1)`).then((d) => d.collect()));
            if (ours === 'no error' || ours !== theirs) failures.push(`${c.fn.name}: ${ours} ≠ SQL ${theirs}`);
            else compared++;
            continue;
          }
          try {
            if (SAME_PLAN.has(c.fn.name)) {
              // One projection over one partition: the seeded draw or the query's clock is shared.
              const rows = await input.repartition(1).select(c.ts.alias('v'), expr(c.sql).alias('w')).collect();
              const bad = rows.filter((r) => canonical([{ v: r.v }]) !== canonical([{ v: r.w }]));
              if (rows.length === 0 || bad.length > 0) failures.push(`${c.fn.name}: in one plan ${canonical(rows)}`);
              else (compared++, samePlan++);
              continue;
            }
            const ours = await input.select(multi ? c.ts : c.ts.alias('v')).collect();
            const theirs = await (await spark.sql(`SELECT ${c.sql}${multi ? '' : ' AS v'} ${c.from || 'FROM range(1)'}`)).collect();
            if (canonical(ours) !== canonical(theirs)) failures.push(`${c.fn.name}: ${canonical(ours)} ≠ SQL ${c.sql} → ${canonical(theirs)}`);
            else compared++;
          } catch (e) {
            failures.push(`${c.fn.name} (${c.sql} ${c.from}): ${(e as Error).message.split('\n')[0]}`);
          }
        }
      }),
    );
    assert.deepEqual(failures, [], `${failures.length} of ${cases.length} differ from SQL`);
    assert.deepEqual(untested, [], 'every generated function gets an input: add it to INPUTS, SKETCH_ROUND_TRIPS or NOT_EVALUATED with the reason');
    const notEvaluated = Object.keys(NOT_EVALUATED).filter((n) => fns.some((f) => f.name === n)).length;
    // uuid counts once: compared seeded; its unseeded form is the executed-only check.
    const executedOnlyAlone = Object.keys(EXECUTED_ONLY).filter((n) => !cases.some((c) => c.fn.name === n)).length;
    assert.equal(compared + expectedOk + executedOnlyAlone + notEvaluated + absent.length, fns.length);
    console.log(
      `generated functions: ${fns.length}; equal to SQL text: ${compared} (${samePlan} random or clock functions in the same plan as their SQL, ` +
        `${roundTrips} sketch functions round-tripped); checked against a known value: ${expectedOk}; ` +
        `executed only: ${executedOnlyAlone}; built but not evaluated: ${notEvaluated}; ` +
        `also executed, value not comparable: ${executedOnly} (${Object.entries(EXECUTED_ONLY).map(([n, e]) => `${n}: ${e.why}`).join('; ')}); ` +
        `not in this server's Spark (newer than it): ${absent.length}`,
    );
  });

  it('the ones not evaluated on a row still build, and Spark accepts them where they belong', async () => {
    assert.equal(String(F.bucket(4, 'id')), 'Column<bucket(4, id)>');
    const df = await spark.sql("SELECT TIMESTAMP'2024-01-01 00:00:07' AS t, 1 AS x UNION ALL SELECT TIMESTAMP'2024-01-01 00:00:13', 2");
    const rows = await df.groupBy(F.window('t', '10 seconds').alias('w')).agg(F.sum('x').alias('s')).orderBy('w').collect();
    assert.deepEqual(rows.map((r) => r.s), [1n, 2n]);
    assert.equal(String(F.grouping('k')), 'Column<grouping(k)>');
  });

  it('the spec and the generated files agree (the generator was run after the last extraction)', () => {
    execFileSync(process.execPath, [join(ROOT, 'packages/spark-connect/scripts/generate-functions.mjs'), '--check'], { stdio: 'pipe' });
  });
});
