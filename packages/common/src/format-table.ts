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
import { Precision, Type, type DataType, type Float, type Map_, type Struct } from 'apache-arrow';
import { readOptions } from './options/read-options.js';

export interface FormatTableOptions {
  /** Cut cells longer than this many characters (`true` = 20, `false`/0 = never). @default 20 */
  truncate?: number | boolean;
  /** Show at most this many rows and add `only showing top N rows`. @default all rows */
  maxRows?: number;
  /**
   * Each column's Arrow type, when known: a float or double is then written as Spark
   * writes it (`15.0`, `1.0E7`), not as a JavaScript number (`15`, `10000000`), which
   * would read as an integer.
   */
  types?: readonly DataType[];
}

/** The shortest digits that give `v` back as a 32-bit float (a float column's value, widened to a double). */
function singleDigits(v: number): string {
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/**
 * A float or double as Java's `Float.toString` / `Double.toString` writes it, which is
 * what Spark's `show()` prints: plain between 10⁻³ and 10⁷ with at least one decimal
 * (`15.0`, `0.001`), else scientific (`1.0E7`, `1.5E-4`); `NaN`, `Infinity`.
 */
export function javaFloatString(v: number, single = false): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const digits = single ? singleDigits(v) : String(v);
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript writes these plainly too (it turns scientific only below 1e-6).
    return digits.includes('.') ? digits : `${digits}.0`;
  }
  const [mantissa, exponent] = Number(digits).toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
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

/** One value as Spark's `show()` prints it; `type`, its Arrow type when known, tells a double from an integer. */
export function formatCell(value: unknown, type?: DataType): string {
  if (value === null || value === undefined) return 'NULL';
  if (type !== undefined) {
    const typed = formatTyped(value, type);
    if (typed !== undefined) return typed;
  }
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
    return `[${Array.from(value as ArrayLike<unknown>, (v) => formatCell(v)).join(', ')}]`;
  }
  if (value instanceof Map) {
    return `{${Array.from(value, ([k, v]) => `${formatCell(k)} -> ${formatCell(v)}`).join(', ')}}`;
  }
  if (value instanceof Set) return `[${Array.from(value, (v) => formatCell(v)).join(', ')}]`;
  if (typeof value === 'object') {
    // Structs print their field values only, like Spark: {1, x}.
    return `{${Object.values(value as Record<string, unknown>).map((v) => formatCell(v)).join(', ')}}`;
  }
  return String(value);
}

/** A value whose type matters to how it prints: floats, and lists, structs and maps that may hold them. */
function formatTyped(value: unknown, type: DataType): string | undefined {
  switch (type.typeId) {
    case Type.Float:
      return typeof value === 'number' ? javaFloatString(value, (type as Float).precision !== Precision.DOUBLE) : undefined;
    case Type.List:
    case Type.FixedSizeList: {
      if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))) return undefined;
      const element = type.children[0]!.type as DataType;
      return `[${Array.from(value as ArrayLike<unknown>, (v) => formatCell(v, element)).join(', ')}]`;
    }
    case Type.Struct: {
      if (typeof value !== 'object' || value === null || value instanceof Map) return undefined;
      const fields = (type as Struct).children;
      return `{${fields.map((f) => formatCell((value as Record<string, unknown>)[f.name], f.type as DataType)).join(', ')}}`;
    }
    case Type.Map: {
      if (!(value instanceof Map)) return undefined;
      const [key, item] = ((type as Map_).children[0]!.type as Struct).children.map((f) => f.type as DataType);
      return `{${Array.from(value, ([k, v]) => `${formatCell(k, key)} -> ${formatCell(v, item)}`).join(', ')}}`;
    }
    default:
      return undefined;
  }
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
  const o = readOptions('formatTable()', options, ['truncate', 'maxRows', 'types']);
  const t = o.get('truncate');
  if (t !== undefined && typeof t !== 'boolean' && (typeof t !== 'number' || !Number.isInteger(t) || t < 0)) {
    o.fail('truncate', 'a non-negative integer or a boolean');
  }
  const truncate = t === undefined || t === true ? 20 : t === false ? 0 : (t as number);
  const maxRows = o.nonNegativeInteger('maxRows') ?? rows.length;
  const shown = rows.slice(0, maxRows);
  const header = columns.map((c) => cut(c, truncate));
  const types = options.types;
  if (types !== undefined && (!Array.isArray(types) || types.length !== columns.length)) {
    o.fail('types', `an array of ${columns.length} Arrow types, one per column`);
  }
  const cells = shown.map((row) => columns.map((_, j) => cut(formatCell(row[j], types?.[j]), truncate)));
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
