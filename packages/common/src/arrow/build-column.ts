/**
 * JS values → Arrow `Data`, one column at a time, validated against the declared type.
 *
 * Primitive columns are written straight into typed arrays and a validity bitmap in one
 * tight loop per column (no per-value builder dispatch); nested columns (list, map,
 * struct) are flattened into child value arrays and built recursively, so every level
 * is still one loop over a plain array. Every value is checked; a value that does not
 * fit raises `SchemaMismatchError` naming the column, the expected Spark type, the
 * actual JS value and the row.
 */
import * as arrow from 'apache-arrow';
import { parseDate, parseTimestamp } from '../date-time.js';
import { SchemaMismatchError } from '../errors.js';
import { typeToDDL } from '../schema/ddl-format.js';
import { describeValue, jsTypeName } from './describe-value.js';

/** Marks a child slot whose parent (struct/list) is null: stored as null, exempt from NOT NULL. */
const PARENT_NULL: unique symbol = Symbol('tsapply.parentNull');

export interface ColumnContext {
  /** Top-level column name, for messages. */
  column: string;
  /** Spark DDL of the top-level column type. */
  columnDDL: string;
  /** Row number of `values[0]` within the whole result (for messages). */
  rowBase: number;
}

interface Ctx extends ColumnContext {
  /** For nested levels: row (relative to rowBase) of each child value; null at the top level. */
  rowOf: Int32Array | null;
  nested: boolean;
}

const MS_PER_DAY = 86_400_000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function rowNumber(ctx: Ctx, i: number): number {
  return ctx.rowBase + (ctx.rowOf ? ctx.rowOf[i]! : i);
}

function mismatch(ctx: Ctx, type: arrow.DataType, value: unknown, i: number, why = ''): never {
  const expected = typeToDDL(type);
  const row = rowNumber(ctx, i);
  const inside = ctx.nested ? ` inside ${ctx.columnDDL}` : '';
  const actual = describeValue(value);
  throw new SchemaMismatchError(
    `Column "${ctx.column}" expects ${expected}${inside} but row ${row} has ${actual}${why}. ` +
      'Return a value of that type or change the schema.',
    { column: ctx.column, expected, actual, rowIndex: row },
  );
}

function nullInNotNull(ctx: Ctx, type: arrow.DataType, i: number, what: string): never {
  const row = rowNumber(ctx, i);
  const expected = typeToDDL(type);
  throw new SchemaMismatchError(
    `Column "${ctx.column}"${what ? ' ' + what : ''} is declared NOT NULL but row ${row} has null. ` +
      'Return a value there or remove NOT NULL from the schema.',
    { column: ctx.column, expected: `${expected} NOT NULL`, actual: 'null', rowIndex: row },
  );
}

/**
 * Build one column's Arrow Data from `values` (length = number of rows).
 * `nullable` false rejects null/undefined with a clear error.
 */
export function buildColumn(
  field: arrow.Field,
  values: ArrayLike<unknown>,
  context: ColumnContext,
): arrow.Data {
  return build(field.type, field.nullable, values, { ...context, rowOf: null, nested: false }, '');
}

/**
 * Validity bitmap builder, LSB-first. Only nulls are recorded, since most columns have
 * none and Arrow reads an empty bitmap as "all valid": the bits are written once at the
 * end, and only for a column that has a null.
 */
class Validity {
  private readonly nulls: number[] = [];
  constructor(private readonly n: number) {}
  setNull(i: number): void {
    this.nulls.push(i);
  }
  get nullCount(): number {
    return this.nulls.length;
  }
  get buffer(): Uint8Array {
    if (this.nulls.length === 0) return new Uint8Array(0);
    const bits = new Uint8Array(((this.n + 63) & ~63) >> 3);
    bits.fill(0xff, 0, this.n >> 3);
    for (let i = this.n & ~7; i < this.n; i++) bits[i >> 3]! |= 1 << (i & 7);
    for (const i of this.nulls) bits[i >> 3]! &= ~(1 << (i & 7));
    return bits;
  }
}

