/**
 * Infer an Arrow schema from JS rows when a job declares no `schema`.
 *
 * Rules (the same on every engine): boolean → boolean, number → double (a JS number is a
 * double; integral numbers are NOT guessed to be bigint), bigint → bigint, string → string,
 * Date → timestamp, Uint8Array → binary, arrays → array<elem> (Float64Array → array<double>,
 * Int32Array → array<int>…), Map → map<K, V>, plain object → struct<…>.
 * The WHOLE sample is scanned (not the first rows), nulls are skipped, struct fields are the
 * union over all rows. A column that is null in every row, or whose values disagree on a
 * type, is an error naming the column and telling the user to declare `schema`.
 */
import * as arrow from 'apache-arrow';
import { SchemaInferenceError } from '../errors.js';
import { quoteDDLName, typeToDDL } from './ddl-format.js';

type Inferred =
  | { kind: 'boolean' | 'double' | 'bigint' | 'string' | 'timestamp' | 'binary' | 'float' | 'int' | 'smallint' | 'tinyint'; row: number }
  | { kind: 'array'; row: number; element: Inferred | undefined }
  | { kind: 'map'; row: number; key: Inferred | undefined; value: Inferred | undefined }
  | { kind: 'struct'; row: number; fields: Map<string, Inferred | undefined> };

/** JS kind names used in conflict messages. */
const KIND_LABEL: Record<Inferred['kind'], string> = {
  boolean: 'boolean',
  double: 'number (double)',
  bigint: 'bigint',
  string: 'string',
  timestamp: 'Date (timestamp)',
  binary: 'Uint8Array (binary)',
  float: 'Float32Array element (float)',
  int: 'Int32Array element (int)',
  smallint: 'Int16Array element (smallint)',
  tinyint: 'Int8Array element (tinyint)',
  array: 'array',
  map: 'Map',
  struct: 'object (struct)',
};

class Conflict extends Error {
  constructor(readonly a: Inferred, readonly b: Inferred, readonly where: string) {
    super('conflict');
  }
}

class Unsupported extends Error {
  constructor(readonly value: unknown, readonly row: number, readonly where: string) {
    super('unsupported');
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function typedArrayKind(v: ArrayBufferView): Inferred['kind'] | undefined {
  if (v instanceof Float64Array) return 'double';
  if (v instanceof Float32Array) return 'float';
  if (v instanceof Int32Array) return 'int';
  if (v instanceof Int16Array) return 'smallint';
  if (v instanceof Int8Array) return 'tinyint';
  if (v instanceof BigInt64Array) return 'bigint';
  return undefined;
}

/** Infer the type of one non-null value seen in `row`; `where` names its place for messages. */
function inferValue(v: unknown, row: number, where: string): Inferred {
  switch (typeof v) {
    case 'boolean':
      return { kind: 'boolean', row };
    case 'number':
      return { kind: 'double', row };
    case 'bigint':
      return { kind: 'bigint', row };
    case 'string':
      return { kind: 'string', row };
    default:
      break;
  }
  if (v instanceof Date) return { kind: 'timestamp', row };
  if (v instanceof Uint8Array) return { kind: 'binary', row };
  if (Array.isArray(v)) {
    let element: Inferred | undefined;
    for (const x of v) if (x !== null && x !== undefined) element = merge(element, inferValue(x, row, `${where} element`), `${where} element`);
    return { kind: 'array', row, element };
  }
  if (ArrayBuffer.isView(v)) {
    const kind = typedArrayKind(v);
    if (kind) return { kind: 'array', row, element: (v as unknown as ArrayLike<unknown>).length > 0 ? { kind, row } as Inferred : undefined };
  }
  if (v instanceof Map) {
    let key: Inferred | undefined;
    let value: Inferred | undefined;
    for (const [k, x] of v) {
      if (k !== null && k !== undefined) key = merge(key, inferValue(k, row, `${where} map key`), `${where} map key`);
      if (x !== null && x !== undefined) value = merge(value, inferValue(x, row, `${where} map value`), `${where} map value`);
    }
    return { kind: 'map', row, key, value };
  }
  if (isPlainObject(v)) {
    const fields = new Map<string, Inferred | undefined>();
    for (const [k, x] of Object.entries(v)) {
      fields.set(k, x === null || x === undefined ? undefined : inferValue(x, row, `${where}.${k}`));
    }
    return { kind: 'struct', row, fields };
  }
  throw new Unsupported(v, row, where);
}

function merge(a: Inferred | undefined, b: Inferred | undefined, where: string): Inferred | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.kind !== b.kind) throw new Conflict(a, b, where);
  switch (a.kind) {
    case 'array': {
      const bb = b as typeof a;
      a.element = merge(a.element, bb.element, `${where} element`);
      return a;
    }
    case 'map': {
      const bb = b as typeof a;
      a.key = merge(a.key, bb.key, `${where} map key`);
      a.value = merge(a.value, bb.value, `${where} map value`);
      return a;
    }
    case 'struct': {
      const bb = b as typeof a;
      for (const [k, t] of bb.fields) a.fields.set(k, merge(a.fields.get(k), t, `${where}.${k}`));
      return a;
    }
    default:
      return a;
  }
}

