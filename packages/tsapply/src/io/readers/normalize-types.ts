/**
 * Parquet files written by pyarrow/DuckDB often carry `LargeUtf8`/`LargeBinary`
 * columns (64-bit offsets). Spark reads those as plain `string`/`binary`, and the
 * rest of tsapply speaks Spark's types, so top-level large columns are narrowed here
 * to `Utf8`/`Binary` by rewriting only the offsets buffer (the bytes are shared).
 */
import * as arrow from 'apache-arrow';

function isLarge(type: arrow.DataType): boolean {
  return type.typeId === arrow.Type.LargeUtf8 || type.typeId === arrow.Type.LargeBinary;
}

export function normalizeSchema(schema: arrow.Schema): arrow.Schema {
  if (!schema.fields.some((f) => isLarge(f.type))) return schema;
  return new arrow.Schema(
    schema.fields.map((f) => (isLarge(f.type) ? f.clone({ type: narrowType(f.type) }) : f)),
    schema.metadata,
  );
}

function narrowType(type: arrow.DataType): arrow.DataType {
  return type.typeId === arrow.Type.LargeUtf8 ? new arrow.Utf8() : new arrow.Binary();
}

function narrowData(data: arrow.Data): arrow.Data {
  const large = data.valueOffsets as unknown as BigInt64Array;
  const offsets = new Int32Array(large.length);
  // A single record batch never holds ≥ 2 GiB of string bytes, so offsets fit in 32 bits:
  // each is the low word of its 64-bit little-endian value, read without making a BigInt.
  const words = new Int32Array(large.buffer, large.byteOffset, large.length * 2);
  for (let i = 0; i < large.length; i++) offsets[i] = words[2 * i]!;
  return arrow.makeData({
    type: narrowType(data.type) as arrow.Utf8,
    offset: data.offset,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: data.nullBitmap,
    valueOffsets: offsets,
    data: data.values as Uint8Array,
  });
}

export function normalizeBatch(batch: arrow.RecordBatch, schema: arrow.Schema): arrow.RecordBatch {
  if (schema === batch.schema) return batch;
  const children = batch.schema.fields.map((f, i) => {
    const data = batch.data.children[i]!;
    return isLarge(f.type) ? narrowData(data) : data;
  });
  const structData = arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
  return new arrow.RecordBatch(schema, structData);
}
