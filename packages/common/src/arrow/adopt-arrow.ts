/**
 * Accept an Arrow RecordBatch or Table that user code built with its OWN copy of
 * apache-arrow (user bundles carry one), check it against the declared schema, and
 * re-wrap its buffers as this copy's Data in the schema's exact types — zero-copy.
 *
 * Detection uses arrow-js's cross-copy brands (`Symbol.for('apache-arrow/RecordBatch')`,
 * `…/Table`) with a duck-typed fallback, never `instanceof`. Types must be equal (same
 * layout): a Timestamp in milliseconds where the schema says microseconds is an error
 * naming the column, not a silent cast.
 */
import * as arrow from 'apache-arrow';
import { SchemaMismatchError } from '../errors.js';
import { typeToDDL } from '../schema/ddl-format.js';
import { buildColumn } from './build-column.js';
import { dataToJS } from './data-to-js.js';

const RECORD_BATCH_BRAND = Symbol.for('apache-arrow/RecordBatch');
const TABLE_BRAND = Symbol.for('apache-arrow/Table');

/** Structural view of an arrow-js Data from any copy of the library. */
interface AnyData {
  type: AnyType;
  offset: number;
  length: number;
  nullCount: number;
  nullBitmap?: Uint8Array;
  values?: ArrayBufferView;
  valueOffsets?: Int32Array;
  children: AnyData[];
}
interface AnyType {
  typeId: number;
  [key: string]: unknown;
  children?: AnyField[];
}
interface AnyField {
  name: string;
  type: AnyType;
  nullable: boolean;
}
export interface AnyRecordBatch {
  schema: { fields: AnyField[] };
  data: AnyData;
  numRows: number;
}
export interface AnyTable {
  schema: { fields: AnyField[] };
  batches: AnyRecordBatch[];
  numRows: number;
}

function isObject(v: unknown): v is Record<string | symbol, unknown> {
  return typeof v === 'object' && v !== null;
}

export function isArrowRecordBatch(v: unknown): v is AnyRecordBatch {
  if (!isObject(v)) return false;
  if (v[RECORD_BATCH_BRAND] === true) return true;
  return (
    isObject(v.schema) && Array.isArray((v.schema as { fields?: unknown }).fields) &&
    isObject(v.data) && Array.isArray((v.data as { children?: unknown }).children) &&
    typeof v.numRows === 'number' && typeof v.getChildAt === 'function' && !('batches' in v)
  );
}

export function isArrowTable(v: unknown): v is AnyTable {
  if (!isObject(v)) return false;
  if (v[TABLE_BRAND] === true) return true;
  return (
    isObject(v.schema) && Array.isArray((v.schema as { fields?: unknown }).fields) &&
    Array.isArray(v.batches) && typeof v.numRows === 'number' && typeof v.getChildAt === 'function'
  );
}

function arrowTypeName(t: AnyType): string {
  return String(t);
}

/** Why `actual` differs from `expected` in layout, or undefined when they are the same. */
function typeDifference(expected: arrow.DataType, actual: AnyType): boolean {
  const T = arrow.Type;
  if (expected.typeId !== actual.typeId) return true;
  switch (expected.typeId) {
    case T.Int: {
      const e = expected as arrow.Int;
      return e.bitWidth !== actual.bitWidth || e.isSigned !== actual.isSigned;
    }
    case T.Float:
      return (expected as arrow.Float).precision !== actual.precision;
    case T.Date:
      return (expected as arrow.Date_).unit !== actual.unit;
    case T.Timestamp: {
      // Any zone names the same UTC instants; only zoned vs. zone-less matters.
      const e = expected as arrow.Timestamp;
      return e.unit !== actual.unit || Boolean(e.timezone) !== Boolean(actual.timezone);
    }
    case T.Decimal: {
      const e = expected as arrow.Decimal;
      return e.precision !== actual.precision || e.scale !== actual.scale || e.bitWidth !== actual.bitWidth;
    }
    case T.List:
    case T.Map:
    case T.Struct: {
      const ec = expected.children as arrow.Field[];
      const ac = actual.children ?? [];
      if (ec.length !== ac.length) return true;
      return ec.some(
        (f, i) => (expected.typeId === T.Struct && f.name !== ac[i]!.name) || typeDifference(f.type, ac[i]!.type),
      );
    }
    default:
      return false;
  }
}