class Unresolved extends Error {
  constructor(readonly where: string, readonly what: string) {
    super('unresolved');
  }
}

function toArrow(t: Inferred | undefined, where: string, what: string): arrow.DataType {
  if (!t) throw new Unresolved(where, what);
  switch (t.kind) {
    case 'boolean': return new arrow.Bool();
    case 'double': return new arrow.Float64();
    case 'float': return new arrow.Float32();
    case 'int': return new arrow.Int32();
    case 'smallint': return new arrow.Int16();
    case 'tinyint': return new arrow.Int8();
    case 'bigint': return new arrow.Int64();
    case 'string': return new arrow.Utf8();
    case 'binary': return new arrow.Binary();
    case 'timestamp': return new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, 'UTC');
    case 'array':
      return new arrow.List(new arrow.Field('element', toArrow(t.element, `${where} element`, 'only empty arrays or null elements'), true));
    case 'map': {
      const key = toArrow(t.key, `${where} map key`, 'only empty Maps');
      const value = toArrow(t.value, `${where} map value`, 'only empty Maps or null values');
      const entries = new arrow.Struct([new arrow.Field('key', key, false), new arrow.Field('value', value, true)]);
      return new arrow.Map_(new arrow.Field('entries', entries, false), false);
    }
    case 'struct':
      return new arrow.Struct(
        [...t.fields].map(([k, f]) => new arrow.Field(k, toArrow(f, `${where}.${k}`, 'null in every row'), true)),
      );
  }
}

/** Infer a schema from every row of a sample. Columns appear in first-seen key order. */
export function inferSchema(rows: Iterable<Record<string, unknown>>): arrow.Schema {
  const columns = new Map<string, Inferred | undefined>();
  let count = 0;
  let where = '';
  try {
    for (const row of rows) {
      if (!isPlainObject(row)) {
        throw new SchemaInferenceError(
          `Cannot infer a schema: row ${count} is not a plain object (${row === null ? 'null' : typeof row}). Every row must be an object like { column: value }.`,
        );
      }
      for (const key of Object.keys(row)) {
        const v = row[key];
        where = key;
        const prev = columns.get(key);
        if (v === null || v === undefined) {
          if (!columns.has(key)) columns.set(key, undefined);
          continue;
        }
        columns.set(key, merge(prev, inferValue(v, count, key), key));
      }
      count++;
    }
  } catch (e) {
    if (e instanceof Conflict) {
      const column = where;
      throw new SchemaInferenceError(
        `Cannot infer a type for column "${column}": ${e.where === column ? 'it' : `"${e.where}"`} has ` +
          `${KIND_LABEL[e.a.kind]} in row ${e.a.row} but ${KIND_LABEL[e.b.kind]} in row ${e.b.row}. ` +
          'Make the values one type or declare `schema` in the job.',
        { column },
      );
    }
    if (e instanceof Unsupported) {
      const column = where;
      const name = typeof e.value === 'object' && e.value !== null ? (e.value.constructor?.name ?? 'object') : typeof e.value;
      throw new SchemaInferenceError(
        `Cannot infer a type for column "${column}": row ${e.row} has a ${name} value${e.where === column ? '' : ` at "${e.where}"`}, ` +
          'which has no Spark type. Use boolean, number, bigint, string, Date, Uint8Array, arrays, Maps or plain objects.',
        { column },
      );
    }
    throw e;
  }
  if (count === 0) {
    throw new SchemaInferenceError(
      'Cannot infer a schema from zero rows. Declare `schema` in the job (Spark DDL, e.g. "name string, n bigint").',
    );
  }
  const fields: arrow.Field[] = [];
  for (const [name, t] of columns) {
    try {
      fields.push(new arrow.Field(name, toArrow(t, name, 'null in every row'), true));
    } catch (e) {
      if (!(e instanceof Unresolved)) throw e;
      const detail =
        e.where === name ? 'it is null in every row'
        : e.what === 'null in every row' ? `field "${e.where}" is null in every row`
        : `it has ${e.what}`;
      const sample = fields.map((f) => `${quoteDDLName(f.name)} ${typeToDDL(f.type)}`);
      throw new SchemaInferenceError(
        `Cannot infer a type for column "${name}": ${detail} (${count} row${count === 1 ? '' : 's'} sampled). ` +
          `Declare \`schema\` in the job, e.g. schema: '${[...sample, `${quoteDDLName(name)} string`].join(', ')}'.`,
        { column: name },
      );
    }
  }
  return new arrow.Schema(fields);
}
