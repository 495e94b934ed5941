/**
 * The three workloads of the Spark suite, as data every variant shares.
 *
 * Each workload's input is built on the server by Spark SQL from `spark.range` (so no
 * variant ships data up and every variant reads the very same rows): the SQL
 * expressions here are sent verbatim to the PySpark process too. Each workload also
 * names its Spark SQL built-in (the same logic as a native expression) and the
 * aggregate that checks a variant's output: every variant's checksum must equal the
 * built-in's before any speed is reported.
 *
 * Text for the string workload is real: movie titles from vega-datasets (printable
 * ASCII only, so lower-casing means the same thing in JavaScript, Python, Arrow's
 * utf8proc and the JVM), three per row, picked by id.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type WorkloadName = 'identity' | 'numeric' | 'tokens';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['identity', 'numeric', 'tokens'];

export interface Workload {
  name: WorkloadName;
  /** Row label in the report. */
  label: string;
  /** `selectExpr` over `spark.range(rows)` that builds the input. */
  inputExprs: string[];
  /** `selectExpr` over the input: Spark's built-in for the same logic. */
  builtinExprs: string[];
  /** Output schema (Spark DDL) of every variant. */
  schema: string;
  /** Export of `fns.ts` that tsapply ships. */
  tsExport: 'identity' | 'numeric' | 'tokens';
  /** `selectExpr` over a variant's output: one row of checksums. */
  checksumExprs: string[];
  /** Checksum columns compared with a relative tolerance (doubles summed in a different order). */
  approximate: string[];
}

/** Printable-ASCII movie titles, deduplicated, in file order. */
export function movieTitles(): string[] {
  const require = createRequire(import.meta.url);
  // The package exports only its JS entry (build/index.js); the data sit beside build/.
  const path = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'movies.json');
  const movies = JSON.parse(readFileSync(path, 'utf8')) as { Title?: unknown }[];
  const titles = movies.map((m) => m.Title).filter((t): t is string => typeof t === 'string' && /^[\x20-\x7e]+$/.test(t));
  return [...new Set(titles)];
}

/** A Spark SQL string literal (backslash escapes are on by default). */
function sqlString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Which titles make up row `id`'s text: three picks by id (see `textExpr`). */
export const TITLE_PICKS: readonly { mul: number; add: number }[] = [
  { mul: 1, add: 0 },
  { mul: 7, add: 3 },
  { mul: 13, add: 5 },
];

/** `text` of row `id`: three titles joined by single spaces (the same rule as the SQL). */
export function textOf(id: number, titles: readonly string[]): string {
  return TITLE_PICKS.map((p) => titles[(id * p.mul + p.add) % titles.length]!).join(' ');
}

function textExpr(titles: readonly string[]): string {
  const arr = `array(${titles.map(sqlString).join(', ')})`;
  const picks = TITLE_PICKS.map((p) => `element_at(${arr}, CAST((id * ${p.mul} + ${p.add}) % ${titles.length} AS INT) + 1)`);
  return `concat_ws(' ', ${picks.join(', ')}) AS text`;
}

/** The x of the numeric workload for row id: 0 ≤ x < 100, a 100,000-value cycle. */
export function numericX(id: number): number {
  return (id % 100_000) / 1000;
}

export function workloads(titles: readonly string[] = movieTitles()): Record<WorkloadName, Workload> {
  return {
    identity: {
      name: 'identity',
      label: '(a) identity',
      inputExprs: ['id', 'id * 0.5D AS x', "concat('row-', CAST(id AS STRING)) AS s"],
      builtinExprs: ['id', 'x', 's'],
      schema: 'id bigint, x double, s string',
      tsExport: 'identity',
      checksumExprs: ['count(1) AS n', 'sum(id) AS sum_id', 'sum(x) AS sum_x', 'sum(length(s)) AS sum_len_s'],
      approximate: [],
    },
    numeric: {
      name: 'numeric',
      label: '(b) CPU-bound numeric',
      inputExprs: ['id', 'CAST(id % 100000 AS DOUBLE) / 1000D AS x'],
      builtinExprs: ['id', 'sqrt(x) * sin(x) + log1p(x) * cos(x) + exp(-x) AS y'],
      schema: 'id bigint, y double',
      tsExport: 'numeric',
      checksumExprs: ['count(1) AS n', 'sum(id) AS sum_id', 'sum(y) AS sum_y'],
      approximate: ['sum_y'],
    },
    tokens: {
      name: 'tokens',
      label: '(c) string-heavy (tokenise)',
      inputExprs: ['id', textExpr(titles)],
      builtinExprs: ['id', "size(filter(split(lower(text), '[^a-z]+'), t -> t != '')) AS n_tokens"],
      schema: 'id bigint, n_tokens int',
      tsExport: 'tokens',
      checksumExprs: ['count(1) AS n', 'sum(id) AS sum_id', 'sum(n_tokens) AS sum_tokens'],
      approximate: [],
    },
  };
}

/** Checksums as decimal strings (bigint-safe across the JSON boundary with Python). */
export type Checksums = Record<string, string>;

/** A collected checksum row as strings: bigints as digits, integral doubles without a fraction (as the Python side prints them). */
export function toChecksums(row: Record<string, unknown>): Checksums {
  const out: Checksums = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(0) : String(v)) : String(v);
  return out;
}

/** Relative tolerance for `approximate` checksums: sums of 10^7 doubles in different orders. */
export const RELATIVE_TOLERANCE = 1e-9;

/**
 * What differs between a variant's checksums and the reference's; undefined when they agree.
 * Only `approximate` is read, so any suite's workload (udf, grouped) can pass its own.
 */
export function checksumProblem(w: Pick<Workload, 'approximate'>, expected: Checksums, actual: Checksums): string | undefined {
  const wrong: string[] = [];
  for (const [k, want] of Object.entries(expected)) {
    const got = actual[k];
    if (got === undefined) {
      wrong.push(`${k}: expected ${want}, got nothing`);
    } else if (w.approximate.includes(k)) {
      const a = Number(want);
      const b = Number(got);
      if (!(Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a)))) wrong.push(`${k}: expected ${want} (±${RELATIVE_TOLERANCE} relative), got ${got}`);
    } else if (want !== got) {
      wrong.push(`${k}: expected ${want}, got ${got}`);
    }
  }
  return wrong.length > 0 ? wrong.join('; ') : undefined;
}

/** Σ over ids 0 … n-1 of the decimal digit count of id. */
function sumDigitCounts(n: bigint): bigint {
  let total = n > 0n ? 1n : 0n;
  for (let digits = 1n, lo = 1n; lo < n; digits++, lo *= 10n) {
    const hi = lo * 10n < n ? lo * 10n : n;
    total += (hi - lo) * digits;
  }
  return total;
}

/** Closed-form checksums of the identity workload (the built-in is checked against these too). */
export function identityChecksums(rows: number): Checksums {
  const n = BigInt(rows);
  const sumId = n > 0n ? (n * (n - 1n)) / 2n : 0n;
  const sumX = Number(sumId) / 2;
  return {
    n: String(n),
    sum_id: String(sumId),
    sum_x: Number.isInteger(sumX) ? sumX.toFixed(0) : String(sumX),
    sum_len_s: String(4n * n + sumDigitCounts(n)),
  };
}
