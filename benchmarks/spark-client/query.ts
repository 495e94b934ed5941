/**
 * The result both clients fetch, and the checksums it must produce.
 *
 * `spark.range(rows)` plus derived columns of the common Spark types, built by Spark SQL
 * expressions so the server does the same work for both clients and neither client
 * ships data up. The expressions are handed verbatim to the PySpark script, so the two
 * clients run the very same plan.
 *
 * Checksums are closed-form functions of `rows` (the ids are 0 … rows-1), so a client is
 * checked against arithmetic, not against the other client.
 */

/** `selectExpr` list: bigint, double, string, boolean, timestamp. */
export const SELECT_EXPRS: readonly string[] = [
  'id',
  'id * 0.5D AS x', // 0.5D: a plain 0.5 is a DECIMAL(1,1) literal in Spark SQL
  "concat('row-', CAST(id AS STRING)) AS s",
  'id % 3 = 0 AS b',
  // Microseconds since the epoch: 2023-11-14T22:13:20Z + id milliseconds.
  `timestamp_micros(${1_700_000_000_000_000n} + id * 1000) AS ts`,
];

/** Column names in result order. */
export const COLUMNS = ['id', 'x', 's', 'b', 'ts'] as const;

/** The timestamp column's base, in microseconds since the epoch. */
export const TS_BASE_MICROS = 1_700_000_000_000_000n;

/**
 * What a client reports about the result it received. Every field is a decimal string
 * (bigint-safe across the JSON boundary with Python).
 */
export interface Checksums {
  /** Rows received. */
  rows: string;
  /** Σ id. */
  sumId: string;
  /** Σ x, where x = id / 2 (exact in a double: every partial sum is a multiple of 0.5 below 2^53). */
  sumX: string;
  /** Σ length(s) in UTF-8 bytes (all ASCII). */
  sumLenS: string;
  /** Number of rows with b = true. */
  countB: string;
  /** Σ (ts − TS_BASE) in microseconds. */
  sumTsOffsetMicros: string;
  /** Nulls in any column (the query produces none). */
  nulls: string;
}

/** Σ over ids 0 … n-1 of the decimal digit count of id. */
function sumDigitCounts(n: bigint): bigint {
  let total = n > 0n ? 1n : 0n; // id 0 has one digit
  for (let digits = 1n, lo = 1n; lo < n; digits++, lo *= 10n) {
    const hi = lo * 10n < n ? lo * 10n : n;
    total += (hi - lo) * digits;
  }
  return total;
}

/** The checksums a correct client must report for `rows` rows. */
export function expectedChecksums(rows: number): Checksums {
  const n = BigInt(rows);
  const sumId = n > 0n ? (n * (n - 1n)) / 2n : 0n;
  // Σ id/2 is exact; print it the way both clients print a double (integer or .5).
  const sumX = Number(sumId) / 2;
  return {
    rows: String(n),
    sumId: String(sumId),
    sumX: formatDouble(sumX),
    sumLenS: String(4n * n + sumDigitCounts(n)),
    countB: String((n + 2n) / 3n),
    sumTsOffsetMicros: String(sumId * 1000n),
    nulls: '0',
  };
}

/** A double as both clients print it: shortest round-trip form, no exponent below 1e21. */
export function formatDouble(v: number): string {
  return Number.isInteger(v) ? v.toFixed(0) : String(v);
}

/** Field-by-field differences between a client's checksums and the expected ones. */
export function checksumProblem(expected: Checksums, actual: Checksums): string | undefined {
  const wrong = (Object.keys(expected) as (keyof Checksums)[])
    .filter((k) => expected[k] !== actual[k])
    .map((k) => `${k}: expected ${expected[k]}, got ${actual[k]}`);
  return wrong.length > 0 ? wrong.join('; ') : undefined;
}