function isNullish(v: unknown): boolean {
  return v === null || v === undefined || v === PARENT_NULL;
}

function checkNull(
  v: unknown,
  nullable: boolean,
  type: arrow.DataType,
  ctx: Ctx,
  i: number,
  what: string,
): void {
  if (!nullable && v !== PARENT_NULL) nullInNotNull(ctx, type, i, what);
}

function build(type: arrow.DataType, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const T = arrow.Type;
  switch (type.typeId) {
    case T.Bool:
      return buildBool(type as arrow.Bool, nullable, values, ctx, what);
    case T.Int:
      return (type as arrow.Int).bitWidth === 64
        ? buildInt64(type as arrow.Int64, nullable, values, ctx, what)
        : buildSmallInt(type as arrow.Int, nullable, values, ctx, what);
    case T.Float:
      return buildFloat(type as arrow.Float, nullable, values, ctx, what);
    case T.Utf8:
      return buildUtf8(type as arrow.Utf8, nullable, values, ctx, what);
    case T.Binary:
      return buildBinary(type as arrow.Binary, nullable, values, ctx, what);
    case T.Date:
      return buildDate(type as arrow.Date_, nullable, values, ctx, what);
    case T.Timestamp:
      return buildTimestamp(type as arrow.Timestamp, nullable, values, ctx, what);
    case T.Decimal:
      return buildDecimal(type as arrow.Decimal, nullable, values, ctx, what);
    case T.List:
      return buildList(type as arrow.List, nullable, values, ctx, what);
    case T.Map:
      return buildMap(type as arrow.Map_, nullable, values, ctx, what);
    case T.Struct:
      return buildStruct(type as arrow.Struct, nullable, values, ctx, what);
    default:
      throw new SchemaMismatchError(
        `Column "${ctx.column}" has Arrow type ${String(type)}, which tsapply cannot build from JS values. ` +
          'Use one of the Spark DDL types (boolean, int, bigint, double, string, binary, date, timestamp, decimal, array, map, struct).',
        { column: ctx.column, expected: String(type) },
      );
  }
}

function buildBool(type: arrow.Bool, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const data = new Uint8Array(((n + 63) & ~63) >> 3);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === true) {
      data[i >> 3]! |= 1 << (i & 7);
    } else if (v === false) {
      // a valid false: its bit stays 0
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i);
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data });
}

function buildSmallInt(type: arrow.Int, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const bits = type.bitWidth;
  if (!type.isSigned) {
    return mismatchUnsupported(ctx, type);
  }
  const data = bits === 8 ? new Int8Array(n) : bits === 16 ? new Int16Array(n) : new Int32Array(n);
  // Literal limits: computed as 2 ** (bits - 1), V8 compared every value generically (20× slower).
  const max = bits === 8 ? 127 : bits === 16 ? 32767 : 2147483647;
  const min = -max - 1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) mismatch(ctx, type, v, i, ', which is not an integer');
      if (v < min || v > max) mismatch(ctx, type, v, i, `, outside the range ${min} to ${max}`);
      data[i] = v;
    } else if (typeof v === 'bigint') {
      if (v < BigInt(min) || v > BigInt(max)) mismatch(ctx, type, v, i, `, outside the range ${min} to ${max}`);
      data[i] = Number(v);
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i);
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data } as never);
}

function mismatchUnsupported(ctx: Ctx, type: arrow.DataType): never {
  throw new SchemaMismatchError(
    `Column "${ctx.column}" has Arrow type ${String(type)}, which has no Spark SQL equivalent. Use tinyint, smallint, int or bigint.`,
    { column: ctx.column, expected: String(type) },
  );
}

function buildInt64(type: arrow.Int64, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const data = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'bigint') {
      if (v < INT64_MIN || v > INT64_MAX) mismatch(ctx, type, v, i, ', outside the 64-bit integer range');
      data[i] = v;
    } else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) {
        if (Number.isInteger(v)) {
          mismatch(ctx, type, v, i,
            ', which is beyond Number.MAX_SAFE_INTEGER (2^53 - 1) and may already have lost precision; produce it as a bigint (e.g. 123n or BigInt(x))');
        }
        mismatch(ctx, type, v, i, ', which is not an integer');
      }
      data[i] = BigInt(v);
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i);
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data });
}

