/**
 * Arrow schemas → Spark DDL, the inverse of `parseDDL`, in Spark's lower-case
 * spelling: `name string, n bigint, tags array<string>, m map<string, double>,
 * s struct<a: int, b: string>, price decimal(10,2)`. Names that are not plain
 * identifiers are backticked; non-nullable fields get `NOT NULL`.
 */
import * as arrow from 'apache-arrow';
import { TsapplyError } from '../errors.js';

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column name as DDL: bare when it is a plain identifier, else backticked with `` escaping. */
export function quoteDDLName(name: string): string {
  return PLAIN_NAME.test(name) ? name : '`' + name.replace(/`/g, '``') + '`';
}

function fieldDDL(field: arrow.Field, separator: string): string {
  return `${quoteDDLName(field.name)}${separator}${typeToDDL(field.type)}${field.nullable ? '' : ' NOT NULL'}`;
}

/** The Spark DDL spelling of one Arrow type; throws for Arrow types Spark has no equivalent for. */
export function typeToDDL(type: arrow.DataType): string {
  const T = arrow.Type;
  switch (type.typeId) {
    case T.Bool:
      return 'boolean';
    case T.Int: {
      const t = type as arrow.Int;
      if (t.isSigned) {
        if (t.bitWidth === 8) return 'tinyint';
        if (t.bitWidth === 16) return 'smallint';
        if (t.bitWidth === 32) return 'int';
        return 'bigint';
      }
      break;
    }
    case T.Float: {
      const t = type as arrow.Float;
      return t.precision === arrow.Precision.DOUBLE ? 'double' : 'float';
    }
    case T.Utf8:
    case T.LargeUtf8:
    case T.Utf8View:
      return 'string';
    case T.Binary:
    case T.LargeBinary:
    case T.BinaryView:
    case T.FixedSizeBinary:
      return 'binary';
    case T.Date:
      return 'date';
    case T.Timestamp:
      return (type as arrow.Timestamp).timezone ? 'timestamp' : 'timestamp_ntz';
    case T.Decimal: {
      const t = type as arrow.Decimal;
      return `decimal(${t.precision},${t.scale})`;
    }
    case T.List:
    case T.LargeList:
    case T.FixedSizeList:
      return `array<${typeToDDL((type as arrow.List).children[0]!.type)}>`;
    case T.Map: {
      const t = type as arrow.Map_;
      return `map<${typeToDDL(t.keyType)}, ${typeToDDL(t.valueType)}>`;
    }
    case T.Struct:
      return `struct<${(type as arrow.Struct).children.map((f) => fieldDDL(f, ': ')).join(', ')}>`;
    case T.Dictionary:
      return typeToDDL((type as arrow.Dictionary).dictionary);
    case T.Null:
      return 'void';
    default:
      break;
  }
  throw new TsapplyError(
    `Arrow type ${String(type)} has no Spark SQL equivalent. Cast it to a supported type ` +
      '(boolean, tinyint, smallint, int, bigint, float, double, decimal, string, binary, date, timestamp, array, map, struct).',
    { code: 'UNSUPPORTED_TYPE' },
  );
}

/** The Spark DDL of a whole schema, e.g. `name string, n bigint NOT NULL`. Round-trips through `parseDDL`. */
export function toDDL(schema: arrow.Schema): string {
  return schema.fields.map((f) => fieldDDL(f, ' ')).join(', ');
}
