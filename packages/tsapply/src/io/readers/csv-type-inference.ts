/**
 * CSV type inference that follows Spark's `CSVInferSchema` (`inferSchema=true`), so a
 * job reading a CSV gets the same column types on the embedded engine and on Spark:
 *
 * - every value of the column is looked at (a full pass, as Spark does), empty
 *   strings are nulls and do not vote;
 * - the first type that parses wins, in Spark's order: `int` (fits 32 bits) →
 *   `bigint` (fits 64 bits) → `decimal(p,0)` (a larger integer, p ≤ 38) → `double`
 *   (also `NaN`, `Infinity`, `-Infinity`) → `date` (exactly `yyyy-MM-dd`, Spark's
 *   default date format, which Spark 3.4+ infers with its default `preferDate`) →
 *   `timestamp` (ISO-8601-like: `2012-1-1`, `2012-01`, `2012-01-01 10:00:00`,
 *   `2012-01-01T10:00:00.123Z`, …) → `boolean` (`true`/`false`, any case) → `string`.
 *   Dates and timestamps are read by `@tsapply/common`'s one date/time parser: a day
 *   or time that does not exist, such as `2024-02-31`, is neither, so its column is
 *   `string`, as on Spark;
 * - two rows disagreeing widen as Spark does: int+bigint → bigint, integral+double →
 *   double, date+timestamp → timestamp, anything else → string; a column with only
 *   nulls is `string`.
 *
 * Timestamps without an offset are read as UTC (Spark uses the session time zone;
 * set `spark.sql.session.timeZone=UTC` there for identical values).
 */
import { parseDate, parseTimestamp } from '@tsapply/common';

export type CsvType =
  | { kind: 'null' }
  | { kind: 'int' }
  | { kind: 'bigint' }
  | { kind: 'decimal'; precision: number }
  | { kind: 'double' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'boolean' }
  | { kind: 'string' };

const INT_RE = /^[+-]?\d+$/;
const DOUBLE_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/;
/** Spark's default date format for inference, `yyyy-MM-dd`: two-digit month and day, no spaces. */
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const SPECIAL_DOUBLES = new Set(['NaN', 'Infinity', '-Infinity', '+Infinity', 'Inf', '-Inf']);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Step = (field: string) => CsvType | undefined;

/** Spark's parse ladder, most specific first; inference resumes at the current type's step. */
const LADDER: ReadonlyArray<[CsvType['kind'], Step]> = [
  ['int', (f) => (INT_RE.test(f) && Number(f) >= INT32_MIN && Number(f) <= INT32_MAX ? { kind: 'int' } : undefined)],
  ['bigint', (f) => {
    if (!INT_RE.test(f)) return undefined;
    const b = BigInt(f);
    return b >= INT64_MIN && b <= INT64_MAX ? { kind: 'bigint' } : undefined;
  }],
  ['decimal', (f) => {
    if (!INT_RE.test(f)) return undefined;
    const digits = f.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '').length;
    return digits <= 38 ? { kind: 'decimal', precision: digits } : undefined;
  }],
  ['double', (f) => (DOUBLE_RE.test(f) || SPECIAL_DOUBLES.has(f) ? { kind: 'double' } : undefined)],
  ['date', (f) => (DATE_RE.test(f) && parseDate(f) !== undefined ? { kind: 'date' } : undefined)],
  ['timestamp', (f) => (parseTimestamp(f) !== undefined ? { kind: 'timestamp' } : undefined)],
  ['boolean', (f) => (/^(true|false)$/i.test(f) ? { kind: 'boolean' } : undefined)],
];

/** The type a single non-empty field suggests, starting the ladder at `from`. */
function parseAs(field: string, from: CsvType['kind']): CsvType {
  const startAt = from === 'null' ? 0 : LADDER.findIndex(([kind]) => kind === from);
  if (startAt < 0) return { kind: 'string' };
  for (let i = startAt; i < LADDER.length; i++) {
    const t = LADDER[i]![1](field);
    if (t) return t;
  }
  return { kind: 'string' };
}

const NUMERIC_RANK: Record<string, number> = { int: 0, bigint: 1, decimal: 2, double: 3 };

/** Spark's `compatibleType` restricted to the types CSV inference produces. */
function widen(a: CsvType, b: CsvType): CsvType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind) {
    if (a.kind === 'decimal' && b.kind === 'decimal') {
      const precision = Math.max(a.precision, b.precision);
      return precision > 38 ? { kind: 'double' } : { kind: 'decimal', precision };
    }
    return a;
  }
  const ra = NUMERIC_RANK[a.kind];
  const rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) {
    const wide = ra > rb ? a : b;
    if (wide.kind === 'decimal') {
      // int → decimal(10,0), bigint → decimal(20,0), as Spark's DecimalType.forType.
      const other = ra > rb ? b : a;
      const need = other.kind === 'int' ? 10 : other.kind === 'bigint' ? 20 : 0;
      const precision = Math.max(wide.precision, need);
      return precision > 38 ? { kind: 'double' } : { kind: 'decimal', precision };
    }
    return wide;
  }
  // A timestamp holds every date (at midnight), as in Spark's findWiderTypeForTwo.
  if ((a.kind === 'date' && b.kind === 'timestamp') || (a.kind === 'timestamp' && b.kind === 'date')) return { kind: 'timestamp' };
  return { kind: 'string' };
}

/** Folds one field into the column's type so far (Spark's `inferField`). */
export function inferField(soFar: CsvType, field: string | undefined): CsvType {
  if (field === undefined || field === '') return soFar;
  if (soFar.kind === 'string') return soFar;
  return widen(soFar, parseAs(field, soFar.kind));
}

/** Final type of a column: all-null columns are strings, as in Spark. */
export function finalType(t: CsvType): CsvType {
  return t.kind === 'null' ? { kind: 'string' } : t;
}