function buildFloat(type: arrow.Float, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  if (type.precision === arrow.Precision.HALF) mismatchUnsupported(ctx, type);
  const data = type.precision === arrow.Precision.DOUBLE ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      data[i] = v;
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i);
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data } as never);
}

const encoder = new TextEncoder();

/**
 * Encodes a checked pure-ASCII string column with ONE encoder call: the values are joined
 * (null and undefined join as ''), and when every character became one byte, each
 * value's offset is its length. One call per column instead of one per value: for short
 * strings the call cost more than the encoding. Returns the bytes, or undefined (nothing
 * set) when a value is not ASCII. A column whose first value is not ASCII is not tried.
 */
function encodeAsciiColumn(values: ArrayLike<unknown>, chars: number, offsets: Int32Array, validity: Validity): Uint8Array | undefined {
  // Joined, the column must stay far below V8's longest string (2^29 - 24 characters).
  if (chars > MAX_JOINED_CHARS) return undefined;
  const n = values.length;
  let first = 0;
  while (first < n && typeof values[first] !== 'string') first++;
  if (first < n && !ASCII_ONLY.test(values[first] as string)) return undefined;
  const joined = Array.prototype.join.call(values, '');
  const bytes = new Uint8Array(chars);
  const { read, written } = encoder.encodeInto(joined, bytes);
  if (joined.length !== chars || read !== chars || written !== chars) return undefined;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') pos += v.length;
    else validity.setNull(i);
    offsets[i + 1] = pos;
  }
  return bytes;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const MAX_JOINED_CHARS = 1 << 26;

function buildUtf8(type: arrow.Utf8, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const offsets = new Int32Array(n + 1);
  // One pass to size the buffer: a UTF-16 code unit needs at most 3 UTF-8 bytes.
  let chars = 0;
  let markers = false; // PARENT_NULL is a symbol, which join() cannot turn into text
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') chars += v.length;
    else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      if (v === PARENT_NULL) markers = true;
    } else mismatch(ctx, type, v, i);
  }
  const ascii = markers ? undefined : encodeAsciiColumn(values, chars, offsets, validity);
  if (ascii) {
    return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, valueOffsets: offsets, data: ascii });
  }
  // Not pure ASCII: encode value by value, each at its own offset.
  let bytes = new Uint8Array(chars * 3);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') {
      if (v.length > 0) pos += encoder.encodeInto(v, bytes.subarray(pos)).written;
    } else validity.setNull(i);
    offsets[i + 1] = pos;
  }
  if (pos < bytes.length >> 1) bytes = bytes.slice(0, pos); // don't pin a mostly empty buffer
  else bytes = bytes.subarray(0, pos);
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, valueOffsets: offsets, data: bytes });
}

function buildBinary(type: arrow.Binary, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v instanceof Uint8Array) total += v.byteLength;
    else if (v instanceof ArrayBuffer) total += v.byteLength;
    else if (isNullish(v)) checkNull(v, nullable, type, ctx, i, what);
    else mismatch(ctx, type, v, i, '; binary values must be Uint8Array (or Buffer)');
  }
  const bytes = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
      const u8 = v instanceof Uint8Array ? v : new Uint8Array(v);
      bytes.set(u8, pos);
      pos += u8.byteLength;
    } else validity.setNull(i);
    offsets[i + 1] = pos;
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, valueOffsets: offsets, data: bytes });
}

