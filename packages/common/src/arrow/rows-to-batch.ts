/**
 * Rows (`[{ a: 1 }, …]`) or columns (`{ a: [1, …] }`) → one Arrow RecordBatch in a
 * declared schema. Values are validated per the tsapply type mapping (see
 * `build-column.ts`); a row key that is not in the schema is an error, a missing key is null.
 */
import * as arrow from 'apache-arrow';
import { SchemaMismatchError } from '../errors.js';
import { typeToDDL } from '../schema/ddl-format.js';
import { buildColumn } from './build-column.js';
import { vectorToJS } from './data-to-js.js';
import { checkColumnsShape, isRow, notARowError } from './classify-result.js';
import { describeValue } from './describe-value.js';

function schemaColumns(schema: arrow.Schema): string {
  return schema.fields.map((f) => f.name).join(', ');
}

/** A RecordBatch of `length` rows in `schema` from its columns' Data. */
export function assembleRecordBatch(schema: arrow.Schema, length: number, children: arrow.Data[]): arrow.RecordBatch {
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, data);
}

type Gatherer = (row: Record<string, unknown>, columns: unknown[][], i: number) => number;
const gatherers = new Map<string, Gatherer>();

/**
 * A function storing `row[names[j]]` into `columns[j][i]` for every column and returning
 * how many were defined. It is compiled once per set of names, so each read is a named
 * property load that V8 caches per row shape, where a loop over the names would be one
 * generic keyed lookup per value. `__proto__` is read as an own property, as rows are built.
 */
function rowGatherer(names: readonly string[]): Gatherer {
  const key = JSON.stringify(names);
  let g = gatherers.get(key);
  if (!g) {
    const read = (name: string) =>
      name === '__proto__' ? 'Object.getOwnPropertyDescriptor(r, "__proto__")?.value' : `r[${JSON.stringify(name)}]`;
    const body = names.map((name, j) => `v = ${read(name)}; c[${j}][i] = v; if (v !== undefined) m++;`).join('\n');
    g = new Function('r', 'c', 'i', `let m = 0, v;\n${body}\nreturn m;`) as Gatherer;
    if (gatherers.size > 1000) gatherers.clear();
    gatherers.set(key, g);
  }
  return g;
}

/** Throws for the first key of `row` the schema does not have (undefined-valued keys are allowed). */
function checkExtraKeys(row: Record<string, unknown>, schema: arrow.Schema, rowIndex: number): void {
  const names = new Set(schema.fields.map((f) => f.name));
  for (const k of Object.keys(row)) {
    if (!names.has(k) && row[k] !== undefined) {
      throw new SchemaMismatchError(
        `Row ${rowIndex} has column "${k}", which is not in the schema (columns: ${schemaColumns(schema)}). ` +
          'Add it to the schema or leave it out of the returned rows.',
        { column: k, actual: describeValue(row[k]), rowIndex },
      );
    }
  }
}

/**
 * Build a RecordBatch from `rows[start..end)`. `rowBase` is the index of `rows[start]`
 * in the whole result, so messages name the row the user returned.
 * @internal used by `applyResultToBatches` to chunk without copying the rows array.
 */
export function rowsRangeToRecordBatch(
  rows: ArrayLike<unknown>,
  start: number,
  end: number,
  schema: arrow.Schema,
  rowBase = start,
): arrow.RecordBatch {
  const fields = schema.fields;
  const n = end - start;
  const columns = fields.map(() => new Array<unknown>(n));
  const gather = rowGatherer(fields.map((f) => f.name));
  for (let i = 0; i < n; i++) {
    const row = rows[start + i];
    if (!isRow(row)) throw notARowError(row, rowBase + i);
    const matched = gather(row, columns, i);
    // Cheap common case: as many keys as matched columns means no extra keys.
    if (Object.keys(row).length !== matched) checkExtraKeys(row, schema, rowBase + i);
  }
  const children = fields.map((f, j) =>
    buildColumn(f, columns[j]!, { column: f.name, columnDDL: typeToDDL(f.type), rowBase }),
  );
  return assembleRecordBatch(schema, n, children);
}

