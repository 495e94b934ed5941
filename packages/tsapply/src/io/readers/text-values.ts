/**
 * Converting text fields (CSV) to the JS values `@tsapply/common` turns into Arrow,
 * per target Arrow type. One converter per column is built once, so the per-value
 * work is a single function call.
 */
import * as arrow from 'apache-arrow';
import { parseDate, parseTimestampMillis } from '@tsapply/common';

/** Returns the converted value, or throws a plain Error whose message ends the sentence "… is not a valid <type>". */
export type TextConverter = (text: string) => unknown;

const INT_RE = /^\s*[+-]?\d+\s*$/;
const DOUBLE_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?\s*$/;
const DECIMAL_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;

const MS_PER_DAY = 86_400_000;

class BadValue extends Error {}

function bad(text: string, type: string): never {
  throw new BadValue(`${JSON.stringify(text)} is not a valid ${type}`);
}

function toDouble(text: string): number {
  const t = text.trim();
  if (t === 'NaN') return NaN;
  if (t === 'Infinity' || t === '+Infinity' || t === 'Inf') return Infinity;
  if (t === '-Infinity' || t === '-Inf') return -Infinity;
  if (!DOUBLE_RE.test(t)) bad(text, 'double');
  return Number(t.replace(/[dDfF]$/, ''));
}

/** Builds the converter for one column type, or returns undefined when CSV cannot hold that type. */
export function textConverter(type: arrow.DataType): TextConverter | undefined {
  switch (type.typeId) {
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
      return (t) => t;
    case arrow.Type.Int: {
      const int = type as arrow.Int;
      if (int.bitWidth === 64) {
        return (t) => (INT_RE.test(t) ? BigInt(t.trim()) : bad(t, 'bigint'));
      }
      const max = 2 ** (int.bitWidth - 1) - 1;
      const name = int.bitWidth === 32 ? 'int' : int.bitWidth === 16 ? 'smallint' : 'tinyint';
      return (t) => {
        const n = INT_RE.test(t) ? Number(t) : NaN;
        return n >= -max - 1 && n <= max ? n : bad(t, name);
      };
    }
    case arrow.Type.Float:
      return toDouble;
    case arrow.Type.Bool:
      return (t) => {
        const l = t.trim().toLowerCase();
        return l === 'true' ? true : l === 'false' ? false : bad(t, 'boolean');
      };
    // Dates and timestamps go through @tsapply/common's one parser (date-time.ts), the
    // one type inference and apply() results use: 2024-02-31 is not a valid date here
    // either (Spark reads it as null, or fails in FAILFAST mode), never March 2.
    case arrow.Type.Timestamp:
      return (t) => {
        const millis = parseTimestampMillis(t);
        // Epoch milliseconds with the microseconds as a fraction: the column builder keeps
        // them to the microsecond (a Date would drop them).
        return millis === undefined ? bad(t, 'timestamp') : millis;
      };
    case arrow.Type.Date:
      return (t) => {
        const day = parseDate(t);
        return day === undefined ? bad(t, 'date') : new Date(day * MS_PER_DAY);
      };
    case arrow.Type.Decimal:
      return (t) => (DECIMAL_RE.test(t) ? t.trim() : bad(t, 'decimal'));
    default:
      return undefined;
  }
}

export function isBadValue(e: unknown): e is Error {
  return e instanceof BadValue;
}
