/**
 * Cuts a partition sorted by its group columns into groups, in the worker.
 *
 * Spark's applyInArrow shuffles by the group keys, sorts each partition by them and
 * calls the Python function once per group; tsapply asks Spark for the same shuffle and
 * sort but streams the whole partition through one mapInArrow task, and the groups are
 * cut here. A group then costs one call of the user's function, not a round trip between
 * the Python shim and this process (and a pyarrow table) per group, which dominated work
 * on many small groups. It also serves Spark 3.5, which has no applyInArrow.
 *
 * Equal keys are adjacent because the stream is sorted; "equal" is Spark's grouping
 * equality, as the embedded engine's groupBy uses it (`sameGroupKeyValue`): null equals
 * null, NaN equals NaN, -0.0 equals 0.0 (Spark's sort and hash treat them alike), nested
 * values by content. Only the key columns become JS values;
 * a group inside one input batch is a slice of it, and one spanning batches is gathered
 * from their Arrow data (`concatRanges`), so memory holds the current group and one
 * batch, not the partition.
 */
import { Type, type Data, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import { byteWidth, concatRanges, sameGroupKeyValue, vectorToJS, type BatchRange } from '@tsapply/common';
import { ProtocolError } from '../errors.js';

export interface CutGroup {
  batch: RecordBatch;
  /** The group's key values by column name (as `ctx.key` receives them). */
  key: Record<string, unknown>;
}

type RowEquality = (i: number) => boolean;

/** Row i equals row i-1, by JS values (nested and rarer types). */
function jsAdjacentEquality(vector: Vector): RowEquality {
  const values = vectorToJS(vector);
  return (i) => sameGroupKeyValue(values[i - 1], values[i]);
}

/**
 * Row i equals row i-1, read from the column's Arrow buffers without making JS values
 * (no BigInt, no string per row); undefined for types it does not cover.
 */
function adjacentEquality(data: Data): RowEquality | undefined {
  if (data.offset !== 0) return undefined;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  const valid = (i: number) => bitmap === undefined || (bitmap[i >> 3]! & (1 << (i & 7))) !== 0;
  const withNulls = (values: RowEquality): RowEquality =>
    bitmap === undefined
      ? values
      : (i) => {
          const a = valid(i - 1);
          return a === valid(i) && (!a || values(i));
        };
  const T = Type;
  const typeId = data.type.typeId;
  if (typeId === T.Float) {
    const v = data.values as Float64Array | Float32Array;
    if (!(v instanceof Float64Array || v instanceof Float32Array)) return undefined;
    return withNulls((i) => v[i] === v[i - 1] || (v[i] !== v[i]! && v[i - 1] !== v[i - 1]!));
  }
  if (typeId === T.Bool) {
    const bits = data.values as Uint8Array;
    const bit = (i: number) => (bits[i >> 3]! >> (i & 7)) & 1;
    return withNulls((i) => bit(i) === bit(i - 1));
  }
  if (typeId === T.Utf8 || typeId === T.Binary) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    return withNulls((i) => {
      const a = offsets[i - 1]!;
      const b = offsets[i]!;
      const len = offsets[i + 1]! - b;
      if (b - a !== len) return false;
      for (let k = 0; k < len; k++) if (bytes[a + k] !== bytes[b + k]) return false;
      return true;
    });
  }
  const width = byteWidth(data.type);
  if (width > 0) {
    // Integers, dates, timestamps, decimals (floats were handled above). 64- and 128-bit
    // values are compared as 32-bit words: BigInt64Array reads would make a BigInt per row.
    const v = data.values as unknown as ArrayBufferView & ArrayLike<number>;
    if (width < 4) return withNulls((i) => v[i] === v[i - 1]);
    const words = new Int32Array(v.buffer, v.byteOffset, (data.length * width) >> 2);
    const stride = width >> 2;
    return withNulls((i) => {
      for (let k = 0, p = i * stride, q = p - stride; k < stride; k++) if (words[p + k] !== words[q + k]) return false;
      return true;
    });
  }
  return undefined;
}

export class SortedGroupCutter {
  private readonly columns: readonly string[];
  /** The current group's rows so far, one range per input batch it spans. */
  private segments: BatchRange[] = [];
  private key: unknown[] | undefined;
  private schema: Schema | undefined;

  constructor(columns: readonly string[]) {
    this.columns = columns;
  }

  /** Adds the next batch of the sorted stream; returns the groups it completed, in order. */
  push(batch: RecordBatch): CutGroup[] {
    const n = batch.numRows;
    if (n === 0) return [];
    this.schema = batch.schema;
    const vectors = this.columns.map((name) => {
      const vector = batch.getChild(name);
      if (vector === null) {
        throw new ProtocolError(`The group column "${name}" is not in the input (columns: ${batch.schema.fields.map((f) => f.name).join(', ')}).`);
      }
      return vector;
    });
    const sameAsPrevious = vectors.map((v) => adjacentEquality(v.data[0]!) ?? jsAdjacentEquality(v));
    const keyAt = (i: number) => vectors.map((v) => vectorToJS(v.slice(i, i + 1))[0] ?? null);
    const done: CutGroup[] = [];
    let from = 0;
    const first = keyAt(0);
    if (this.key === undefined) this.key = first;
    else if (!first.every((v, k) => sameGroupKeyValue(this.key![k], v))) {
      done.push(this.take(batch.schema));
      this.key = first;
    }
    for (let i = 1; i < n; i++) {
      let same = true;
      for (let k = 0; k < sameAsPrevious.length; k++) {
        if (!sameAsPrevious[k]!(i)) {
          same = false;
          break;
        }
      }
      if (same) continue;
      this.segments.push({ batch, from, to: i });
      done.push(this.take(batch.schema));
      this.key = keyAt(i);
      from = i;
    }
    this.segments.push({ batch, from, to: n });
    return done;
  }

  /** The last group, once the input has ended (none for an empty partition). */
  finish(): CutGroup[] {
    if (this.segments.length === 0 || this.schema === undefined) return [];
    return [this.take(this.schema)];
  }

  private take(schema: Schema): CutGroup {
    const segments = this.segments;
    const key: Record<string, unknown> = {};
    this.columns.forEach((name, k) => (key[name] = this.key![k] ?? null));
    this.segments = [];
    // A group inside one batch is a zero-copy slice of it; one spanning batches is gathered.
    const only = segments.length === 1 ? segments[0]! : undefined;
    if (only !== undefined) return { batch: only.from === 0 && only.to === only.batch.numRows ? only.batch : only.batch.slice(only.from, only.to), key };
    return { batch: concatRanges(schema, segments), key };
  }
}
