/**
 * Gathers rows of a column, chosen by index, into a new Arrow `Data`, without turning
 * values into JS and back: the embedded engine's `groupBy` builds each group this way.
 *
 * The column is given as its chunks (one per input batch) and the rows as a list of
 * positions in the concatenation of those chunks. Fixed-width values (numbers, dates,
 * timestamps, decimals) are copied element by element from their typed arrays, booleans
 * bit by bit, strings and binaries as byte ranges; nested and other types go through JS
 * values (`dataToJS` → `buildColumn`), which is correct for every type tsapply reads.
 */
import * as arrow from 'apache-arrow';
import { buildColumn } from './build-column.js';
import { dataToJS } from './data-to-js.js';

/**
 * Rows located in a column's chunks: row i is row `row[i]` of chunk `chunk[i]`. Every
 * column of a batch has the same chunk boundaries, so one location serves them all.
 */
export interface RowLocations {
  chunk: Int32Array;
  row: Int32Array;
}

/**
 * Finds rows in a column's chunks by their position in the concatenation of the chunks.
 * Built once per input (the chunk boundaries), then asked once per group.
 */
export class RowLocator {
  private readonly starts: number[] = [];

  constructor(chunkLengths: readonly number[]) {
    let at = 0;
    for (const n of chunkLengths) {
      this.starts.push(at);
      at += n;
    }
  }

  locate(positions: ArrayLike<number>): RowLocations {
    const starts = this.starts;
    const n = positions.length;
    const chunk = new Int32Array(n);
    const row = new Int32Array(n);
    let c = 0;
    for (let i = 0; i < n; i++) {
      const p = positions[i]!;
      if (p < starts[c]! || (c + 1 < starts.length && p >= starts[c + 1]!)) {
        // Binary search (a group's positions rise, so this runs once per chunk it spans).
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= p) lo = mid;
          else hi = mid - 1;
        }
        c = lo;
      }
      chunk[i] = c;
      row[i] = p - starts[c]!;
    }
    return { chunk, row };
  }
}

function isValid(data: arrow.Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return true;
  const p = data.offset + i;
  return (bitmap[p >> 3]! & (1 << (p & 7))) !== 0;
}

/** Bytes per value of a fixed-width type whose `values` are one typed array, else 0. */
export function byteWidth(type: arrow.DataType): number {
  const T = arrow.Type;
  switch (type.typeId) {
    case T.Int:
      return (type as arrow.Int).bitWidth / 8;
    case T.Float:
      return [2, 4, 8][(type as arrow.Float).precision]!;
    case T.Date:
      return (type as arrow.Date_).unit === arrow.DateUnit.DAY ? 4 : 8;
    case T.Timestamp:
      return 8;
    case T.Decimal:
      return (type as arrow.Decimal).bitWidth / 8;
    default:
      return 0;
  }
}

