/**
 * JSON type inference following Spark's `JsonInferSchema`, so JSON inputs get the same
 * column types on the embedded engine and on Spark:
 *
 * - integral numbers → `bigint` (Spark's LongType; JS sees `bigint`), other numbers →
 *   `double`; bigint and double in one column → double;
 * - strings → `string` (Spark does not infer timestamps from JSON by default);
 * - objects → `struct` with fields sorted by name (as Spark sorts them), arrays →
 *   `array<merged element type>`; booleans → `boolean`;
 * - conflicting types (e.g. a number and an object) → `string` holding the JSON
 *   text; a column that is null everywhere → `string`.
 *
 * The top-level columns are sorted by name too, like Spark's JSON reader.
 * Limitation: `JSON.parse` cannot tell `1.0` from `1`, so a column whose values are
 * all written like `1.0` is inferred as bigint here but as double by Spark.
 */
import * as arrow from 'apache-arrow';

export type JsonType =
  | { kind: 'null' }
  | { kind: 'boolean' }
  | { kind: 'bigint' }
  | { kind: 'double' }
  | { kind: 'string' }
  | { kind: 'array'; element: JsonType }
  | { kind: 'struct'; fields: Map<string, JsonType> };

const NULL: JsonType = { kind: 'null' };

export function typeOfValue(v: unknown): JsonType {
  if (v === null || v === undefined) return NULL;
  switch (typeof v) {
    case 'boolean':
      return { kind: 'boolean' };
    case 'number':
      return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? { kind: 'bigint' } : { kind: 'double' };
    case 'string':
      return { kind: 'string' };
    case 'object': {
      if (Array.isArray(v)) {
        let element: JsonType = NULL;
        for (const x of v) element = mergeTypes(element, typeOfValue(x));
        return { kind: 'array', element };
      }
      const fields = new Map<string, JsonType>();
      for (const [k, x] of Object.entries(v as object)) fields.set(k, typeOfValue(x));
      return { kind: 'struct', fields };
    }
    default:
      return { kind: 'string' };
  }
}

export function mergeTypes(a: JsonType, b: JsonType): JsonType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [k, t] of b.fields) fields.set(k, mergeTypes(fields.get(k) ?? NULL, t));
    return { kind: 'struct', fields };
  }
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', element: mergeTypes(a.element, b.element) };
  if (a.kind === b.kind) return a;
  if ((a.kind === 'bigint' && b.kind === 'double') || (a.kind === 'double' && b.kind === 'bigint')) return { kind: 'double' };
  return { kind: 'string' };
}

/** Arrow type for an inferred JSON type; nulls become strings, struct fields sorted by name. */
export function jsonTypeToArrow(t: JsonType): arrow.DataType {
  switch (t.kind) {
    case 'boolean':
      return new arrow.Bool();
    case 'bigint':
      return new arrow.Int64();
    case 'double':
      return new arrow.Float64();
    case 'array':
      return new arrow.List(new arrow.Field('element', jsonTypeToArrow(t.element), true));
    case 'struct':
      return new arrow.Struct(sortedFields(t.fields));
    default:
      return new arrow.Utf8();
  }
}

export function sortedFields(fields: Map<string, JsonType>): arrow.Field[] {
  return [...fields.keys()].sort().map((k) => new arrow.Field(k, jsonTypeToArrow(fields.get(k)!), true));
}

/**
 * Shapes a parsed JSON value for the target Arrow type: objects/arrays/numbers in a
 * string column become their JSON text (as Spark does for conflicting types); integral
 * numbers in a bigint column become JS bigints.
 */
export function coerceJsonValue(v: unknown, type: arrow.DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.typeId) {
    case arrow.Type.Utf8:
      return typeof v === 'string' ? v : JSON.stringify(v);
    case arrow.Type.Int:
      return (type as arrow.Int).bitWidth === 64 && typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
    case arrow.Type.List: {
      if (!Array.isArray(v)) return v;
      const elem = (type as arrow.List).children[0]!.type;
      return v.map((x) => coerceJsonValue(x, elem));
    }
    case arrow.Type.Struct: {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const f of (type as arrow.Struct).children) out[f.name] = coerceJsonValue((v as Record<string, unknown>)[f.name], f.type);
      return out;
    }
    default:
      return v;
  }
}