/** Build one RecordBatch from row objects. Missing keys are null; keys not in the schema are an error. */
export function rowsToRecordBatch(
  rows: ReadonlyArray<Record<string, unknown>>,
  schema: arrow.Schema,
): arrow.RecordBatch {
  return rowsRangeToRecordBatch(rows, 0, rows.length, schema, 0);
}

/**
 * Refuses a column of a `{ column: values }` object that the schema does not have.
 * (Its shape — arrays of one length — is `checkColumnsShape`'s to check.)
 * @internal
 */
export function checkColumnNames(columns: Readonly<Record<string, unknown>>, schema: arrow.Schema): void {
  const names = new Set(schema.fields.map((f) => f.name));
  for (const k of Object.keys(columns)) {
    if (!names.has(k)) {
      throw new SchemaMismatchError(
        `Returned columns include "${k}", which is not in the schema (columns: ${schemaColumns(schema)}). ` +
          'Add it to the schema or leave it out.',
        { column: k },
      );
    }
  }
}

/** Typed arrays that are exactly an Arrow column's value buffer (copied, then used as-is). */
function directValues(type: arrow.DataType, values: ArrayLike<unknown>): ArrayBufferView | undefined {
  const T = arrow.Type;
  if (type.typeId === T.Float) {
    const p = (type as arrow.Float).precision;
    if (p === arrow.Precision.DOUBLE && values instanceof Float64Array) return values;
    if (p === arrow.Precision.SINGLE && values instanceof Float32Array) return values;
  } else if (type.typeId === T.Int && (type as arrow.Int).isSigned) {
    const w = (type as arrow.Int).bitWidth;
    if (w === 64 && values instanceof BigInt64Array) return values;
    if (w === 32 && values instanceof Int32Array) return values;
    if (w === 16 && values instanceof Int16Array) return values;
    if (w === 8 && values instanceof Int8Array) return values;
  }
  return undefined;
}

/**
 * Columns `[start, end)` of a checked `{ column: values }` object → RecordBatch.
 * @internal
 */
export function columnsRangeToRecordBatch(
  columns: Record<string, unknown>,
  start: number,
  end: number,
  schema: arrow.Schema,
): arrow.RecordBatch {
  const n = end - start;
  const children = schema.fields.map((f) => {
    const values = columns[f.name] as ArrayLike<unknown> | null | undefined;
    if (values === undefined || values === null) {
      return buildColumn(f, new Array<unknown>(n).fill(null), { column: f.name, columnDDL: typeToDDL(f.type), rowBase: start });
    }
    if (values instanceof arrow.Vector) {
      // An Arrow column handed back (a pipeline stage keeps its input's columns): its data
      // as it is when the type agrees, converted like any other values otherwise.
      const part = values.slice(start, end);
      if (part.data.length === 1 && typeToDDL(part.type) === typeToDDL(f.type) && (f.nullable || part.nullCount === 0)) return part.data[0]!;
      return buildColumn(f, vectorToJS(part), { column: f.name, columnDDL: typeToDDL(f.type), rowBase: start });
    }
    const direct = directValues(f.type, values);
    if (direct) {
      // A typed array of exactly the column's type: its bytes are the Arrow values (no nulls).
      const data = (direct as unknown as { slice(a: number, b: number): ArrayBufferView }).slice(start, end);
      return arrow.makeData({ type: f.type, length: n, nullCount: 0, data } as never);
    }
    const slice = Array.isArray(values)
      ? values.slice(start, end)
      : Array.prototype.slice.call(values, start, end);
    return buildColumn(f, slice, { column: f.name, columnDDL: typeToDDL(f.type), rowBase: start });
  });
  return assembleRecordBatch(schema, n, children);
}

/** Build one RecordBatch from `{ column: values[] }`. All columns must have the same length; absent columns are null. */
export function columnsToRecordBatch(
  columns: Record<string, ArrayLike<unknown>>,
  schema: arrow.Schema,
): arrow.RecordBatch {
  const n = checkColumnsShape(columns);
  checkColumnNames(columns, schema);
  return columnsRangeToRecordBatch(columns, 0, n, schema);
}