/** The rows at `at` of the column `field` (chunks `chunks`) as one Data. */
export function takeRows(field: arrow.Field, chunks: readonly arrow.Data[], at: RowLocations): arrow.Data {
  const type = field.type as arrow.DataType;
  const { chunk: chunkOf, row: rowOf } = at;
  const n = chunkOf.length;
  if (chunks.length === 0 || n === 0) return buildColumn(field, [], { column: field.name, columnDDL: String(type), rowBase: 0 });
  let nullCount = 0;
  let nullBits: Uint8Array | undefined;
  if (chunks.some((c) => c.nullCount > 0)) {
    nullBits = new Uint8Array(((n + 63) & ~63) >> 3);
    for (let i = 0; i < n; i++) {
      if (isValid(chunks[chunkOf[i]!]!, rowOf[i]!)) nullBits[i >> 3]! |= 1 << (i & 7);
      else nullCount++;
    }
  }
  const nullBitmap = nullCount === 0 || !nullBits ? new Uint8Array(0) : nullBits;
  const width = byteWidth(type);
  const T = arrow.Type;
  if (width > 0) {
    const first = chunks[0]!.values as unknown as { constructor: new (n: number) => ArrayLike<unknown> & { [i: number]: unknown }; BYTES_PER_ELEMENT: number };
    const stride = width / first.BYTES_PER_ELEMENT;
    const out = new first.constructor(n * stride);
    for (let i = 0; i < n; i++) {
      const src = chunks[chunkOf[i]!]!.values as unknown as ArrayLike<unknown>;
      const from = rowOf[i]! * stride;
      for (let k = 0; k < stride; k++) out[i * stride + k] = src[from + k];
    }
    return arrow.makeData({ type, length: n, nullCount, nullBitmap, data: out } as never);
  }
  if (type.typeId === T.Bool) {
    const out = new Uint8Array(((n + 63) & ~63) >> 3);
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]!;
      const p = c.offset + rowOf[i]!;
      if ((c.values as Uint8Array)[p >> 3]! & (1 << (p & 7))) out[i >> 3]! |= 1 << (i & 7);
    }
    return arrow.makeData({ type, length: n, nullCount, nullBitmap, data: out } as never);
  }
  if (type.typeId === T.Utf8 || type.typeId === T.Binary) {
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const o = chunks[chunkOf[i]!]!.valueOffsets as Int32Array;
      total += o[rowOf[i]! + 1]! - o[rowOf[i]!]!;
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      const c = chunks[chunkOf[i]!]!;
      const o = c.valueOffsets as Int32Array;
      bytes.set((c.values as Uint8Array).subarray(o[rowOf[i]!]!, o[rowOf[i]! + 1]!), offsets[i]!);
    }
    return arrow.makeData({ type, length: n, nullCount, nullBitmap, valueOffsets: offsets, data: bytes } as never);
  }
  // Nested and other types: through JS values, once per chunk.
  const values = chunks.map((c) => dataToJS(c));
  const picked = new Array<unknown>(n);
  for (let i = 0; i < n; i++) picked[i] = values[chunkOf[i]!]![rowOf[i]!];
  return buildColumn(field, picked, { column: field.name, columnDDL: String(type), rowBase: 0 });
}

/** Rows `from`..`to`-1 of one record batch. */
export interface BatchRange {
  batch: arrow.RecordBatch;
  from: number;
  to: number;
}

/**
 * The rows of `ranges`, in order, as one record batch of `schema` (every range's batch
 * has that schema): a group that spans input batches, or many small results sent as one.
 */
export function concatRanges(schema: arrow.Schema, ranges: readonly BatchRange[]): arrow.RecordBatch {
  let length = 0;
  for (const r of ranges) length += r.to - r.from;
  // Row positions only for columns gathered value by value (strings, nulls, nested types).
  let positions: RowLocations | undefined;
  const locate = (): RowLocations => {
    if (positions !== undefined) return positions;
    const chunk = new Int32Array(length);
    const row = new Int32Array(length);
    let i = 0;
    ranges.forEach((r, c) => {
      for (let p = r.from; p < r.to; p++, i++) {
        chunk[i] = c;
        row[i] = p;
      }
    });
    return (positions = { chunk, row });
  };
  const children = schema.fields.map((field, c) => {
    const chunks = ranges.map((r) => r.batch.getChildAt(c)!.data[0]!);
    return copyFixedWidthRanges(field, chunks, ranges, length) ?? takeRows(field, chunks, locate());
  });
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children });
  return new arrow.RecordBatch(schema, data);
}

/**
 * A fixed-width column without nulls, copied range by range (one `set` per range, not
 * one assignment per value: a huge group spans dozens of batches); undefined otherwise.
 */
function copyFixedWidthRanges(field: arrow.Field, chunks: readonly arrow.Data[], ranges: readonly BatchRange[], length: number): arrow.Data | undefined {
  const width = byteWidth(field.type as arrow.DataType);
  if (width === 0 || chunks.some((c) => c.nullCount > 0 || c.offset !== 0)) return undefined;
  const first = chunks[0]!.values as unknown as { constructor: new (n: number) => TypedArray; BYTES_PER_ELEMENT: number };
  const stride = width / first.BYTES_PER_ELEMENT;
  const out = new first.constructor(length * stride);
  let at = 0;
  ranges.forEach((r, i) => {
    const src = chunks[i]!.values as unknown as TypedArray;
    out.set(src.subarray(r.from * stride, r.to * stride), at);
    at += (r.to - r.from) * stride;
  });
  return arrow.makeData({ type: field.type, length, nullCount: 0, data: out } as never);
}

type TypedArray = ArrayLike<unknown> & { set(a: ArrayLike<unknown>, offset: number): void; subarray(from: number, to: number): TypedArray };
