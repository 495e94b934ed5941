/**
 * The one parser of dates and times written as text. Every text → date path uses it:
 * strings `apply()` returns for `date` and `timestamp` columns (arrow/build-column.ts),
 * and CSV fields, read with a declared type or looked at by type inference (tsapply's
 * io/readers/text-values.ts and csv-type-inference.ts). So a day that does not exist —
 * `2024-02-31`, `2023-02-29` — is refused everywhere, never rolled over into March as
 * `Date.UTC` would, and a CSV column holding one is not inferred as a date or a
 * timestamp (Spark infers `string` for it, and reads it as null under a declared type).
 *
 * The grammar is the part of Spark's (`DateTimeUtils.stringToTimestamp` /
 * `stringToDate`) that data files use; surrounding whitespace is ignored:
 * - date: `YYYY-M[M]-D[D]`, e.g. `2024-02-29`, `2024-2-9`;
 * - timestamp: `YYYY[-M[M][-D[D][(T| )h[h][:m[m][:s[s][.f…]]]]]][zone]`, e.g. `2024-01`,
 *   `2024-01-31 12:00`, `2024-01-31T12:00:00.123456Z`, `2024-01-31T12:00:00+02:00`.
 *   The fraction has 1 to 9 digits (kept to the microsecond); `zone` is `Z` or an offset
 *   `±hh`, `±hhmm`, `±hh:mm` (at most 18 hours), optionally after a space. Without a
 *   zone the time is read as UTC (Spark uses the session time zone; set
 *   `spark.sql.session.timeZone=UTC` there for identical values).
 *
 * Not accepted (Spark accepts them in casts): years outside 0000–9999 or signed, zone
 * names (`UTC`, `Europe/Paris`), a time without a date, a lowercase `t` or `z`.
 *
 * Days are counted in the proleptic Gregorian calendar (as Spark 3+ does), with exact
 * integer arithmetic, so years 0–99 are not shifted into the 1900s as `Date.UTC` does.
 */

const DATE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/;
const TIMESTAMP =
  /^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/;

const MICROS_PER_DAY = 86_400_000_000n;

/** Whether `year` is a leap year of the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of `year-month-day`, or undefined when that day does not exist
 * (month outside 1–12, day outside the month: `2024-02-31`, `2023-02-29`).
 */
export function epochDay(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // Howard Hinnant's days_from_civil: counts from 0000-03-01 in 400-year eras, so the
  // leap day is the last day of its year and every era has 146097 days.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `YYYY-M[M]-D[D]` → days since 1970-01-01, or undefined when it is not a date or the day does not exist. */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text);
  return m ? epochDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** A timestamp in parts: its UTC day (since 1970-01-01), seconds into that day (outside 0–86399 after an offset), microseconds. */
interface TimestampParts {
  day: number;
  seconds: number;
  micros: number;
}

/** The two digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DD hh:mm:ss` (or with `T`, and an optional `Z`): the form nearly every file
 * writes, read by position without the regular expression, which cost most of reading a
 * timestamp column. Undefined when the text is not in exactly this form (the grammar
 * then decides), or names a day or time that does not exist.
 */
function fixedForm(text: string): TimestampParts | undefined {
  if (!(text.length === 19 || (text.length === 20 && text.charCodeAt(19) === 90 /* Z */))) return undefined;
  const sep = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 32 && sep !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const century = twoDigits(text, 0);
  const year = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const date = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || year < 0 || month < 0 || date < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const day = epochDay(century * 100 + year, month, date);
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  return { day, seconds: hour * 3600 + minute * 60 + second, micros: 0 };
}

function timestampParts(text: string): TimestampParts | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo = '1', d = '1', h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const day = epochDay(Number(y), Number(mo), Number(d));
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetSeconds = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60) return undefined;
    offsetSeconds = (zone[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return { day, seconds: hour * 3600 + minute * 60 + second - offsetSeconds, micros: Number((frac + '000000').slice(0, 6)) };
}

/**
 * A timestamp (see the module comment) → microseconds since 1970-01-01T00:00:00Z, or
 * undefined when it is not one or names a day or time that does not exist
 * (`2024-02-31`, `24:00`, `10:60`, an offset beyond ±18:00).
 */
export function parseTimestamp(text: string): bigint | undefined {
  const p = fixedForm(text) ?? timestampParts(text);
  return p && BigInt(p.day) * MICROS_PER_DAY + BigInt(p.seconds) * 1_000_000n + BigInt(p.micros);
}

/**
 * The same, as milliseconds since the epoch with the microseconds as a fraction (what
 * the column builder takes), computed without BigInt: for readers of text files, where
 * a timestamp column is parsed value by value.
 */
export function parseTimestampMillis(text: string): number | undefined {
  const p = fixedForm(text) ?? timestampParts(text);
  return p && p.day * 86_400_000 + p.seconds * 1000 + p.micros / 1000;
}