function buildDate(type: arrow.Date_, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const day = type.unit === arrow.DateUnit.DAY;
  const days = day ? new Int32Array(n) : null;
  const millis = day ? null : new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let d: number;
    if (v instanceof Date) {
      const ms = v.getTime();
      if (Number.isNaN(ms)) mismatch(ctx, type, v, i);
      // A date is a calendar day in UTC: times of day are dropped (floor, so pre-1970 works).
      d = Math.floor(ms / MS_PER_DAY);
    } else if (typeof v === 'string') {
      // The one text parser (date-time.ts): a day that does not exist, such as
      // 2024-02-31, is refused, never rolled over into March.
      const parsed = parseDate(v);
      if (parsed === undefined) mismatch(ctx, type, v, i, "; date strings must be 'YYYY-MM-DD'");
      d = parsed;
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
      continue;
    } else {
      mismatch(ctx, type, v, i, "; return a Date or a 'YYYY-MM-DD' string");
    }
    if (days) days[i] = d;
    else millis![i] = BigInt(d * MS_PER_DAY);
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data: (days ?? millis)! } as never);
}

function buildTimestamp(type: arrow.Timestamp, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const data = new BigInt64Array(n);
  const U = arrow.TimeUnit;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let micros: bigint;
    if (v instanceof Date) {
      const ms = v.getTime();
      if (Number.isNaN(ms)) mismatch(ctx, type, v, i);
      micros = BigInt(ms) * 1000n;
    } else if (typeof v === 'number') {
      // Epoch milliseconds, possibly fractional (sub-millisecond part kept to the microsecond).
      if (!Number.isFinite(v)) mismatch(ctx, type, v, i);
      micros = Number.isInteger(v) ? BigInt(v) * 1000n : BigInt(Math.round(v * 1000));
    } else if (typeof v === 'string') {
      const parsed = parseTimestamp(v);
      if (parsed === undefined) mismatch(ctx, type, v, i, '; timestamp strings must be ISO 8601 like 2024-01-31T12:00:00Z');
      micros = parsed;
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
      continue;
    } else {
      mismatch(ctx, type, v, i, '; return a Date, an ISO 8601 string or epoch milliseconds');
    }
    switch (type.unit) {
      case U.MICROSECOND: data[i] = micros; break;
      case U.MILLISECOND: data[i] = floorDiv(micros, 1000n); break;
      case U.SECOND: data[i] = floorDiv(micros, 1_000_000n); break;
      default: data[i] = micros * 1000n;
    }
  }
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data });
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const POW10: bigint[] = Array.from({ length: 80 }, (_, k) => 10n ** BigInt(k));

function pow10(k: number): bigint {
  return k < POW10.length ? POW10[k]! : 10n ** BigInt(k);
}

/**
 * A decimal value as an integer scaled by 10^scale, rounding extra fractional digits
 * half away from zero (as Spark does when casting), or undefined when not a number.
 */
export function toScaledDecimal(v: string | number | bigint, scale: number): bigint | undefined {
  if (typeof v === 'bigint') return v * pow10(scale);
  if (typeof v === 'number' && !Number.isFinite(v)) return undefined;
  const text = typeof v === 'number' ? String(v) : v.trim();
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  if (int.length === 0 && frac.length === 0) return undefined;
  let digits = BigInt(int + frac || '0');
  const shift = Number(exp) - frac.length + scale;
  if (shift >= 0) digits *= pow10(shift);
  else {
    const div = pow10(-shift);
    const q = digits / div;
    const r = digits % div;
    digits = r * 2n >= div ? q + 1n : q;
  }
  return sign === '-' ? -digits : digits;
}

function buildDecimal(type: arrow.Decimal, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  if (type.bitWidth !== 128) mismatchUnsupported(ctx, type);
  // Decimal128: 16 bytes per value, little-endian two's complement; written as two u64 words.
  const words = new BigUint64Array(n * 2);
  const limit = pow10(type.precision);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      const scaled = toScaledDecimal(v, type.scale);
      if (scaled === undefined) mismatch(ctx, type, v, i, '; decimals must be numeric strings like "12.30", numbers or bigints');
      if (scaled >= limit || scaled <= -limit) {
        mismatch(ctx, type, v, i, `, which needs more than ${type.precision} digits (${type.precision - type.scale} before the point)`);
      }
      words[2 * i] = BigInt.asUintN(64, scaled);
      words[2 * i + 1] = BigInt.asUintN(64, scaled >> 64n);
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i);
  }
  const data = new Uint32Array(words.buffer, words.byteOffset, n * 4);
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, data });
}

function isListLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function buildList(type: arrow.List, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isListLike(v)) {
      total += v.length;
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i);
    offsets[i + 1] = total;
  }
  const child = new Array<unknown>(total);
  const rowOf = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!isListLike(v)) continue;
    const row = ctx.rowOf ? ctx.rowOf[i]! : i;
    for (let j = 0; j < v.length; j++) {
      child[k] = v[j];
      rowOf[k++] = row;
    }
  }
  const field = type.children[0]!;
  const childData = build(field.type, field.nullable, child, { ...ctx, rowOf, nested: true }, 'element');
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, valueOffsets: offsets, child: childData });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function buildMap(type: arrow.Map_, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const offsets = new Int32Array(n + 1);
  const keys: unknown[] = [];
  const vals: unknown[] = [];
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const row = ctx.rowOf ? ctx.rowOf[i]! : i;
    if (v instanceof Map) {
      for (const [k, x] of v) {
        keys.push(k);
        vals.push(x);
        rows.push(row);
      }
    } else if (isPlainObject(v)) {
      for (const k in v) {
        keys.push(k);
        vals.push(v[k]);
        rows.push(row);
      }
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
    } else mismatch(ctx, type, v, i, '; return a Map or a plain object');
    offsets[i + 1] = keys.length;
  }
  const rowOf = Int32Array.from(rows);
  const entries = type.children[0]!;
  const [keyField, valueField] = (entries.type as arrow.Struct).children as [arrow.Field, arrow.Field];
  const nested: Ctx = { ...ctx, rowOf, nested: true };
  for (let j = 0; j < keys.length; j++) {
    if (keys[j] === null || keys[j] === undefined) {
      throw new SchemaMismatchError(
        `Column "${ctx.column}" (${ctx.columnDDL}) cannot hold a null map key, but row ${ctx.rowBase + rowOf[j]!} has one. Map keys must not be null.`,
        { column: ctx.column, expected: typeToDDL(keyField.type), actual: 'null', rowIndex: ctx.rowBase + rowOf[j]! },
      );
    }
  }
  const keyData = build(keyField.type, false, keys, nested, 'map key');
  const valueData = build(valueField.type, valueField.nullable, vals, nested, 'map value');
  const child = arrow.makeData({ type: entries.type as arrow.Struct, length: keys.length, nullCount: 0, children: [keyData, valueData] });
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, valueOffsets: offsets, child });
}

function buildStruct(type: arrow.Struct, nullable: boolean, values: ArrayLike<unknown>, ctx: Ctx, what: string): arrow.Data {
  const n = values.length;
  const validity = new Validity(n);
  const fields = type.children;
  const names = new Set(fields.map((f) => f.name));
  const columns = fields.map(() => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isPlainObject(v)) {
      for (const k in v) {
        if (!names.has(k)) {
          const row = rowNumber(ctx, i);
          throw new SchemaMismatchError(
            `Column "${ctx.column}" expects ${typeToDDL(type)} but row ${row} has an object with field "${k}", ` +
              `which the struct does not declare (fields: ${[...names].join(', ')}). Add it to the schema or drop it.`,
            { column: ctx.column, expected: typeToDDL(type), actual: describeValue(v), rowIndex: row },
          );
        }
      }
      for (let f = 0; f < fields.length; f++) columns[f]![i] = v[fields[f]!.name];
    } else if (isNullish(v)) {
      checkNull(v, nullable, type, ctx, i, what);
      validity.setNull(i);
      for (let f = 0; f < fields.length; f++) columns[f]![i] = PARENT_NULL;
    } else {
      mismatch(ctx, type, v, i, jsTypeName(v) === 'object' ? '' : '; return a plain object');
    }
  }
  const children = fields.map((f, idx) =>
    build(f.type, f.nullable, columns[idx]!, { ...ctx, nested: true }, `field "${f.name}"`),
  );
  return arrow.makeData({ type, length: n, nullCount: validity.nullCount, nullBitmap: validity.buffer, children });
}
