/**
 * Arrow `Data` → plain JS values, one whole column per call.
 *
 * Each column is converted in one loop over its typed arrays (values, offsets, validity
 * bits) — never per-value `Vector.get()`, which is orders of magnitude slower in
 * arrow-js. Nested children are converted once as whole columns and then sliced per
 * row. JS representations follow the tsapply type mapping: Int64 → bigint, Date/Timestamp
 * → Date, Decimal → string with exactly `scale` fraction digits, Map → Map, Struct →
 * plain object, Binary → Uint8Array (a copy, so rows don't pin the batch's memory).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import * as arrow from 'apache-arrow';

const MS_PER_DAY = 86_400_000;

/** A reusable validity test for one Data: `isValid(i)` for i in [0, length). */
function validityOf(data: arrow.Data): ((i: number) => boolean) | null {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return null;
  const offset = data.offset;
  return (i) => {
    const p = offset + i;
    return (bitmap[p >> 3]! & (1 << (p & 7))) !== 0;
  };
}

/** All values of an Arrow vector (every chunk) as JS values; null for nulls. */
export function vectorToJS(vector: arrow.Vector): unknown[] {
  if (vector.data.length === 1) return dataToJS(vector.data[0]!);
  const out: unknown[] = [];
  for (const d of vector.data) {
    const part = dataToJS(d);
    for (let i = 0; i < part.length; i++) out.push(part[i]);
  }
  return out;
}

/** All values of one Arrow Data chunk as JS values. */
export function dataToJS(data: arrow.Data): unknown[] {
  const T = arrow.Type;
  const type = data.type as arrow.DataType;
  switch (type.typeId) {
    case T.Null:
      return new Array<unknown>(data.length).fill(null);
    case T.Bool:
      return boolToJS(data);
    case T.Int:
    case T.Float:
      if ((type as arrow.Float).precision === arrow.Precision.HALF && type.typeId === T.Float) break;
      return numericToJS(data);
    case T.Utf8:
      return utf8ToJS(data);
    case T.Binary:
      return binaryToJS(data);
    case T.Date:
      return dateToJS(data);
    case T.Timestamp:
      return timestampToJS(data);
    case T.Decimal:
      if ((type as arrow.Decimal).bitWidth === 128) return decimalToJS(data);
      break;
    case T.List:
      return listToJS(data);
    case T.Map:
      return mapToJS(data);
    case T.Struct:
      return structToJS(data);
    case T.Dictionary:
      return dictionaryToJS(data);
    default:
      break;
  }
  return genericToJS(data);
}

/** Uncommon types (Float16, Large*, views, Time, Interval…): arrow-js's own getters, normalised. */
function genericToJS(data: arrow.Data): unknown[] {
  const vector = arrow.makeVector(data);
  const n = data.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = vector.get(i);
    out[i] = v === undefined ? null : v;
  }
  return out;
}

function boolToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const out = new Array<unknown>(n);
  const values = data.values as Uint8Array;
  const valid = validityOf(data);
  const offset = data.offset; // bool values are bit-packed and not sliced: index by offset + i
  for (let i = 0; i < n; i++) {
    if (valid && !valid(i)) out[i] = null;
    else {
      const p = offset + i;
      out[i] = (values[p >> 3]! & (1 << (p & 7))) !== 0;
    }
  }
  return out;
}

/** Int8..Int64, Uint8..Uint64, Float32/64: values are already sliced to the data's offset. */
function numericToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const values = data.values as ArrayLike<number | bigint>;
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  if (!valid) {
    for (let i = 0; i < n; i++) out[i] = values[i];
  } else {
    for (let i = 0; i < n; i++) out[i] = valid(i) ? values[i] : null;
  }
  return out;
}

/**
 * Bytes of a string column decoded by one call. Values are then sliced out of that text
 * in JS: a call into C++ per value costs more than decoding a short string. A slice of 13
 * characters or more is a view that keeps its parent text alive (V8's SlicedString), so
 * the window bounds what a row value the user keeps can pin: at most this many bytes,
 * never the batch's whole column.
 */
const WINDOW_BYTES = 1024;

function utf8ToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  // Buffer#toString(encoding, start, end) decodes a slice without creating subarray views.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  const used = n > 0 ? bytes.subarray(offsets[0]!, offsets[n]!) : bytes.subarray(0, 0);
  // Pure ASCII: a byte is a character. Valid UTF-8: characters are counted from lead
  // bytes. Anything else (Spark strings may hold invalid bytes): value by value, so each
  // value gets exactly the replacement characters it would alone.
  const mode = isAscii(used) ? 'ascii' : isUtf8(used) ? 'utf8' : 'bytes';
  if (mode === 'bytes') {
    for (let i = 0; i < n; i++) {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      out[i] = valid && !valid(i) ? null : start === end ? '' : buf.toString('utf8', start, end);
    }
    return out;
  }
  for (let i = 0; i < n; ) {
    const from = offsets[i]!;
    let j = i + 1;
    while (j < n && offsets[j + 1]! - from <= WINDOW_BYTES) j++;
    if (mode === 'ascii') {
      const text = buf.toString('latin1', from, offsets[j]!);
      for (; i < j; i++) out[i] = valid && !valid(i) ? null : text.slice(offsets[i]! - from, offsets[i + 1]! - from);
      continue;
    }
    const text = buf.toString('utf8', from, offsets[j]!);
    let p = from;
    let unit = 0;
    for (; i < j; i++) {
      const start = unit;
      const end = offsets[i + 1]!;
      // UTF-16 units of a valid UTF-8 sequence: one per lead byte, two for a 4-byte one.
      for (; p < end; p++) {
        const b = bytes[p]!;
        if ((b & 0xc0) !== 0x80) unit += b >= 0xf0 ? 2 : 1;
      }
      out[i] = valid && !valid(i) ? null : text.slice(start, unit);
    }
  }
  return out;
}

function binaryToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    out[i] = valid && !valid(i) ? null : bytes.slice(offsets[i]!, offsets[i + 1]!);
  }
  return out;
}

function dateToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const unit = (data.type as arrow.Date_).unit;
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  if (unit === arrow.DateUnit.DAY) {
    const days = data.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = valid && !valid(i) ? null : new Date(days[i]! * MS_PER_DAY);
  } else {
    // DateMillisecond: int64 milliseconds (BigInt64Array in arrow-js 21; older copies used int32 pairs).
    const values = data.values as unknown;
    if (values instanceof BigInt64Array) {
      for (let i = 0; i < n; i++) out[i] = valid && !valid(i) ? null : new Date(Number(values[i]!));
    } else return genericToJS(data).map((v) => (v === null ? null : new Date(v as number)));
  }
  return out;
}

function timestampToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const values = data.values as BigInt64Array;
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  const U = arrow.TimeUnit;
  // Divisor from the stored unit to milliseconds; Date has millisecond resolution, so
  // sub-millisecond digits are floored (floor, not truncation, so pre-1970 values are right).
  const unit = (data.type as arrow.Timestamp).unit;
  const perMs = unit === U.SECOND ? 0.001 : unit === U.MILLISECOND ? 1 : unit === U.MICROSECOND ? 1000 : 1_000_000;
  // Each int64 read as two int32 halves (little-endian, as Arrow's IPC and every platform
  // Node runs on): reading the BigInt64Array would allocate a BigInt per value. Exact
  // while |value| < 2^52 (microseconds until the year 2112… and back to 1827); beyond,
  // the BigInt.
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < n; i++) {
    if (valid && !valid(i)) {
      out[i] = null;
      continue;
    }
    const hi = halves[2 * i + 1]!;
    if (hi >= -0x100000 && hi < 0x100000) {
      const v = hi * 4294967296 + (halves[2 * i]! >>> 0);
      out[i] = new Date(perMs === 0.001 ? v * 1000 : Math.floor(v / perMs));
    } else out[i] = new Date(perMs === 0.001 ? Number(values[i]!) * 1000 : Number(floorDiv(values[i]!, BigInt(perMs))));
  }
  return out;
}

/** ⌊a / b⌋ for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

/** Format a scaled 128-bit integer as a decimal string with exactly `scale` fraction digits. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

function decimalToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const words = data.values as Uint32Array; // 4 little-endian u32 words per value
  const scale = (data.type as arrow.Decimal).scale;
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    if (valid && !valid(i)) {
      out[i] = null;
      continue;
    }
    const b = 4 * i;
    const lo = (BigInt(words[b + 1]!) << 32n) | BigInt(words[b]!);
    const hi = (BigInt(words[b + 3]!) << 32n) | BigInt(words[b + 2]!);
    out[i] = formatDecimal(BigInt.asIntN(128, (hi << 64n) | lo), scale);
  }
  return out;
}

function listToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const valid = validityOf(data);
  // Children of variable-width types are not sliced; offsets index into the whole child.
  const child = dataToJS(data.children[0]!);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    out[i] = valid && !valid(i) ? null : child.slice(offsets[i]!, offsets[i + 1]!);
  }
  return out;
}

function mapToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const valid = validityOf(data);
  const entries = data.children[0]!;
  const keys = dataToJS(entries.children[0]!);
  const values = dataToJS(entries.children[1]!);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    if (valid && !valid(i)) {
      out[i] = null;
      continue;
    }
    const m = new Map<unknown, unknown>();
    for (let j = offsets[i]!; j < offsets[i + 1]!; j++) m.set(keys[j], values[j]);
    out[i] = m;
  }
  return out;
}

function structToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const fields = (data.type as arrow.Struct).children;
  const valid = validityOf(data);
  const columns = data.children.map((c) => dataToJS(c));
  const makeRow = rowFactory(fields.map((f) => f.name));
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = valid && !valid(i) ? null : makeRow(columns, i);
  return out;
}

function dictionaryToJS(data: arrow.Data): unknown[] {
  const n = data.length;
  const dictionary = data.dictionary ? vectorToJS(data.dictionary) : [];
  const indices = data.values as ArrayLike<number | bigint>;
  const valid = validityOf(data);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = valid && !valid(i) ? null : dictionary[Number(indices[i])];
  return out;
}

const factories = new Map<string, (columns: unknown[][], i: number) => Record<string, unknown>>();

/**
 * A function building `{ [names[0]]: columns[0][i], … }`. It is compiled once per set of
 * names so every row object has the same hidden class and is created by one literal;
 * computed keys make names like `__proto__` ordinary own properties.
 */
export function rowFactory(names: readonly string[]): (columns: unknown[][], i: number) => Record<string, unknown> {
  const key = JSON.stringify(names);
  let f = factories.get(key);
  if (!f) {
    const body = names.map((name, j) => `[${JSON.stringify(name)}]: c[${j}][i]`).join(', ');
    f = new Function('c', 'i', `return { ${body} };`) as (columns: unknown[][], i: number) => Record<string, unknown>;
    if (factories.size > 1000) factories.clear();
    factories.set(key, f);
  }
  return f;
}
