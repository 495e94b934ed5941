/**
 * Spark Connect `DataType` messages ⇄ Spark DDL strings. Schemas travel as DDL between
 * this client and `@tsapply/common` (`parseDDL` gives the Arrow schema), so there is a
 * single type mapping in the project.
 */
import { create } from '@bufbuild/protobuf';
import { DataTypeSchema, type DataType } from './gen/spark/connect/types_pb.js';

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(name: string): string {
  return PLAIN_NAME.test(name) ? name : '`' + name.replace(/`/g, '``') + '`';
}

/** The DDL spelling of one data type, e.g. `array<struct<a: int, b: string>>`. */
export function dataTypeToDDL(t: DataType): string {
  return typeString(t, false);
}

/**
 * Spark's `simpleString` of a type, what PySpark's `dtypes` shows:
 * `array<struct<a:int,b:string>>` (no spaces, no NOT NULL, names as they are).
 */
export function dataTypeSimpleString(t: DataType): string {
  return typeString(t, true);
}

function typeString(t: DataType, simple: boolean): string {
  const inner = (x: DataType | undefined) => (x ? typeString(x, simple) : 'void');
  const k = t.kind;
  switch (k.case) {
    case 'null':
      return 'void';
    case 'binary':
      return 'binary';
    case 'boolean':
      return 'boolean';
    case 'byte':
      return 'tinyint';
    case 'short':
      return 'smallint';
    case 'integer':
      return 'int';
    case 'long':
      return 'bigint';
    case 'float':
      return 'float';
    case 'double':
      return 'double';
    case 'decimal':
      return `decimal(${k.value.precision ?? 10},${k.value.scale ?? 0})`;
    case 'string':
      return 'string';
    case 'char':
      return `char(${k.value.length})`;
    case 'varChar':
      return `varchar(${k.value.length})`;
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'timestampNtz':
      return 'timestamp_ntz';
    case 'calendarInterval':
      return 'interval';
    case 'yearMonthInterval':
      return 'interval year to month';
    case 'dayTimeInterval':
      return 'interval day to second';
    case 'array':
      return `array<${inner(k.value.elementType)}>`;
    case 'map':
      return `map<${inner(k.value.keyType)},${simple ? '' : ' '}${inner(k.value.valueType)}>`;
    case 'struct':
      return simple ? `struct<${k.value.fields.map((f) => `${f.name}:${inner(f.dataType)}`).join(',')}>` : `struct<${structFieldsDDL(t, ': ')}>`;
    case 'udt':
      return k.value.sqlType ? inner(k.value.sqlType) : 'binary';
    case 'unparsed':
      return k.value.dataTypeString;
    case 'variant':
      return 'variant';
    default:
      return 'void';
  }
}

function structFieldsDDL(t: DataType, separator: string): string {
  if (t.kind.case !== 'struct') return '';
  return t.kind.value.fields
    .map((f) => `${quote(f.name)}${separator}${f.dataType ? dataTypeToDDL(f.dataType) : 'void'}${f.nullable ? '' : ' NOT NULL'}`)
    .join(', ');
}

/** A struct DataType as a top-level schema DDL: `a int, b string NOT NULL`. */
export function structToSchemaDDL(t: DataType): string {
  if (t.kind.case !== 'struct') return `value ${dataTypeToDDL(t)}`;
  return structFieldsDDL(t, ' ');
}

/** A DataType the server parses from DDL (`DataType.Unparsed`). */
export function unparsedType(ddl: string): DataType {
  return create(DataTypeSchema, { kind: { case: 'unparsed', value: { dataTypeString: ddl } } });
}

/** Simple (leaf) DataType of the given kind, e.g. `simpleType('long')`. */
export function simpleType(kind: 'null' | 'binary' | 'boolean' | 'integer' | 'long' | 'double' | 'string' | 'date' | 'timestamp'): DataType {
  return create(DataTypeSchema, { kind: { case: kind, value: {} } } as never);
}
