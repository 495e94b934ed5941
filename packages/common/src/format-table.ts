/**
 * Spark `show()`-style ASCII tables, used by the CLI and `df.show()`:
 *
 * ```
 * +-----+---+
 * | name|  n|
 * +-----+---+
 * |alice|  1|
 * | NULL|  2|
 * +-----+---+
 * only showing top 2 rows
 * ```
 * Cells are right-aligned and cut to `truncate` characters with `...` exactly like Spark
 * (with `truncate: false` they are left-aligned and never cut). Values are rendered the
 * way Spark renders them: NULL, `[1, 2]` arrays, `{a -> 1}` maps, `{1, x}` structs,
 * `[01 FF]` binary, `YYYY-MM-DD` dates and `YYYY-MM-DD HH:MM:SS[.fff]` timestamps (UTC).
 */
import { readOptions } from './options/read-options.js';

export interface FormatTableOptions {
  /** Cut cells longer than this many characters (`true` = 20, `false`/0 = never). @default 20 */
  truncate?: number | boolean;
  /** Show at most this many rows and add `only showing top N rows`. @default all rows */
  maxRows?: number;
}

const MS_PER_DAY = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatDateValue(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return 'Invalid Date';
  const iso = d.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ (or ±YYYYYY for far years)
  const t = iso.indexOf('T');
  const day = iso.slice(0, t);
  // A JS Date at exactly UTC midnight is how tsapply represents a Spark `date`.
  if (ms % MS_PER_DAY === 0) return day;
  const hms = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const millis = d.getUTCMilliseconds();
  const frac = millis === 0 ? '' : `.${String(millis).padStart(3, '0').replace(/0+$/, '')}`;
  return `${day} ${hms}${frac}`;
}

/** One value as Spark's `show()` prints it. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return `<function ${value.name || 'anonymous'}>`;
    default:
      break;
  }
  if (value instanceof Date) return formatDateValue(value);
  if (value instanceof Uint8Array) {
    let s = '';
    for (let i = 0; i < value.length; i++) s += (i ? ' ' : '') + value[i]!.toString(16).toUpperCase().padStart(2, '0');
    return `[${s}]`;
  }
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    return `[${Array.from(value as ArrayLike<unknown>, formatCell).join(', ')}]`;
  }
  if (value instanceof Map) {
    return `{${Array.from(value, ([k, v]) => `${formatCell(k)} -> ${formatCell(v)}`).join(', ')}}`;
  }
  if (value instanceof Set) return `[${Array.from(value, formatCell).join(', ')}]`;
  if (typeof value === 'object') {
    // Structs print their field values only, like Spark: {1, x}.
    return `{${Object.values(value as Record<string, unknown>).map(formatCell).join(', ')}}`;
  }
  return String(value);
}

/** Spark's cut: keep `truncate - 3` characters and add `...` (or just cut when truncate < 4). */
function cut(s: string, truncate: number): string {
  const chars = Array.from(s);
  if (truncate <= 0 || chars.length <= truncate) return s;
  return truncate < 4 ? chars.slice(0, truncate).join('') : chars.slice(0, truncate - 3).join('') + '...';
}

function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Render rows (arrays of values, in `columns` order) as a Spark show()-style table. */
export function formatTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: FormatTableOptions = {},
): string {
  const o = readOptions('formatTable()', options, ['truncate', 'maxRows']);
  const t = o.get('truncate');
  if (t !== undefined && typeof t !== 'boolean' && (typeof t !== 'number' || !Number.isInteger(t) || t < 0)) {
    o.fail('truncate', 'a non-negative integer or a boolean');
  }
  const truncate = t === undefined || t === true ? 20 : t === false ? 0 : (t as number);
  const maxRows = o.nonNegativeInteger('maxRows') ?? rows.length;
  const shown = rows.slice(0, maxRows);
  const header = columns.map((c) => cut(c, truncate));
  const cells = shown.map((row) => columns.map((_, j) => cut(formatCell(row[j]), truncate)));
  // Spark's minimum column width is 3.
  const widths = header.map((h, j) => Math.max(3, width(h), ...cells.map((r) => width(r[j]!))));
  const align = (s: string, w: number): string => {
    const fill = ' '.repeat(w - width(s));
    return truncate > 0 ? fill + s : s + fill;
  };
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const line = (r: string[]): string => `|${r.map((c, j) => align(c, widths[j]!)).join('|')}|`;
  const out = [sep, line(header), sep, ...cells.map(line), sep];
  if (rows.length > shown.length) out.push(`only showing top ${shown.length} row${shown.length === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}
