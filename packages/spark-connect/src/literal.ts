/**
 * JS values → Spark literal expressions, following the project's type mapping:
 * boolean → boolean; number → int when it is an integer in int32 range (PySpark's `lit(1)`),
 * else double; bigint → bigint (long); string → string; Date → timestamp (microseconds,
 * UTC); Uint8Array → binary; null/undefined → a typed null (`void`); arrays → array
 * literals whose element type comes from the first non-null element.
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { InvalidOptionError } from '@tsapply/common';
import { Expression_LiteralSchema, type Expression_Literal } from './gen/spark/connect/expressions_pb.js';
import { DataTypeSchema, type DataType } from './gen/spark/connect/types_pb.js';
import { simpleType } from './data-types.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Builds the Literal message for `value`. */
export function toLiteral(value: unknown): Expression_Literal {
  const L = (v: NonNullable<MessageInitShape<typeof Expression_LiteralSchema>['literalType']>): Expression_Literal => create(Expression_LiteralSchema, { literalType: v } as never);
  if (value === null || value === undefined) return L({ case: 'null', value: simpleType('null') });
  switch (typeof value) {
    case 'boolean':
      return L({ case: 'boolean', value });
    case 'number':
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0)) {
        return L({ case: 'integer', value });
      }
      return L({ case: 'double', value });
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new InvalidOptionError(`lit(${value}n) is outside Spark's bigint range [-2^63, 2^63-1]. Use a decimal string with cast('decimal(38,0)') instead.`, { option: 'value' });
      }
      return L({ case: 'long', value });
    case 'string':
      return L({ case: 'string', value });
    default:
      break;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidOptionError('lit() got an invalid Date (its time is NaN).', { option: 'value' });
    return L({ case: 'timestamp', value: BigInt(ms) * 1000n });
  }
  if (value instanceof Uint8Array) return L({ case: 'binary', value });
  if (Array.isArray(value)) {
    const elements = value.map(toLiteral);
    const first = elements.find((e) => e.literalType.case !== 'null');
    return L({ case: 'array', value: { elementType: first ? literalType(first) : simpleType('null'), elements } });
  }
  throw new InvalidOptionError(
    `lit() cannot make a Spark literal from ${Object.prototype.toString.call(value)}. ` +
      'Supported: boolean, number, bigint, string, Date, Uint8Array, null and arrays of these.',
    { option: 'value' },
  );
}

/** The DataType of a literal built by `toLiteral`. */
export function literalType(l: Expression_Literal): DataType {
  const t = l.literalType;
  switch (t.case) {
    case 'null':
      return t.value;
    case 'array':
      return create(DataTypeSchema, { kind: { case: 'array', value: { elementType: t.value.elementType, containsNull: true } } });
    case 'integer':
    case 'long':
    case 'double':
    case 'string':
    case 'boolean':
    case 'binary':
    case 'date':
    case 'timestamp':
      return simpleType(t.case);
    default:
      return simpleType('string');
  }
}
