/**
 * Functions PySpark shapes on the client, so they are written here rather than
 * generated: JSON/CSV/XML parsing and writing (a schema as DDL text, options as a map),
 * `sha2` (its bit length checked before the query), `make_timestamp` and its variants.
 */
import { InvalidOptionError } from '@tsapply/common';
import { Column, callFunction, isColumn, toColumn, toColumnFromName, type ColumnOrName } from '../column.js';

/** Reader/writer options: `{ mode: 'FAILFAST', dateFormat: 'yyyy-MM-dd' }`, values as text. */
export type FormatOptions = Record<string, string | number | boolean>;

/** Options as Spark's `map('k', 'v', …)`, or nothing when there are none (PySpark sends none). */
function optionsArg(options: FormatOptions | undefined, fn: string): Column[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`${fn}(…, options) takes an object of option names and values, such as { mode: 'FAILFAST' }.`, { option: 'options' });
  }
  const entries = Object.entries(options);
  return entries.length === 0 ? [] : [callFunction('map', entries.flatMap(([k, v]) => [k, String(v)]))];
}

/** A schema as DDL text (`'a INT, b STRING'`) or a Column holding one (e.g. `schemaOfJson(...)`). */
function schemaArg(schema: string | Column, fn: string): Column {
  if (isColumn(schema)) return schema;
  if (typeof schema !== 'string' || schema.trim() === '') {
    throw new InvalidOptionError(`${fn}(col, schema) needs the schema as Spark DDL text, such as 'a INT, b ARRAY<STRING>', or a Column; got ${String(schema)}.`, { option: 'schema' });
  }
  return toColumn(schema);
}

/** Parses a JSON string column into a struct, array or map of `schema`. */
export function fromJson(col: ColumnOrName, schema: string | Column, options?: FormatOptions): Column {
  return callFunction('from_json', [toColumnFromName(col), schemaArg(schema, 'fromJson'), ...optionsArg(options, 'fromJson')]);
}
/** A struct, array or map column as JSON text. */
export function toJson(col: ColumnOrName, options?: FormatOptions): Column {
  return callFunction('to_json', [toColumnFromName(col), ...optionsArg(options, 'toJson')]);
}
/** The DDL schema Spark infers for a JSON string (a literal, or a Column of one). */
export function schemaOfJson(json: string | Column, options?: FormatOptions): Column {
  return callFunction('schema_of_json', [toColumn(json), ...optionsArg(options, 'schemaOfJson')]);
}
/** Parses a CSV line column into a struct of `schema`. */
export function fromCsv(col: ColumnOrName, schema: string | Column, options?: FormatOptions): Column {
  return callFunction('from_csv', [toColumnFromName(col), schemaArg(schema, 'fromCsv'), ...optionsArg(options, 'fromCsv')]);
}
/** A struct column as one CSV line. */
export function toCsv(col: ColumnOrName, options?: FormatOptions): Column {
  return callFunction('to_csv', [toColumnFromName(col), ...optionsArg(options, 'toCsv')]);
}
/** The DDL schema Spark infers for a CSV line. */
export function schemaOfCsv(csv: string | Column, options?: FormatOptions): Column {
  return callFunction('schema_of_csv', [toColumn(csv), ...optionsArg(options, 'schemaOfCsv')]);
}
/** Parses an XML string column into a struct of `schema`. */
export function fromXml(col: ColumnOrName, schema: string | Column, options?: FormatOptions): Column {
  return callFunction('from_xml', [toColumnFromName(col), schemaArg(schema, 'fromXml'), ...optionsArg(options, 'fromXml')]);
}
/** A struct column as XML text. */
export function toXml(col: ColumnOrName, options?: FormatOptions): Column {
  return callFunction('to_xml', [toColumnFromName(col), ...optionsArg(options, 'toXml')]);
}
/** The DDL schema Spark infers for an XML string. */
export function schemaOfXml(xml: string | Column, options?: FormatOptions): Column {
  return callFunction('schema_of_xml', [toColumn(xml), ...optionsArg(options, 'schemaOfXml')]);
}

const SHA2_BITS = [0, 224, 256, 384, 512];

/** SHA-2 as hex: `numBits` 224, 256 (or 0, meaning 256), 384 or 512. */
export function sha2(col: ColumnOrName, numBits: number): Column {
  if (!SHA2_BITS.includes(numBits)) {
    throw new InvalidOptionError(`sha2(col, numBits): numBits must be one of ${SHA2_BITS.join(', ')}, got ${String(numBits)}.`, { option: 'numBits' });
  }
  return callFunction('sha2', [toColumnFromName(col), numBits]);
}

type Part = ColumnOrName | number;
const part = (v: Part): Column => (typeof v === 'number' ? toColumn(v) : toColumnFromName(v));

function timestampMaker(name: string, withZone: boolean) {
  return (years: Part, months: Part, days: Part, hours: Part, mins: Part, secs: Part, timezone?: ColumnOrName): Column => {
    const args = [years, months, days, hours, mins, secs].map(part);
    if (timezone !== undefined) {
      if (!withZone) throw new InvalidOptionError(`${name} takes no time zone: a TIMESTAMP_NTZ has none.`, { option: 'timezone' });
      args.push(toColumnFromName(timezone));
    }
    return callFunction(name, args);
  };
}

/** A TIMESTAMP from its fields (`secs` may have a fraction); `timezone` names the zone they are in. */
export const makeTimestamp = timestampMaker('make_timestamp', true);
/** Like `makeTimestamp`, but null instead of an error for fields that make no timestamp. */
export const tryMakeTimestamp = timestampMaker('try_make_timestamp', true);
/** A TIMESTAMP_NTZ (no time zone) from its fields. */
export const makeTimestampNtz = timestampMaker('make_timestamp_ntz', false);
/** Like `makeTimestampNtz`, but null instead of an error. */
export const tryMakeTimestampNtz = timestampMaker('try_make_timestamp_ntz', false);
