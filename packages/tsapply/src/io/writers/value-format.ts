/**
 * Text forms of JS values for the text writers (CSV, JSON Lines), chosen per Arrow
 * column type once, following what Spark writes: timestamps as ISO-8601 UTC
 * (`2012-01-01T00:00:00.000Z`), dates as `YYYY-MM-DD`, 64-bit integers with every
 * digit, binary as base64, nested values as JSON.
 */
import * as arrow from 'apache-arrow';

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A JSON value that keeps bigints exact: returns JSON text. */
export function toJsonText(v: unknown, type?: arrow.DataType): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Date) return JSON.stringify(type?.typeId === arrow.Type.Date ? isoDate(v) : v.toISOString());
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, x] of v) parts.push(`${JSON.stringify(String(k))}:${toJsonText(x)}`);
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const elem = type?.typeId === arrow.Type.List ? (type as arrow.List).children[0]!.type : undefined;
    return `[${Array.from(v as ArrayLike<unknown>, (x) => toJsonText(x, elem)).join(',')}]`;
  }
  if (typeof v === 'object') {
    const fields = type?.typeId === arrow.Type.Struct ? (type as arrow.Struct).children : undefined;
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as object)) {
      if (x === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${toJsonText(x, fields?.find((f) => f.name === k)?.type)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(String(v));
}

/** CSV cell text for a value of a column of `type`; null → empty cell. */
export function toCsvText(v: unknown, type: arrow.DataType): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return type.typeId === arrow.Type.Date ? isoDate(v) : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return toJsonText(v, type);
}