function adoptData(data: AnyData, type: arrow.DataType): arrow.Data {
  const T = arrow.Type;
  const base = { type, offset: data.offset, length: data.length, nullCount: data.nullCount, nullBitmap: data.nullBitmap };
  switch (type.typeId) {
    case T.Utf8:
    case T.Binary:
      return arrow.makeData({ ...base, valueOffsets: data.valueOffsets, data: data.values } as never);
    case T.List:
    case T.Map:
      return arrow.makeData({
        ...base,
        valueOffsets: data.valueOffsets,
        child: adoptData(data.children[0]!, (type.children as arrow.Field[])[0]!.type),
      } as never);
    case T.Struct:
      return arrow.makeData({
        ...base,
        children: data.children.map((c, i) => adoptData(c, (type.children as arrow.Field[])[i]!.type)),
      } as never);
    default:
      return arrow.makeData({ ...base, data: data.values } as never);
  }
}

/**
 * Check a (possibly foreign) Arrow RecordBatch against `schema` and return this
 * copy's RecordBatch over the same buffers, with columns in schema order.
 */
export function adoptRecordBatch(batch: AnyRecordBatch, schema: arrow.Schema, what = 'Arrow RecordBatch'): arrow.RecordBatch {
  const actualFields = batch.schema.fields;
  const byName = new Map(actualFields.map((f, i) => [f.name, i]));
  const expectedNames = new Set(schema.fields.map((f) => f.name));
  const extra = actualFields.filter((f) => !expectedNames.has(f.name)).map((f) => `"${f.name}"`);
  if (extra.length > 0) {
    throw new SchemaMismatchError(
      `The returned ${what} has column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not in the schema ` +
        `(columns: ${schema.fields.map((f) => f.name).join(', ')}). Drop them or add them to the schema.`,
      { column: actualFields.find((f) => !expectedNames.has(f.name))!.name },
    );
  }
  const children = schema.fields.map((f) => {
    const index = byName.get(f.name);
    if (index === undefined) {
      throw new SchemaMismatchError(
        `The returned ${what} has no column "${f.name}" (it has: ${actualFields.map((x) => x.name).join(', ') || 'none'}). ` +
          'Return every schema column, or change the schema.',
        { column: f.name, expected: typeToDDL(f.type) },
      );
    }
    const actual = actualFields[index]!;
    const data = batch.data.children[index]!;
    if (actual.type.typeId === arrow.Type.Dictionary && !typeDifference(f.type, actual.type.dictionary as AnyType)) {
      // Dictionary-encoded strings (what arrow's tableFromArrays makes of string arrays):
      // same logical values, so decode them once into the schema's plain type.
      const values = dataToJS(data as unknown as arrow.Data);
      return buildColumn(f, values, { column: f.name, columnDDL: typeToDDL(f.type), rowBase: 0 });
    }
    if (typeDifference(f.type, actual.type)) {
      const expected = typeToDDL(f.type);
      throw new SchemaMismatchError(
        `Column "${f.name}" expects ${expected} (Arrow ${String(f.type)}) but the returned ${what} has ` +
          `Arrow ${arrowTypeName(actual.type)}. Build the column with the schema's type or change the schema.`,
        { column: f.name, expected, actual: `Arrow ${arrowTypeName(actual.type)}` },
      );
    }
    if (!f.nullable && data.nullCount > 0) {
      throw new SchemaMismatchError(
        `Column "${f.name}" is declared NOT NULL but the returned ${what} has ${data.nullCount} null value(s) in it. ` +
          'Fill them or remove NOT NULL from the schema.',
        { column: f.name, expected: `${typeToDDL(f.type)} NOT NULL`, actual: 'null' },
      );
    }
    return adoptData(data, f.type);
  });
  const structData = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: batch.numRows,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, structData);
}
