/**
 * ML params: typed specs per operator (the TypeScript counterpart of PySpark's
 * `Param(typeConverter=…)`), validation of user options, and the conversion of param
 * values to the `Expression.Literal`s Spark Connect ML carries — and of returned literals
 * back to JS values (numbers, bigints, strings, arrays, vectors, matrices).
 *
 * Why typed specs: the server sets a param by its JVM type, so `regParam: 0` must travel
 * as a double literal (not int) and `maxIter: 10` as an int; PySpark's type converters do
 * the same before serializing.
 */
import { create } from '@bufbuild/protobuf';
import { InvalidOptionError, readOptions } from '@tsapply/common';
import { Expression_LiteralSchema, type Expression_Literal } from '../gen/spark/connect/expressions_pb.js';
import { MlParamsSchema, type MlParams } from '../gen/spark/connect/ml_common_pb.js';
import { DataTypeSchema, type DataType } from '../gen/spark/connect/types_pb.js';
import { simpleType } from '../data-types.js';
import { toLiteral } from '../literal.js';
import { DenseMatrix, DenseVector, SparseMatrix, SparseVector } from './linalg.js';

/** JVM param kinds tsapply sends. `long` accepts a safe-integer number or a bigint. */
export type ParamType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'string[]' | 'double[]' | 'int[]' | 'double[][]' | 'vector';

export interface ParamSpec {
  type: ParamType;
  /** What the param means (shown in `explainParams()`). */
  doc: string;
  /** Spark's default, for `explainParams()` and `getOrDefault()`; undefined when none. */
  default?: unknown;
  /** Allowed values of a string param (validated before any RPC). */
  oneOf?: readonly string[];
  /** Extra range rule, e.g. `v >= 0`; returns the requirement text when violated. */
  check?: (v: number) => string | undefined;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export const nonNegative = (v: number): string | undefined => (v >= 0 ? undefined : 'must be >= 0');
export const positive = (v: number): string | undefined => (v > 0 ? undefined : 'must be > 0');
export const unitInterval = (v: number): string | undefined => (v >= 0 && v <= 1 ? undefined : 'must be in [0, 1]');

function describe(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `array [${v.map(describe).join(', ')}]`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Checks `value` against `spec` and returns the normalized value (numbers for int/double,
 * bigint for long). `where` names the call for the message, e.g. `new LinearRegression()`.
 */
export function validateParam(where: string, name: string, spec: ParamSpec, value: unknown): unknown {
  const fail = (want: string): never => {
    throw new InvalidOptionError(`Invalid value for param "${name}" in ${where}: expected ${want}, got ${describe(value)}.`, { option: name });
  };
  switch (spec.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1) fail('an integer (int32)');
      break;
    case 'long':
      if (typeof value === 'bigint') return value;
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('an integer (number or bigint)');
      return BigInt(value as number);
    case 'double':
      if (typeof value !== 'number' || Number.isNaN(value)) fail('a number');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      break;
    case 'string':
      if (typeof value !== 'string') fail('a string');
      if (spec.oneOf && !spec.oneOf.includes(value as string)) fail(`one of ${spec.oneOf.map((s) => `"${s}"`).join(', ')}`);
      break;
    case 'string[]':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) fail('an array of strings');
      return [...(value as string[])];
    case 'double[]':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'number' || Number.isNaN(s))) fail('an array of numbers');
      return [...(value as number[])];
    case 'int[]':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'number' || !Number.isInteger(s) || s < -(2 ** 31) || s > 2 ** 31 - 1)) fail('an array of integers (int32)');
      return [...(value as number[])];
    case 'double[][]':
      if (!Array.isArray(value) || value.some((a) => !Array.isArray(a) || a.some((s) => typeof s !== 'number' || Number.isNaN(s)))) fail('an array of arrays of numbers');
      return (value as number[][]).map((a) => [...a]);
    case 'vector':
      if (value instanceof DenseVector || value instanceof SparseVector) return value;
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'number' || Number.isNaN(s))) fail('a DenseVector, SparseVector or an array of numbers');
      return new DenseVector(value as number[]);
  }
  if (spec.check && typeof value === 'number') {
    const problem = spec.check(value);
    if (problem) throw new InvalidOptionError(`Invalid value for param "${name}" in ${where}: ${problem}, got ${value}.`, { option: name });
  }
  return value;
}

/**
 * Validates an options object against `specs` with the shared toolkit: anything but an
 * object, and unknown keys, are rejected with the valid names; `undefined` values are
 * skipped. Returns the normalized entries, in the order given. Throws InvalidOptionError.
 */
export function validateParams(where: string, specs: ParamSpecs, options: object | undefined): Map<string, unknown> {
  const o = readOptions(where, options, Object.keys(specs));
  const out = new Map<string, unknown>();
  for (const k of Object.keys(options ?? {})) {
    if (o.has(k)) out.set(k, validateParam(where, k, specs[k]!, o.get(k)));
  }
  return out;
}

type LiteralInit = NonNullable<Parameters<typeof create<typeof Expression_LiteralSchema>>[1]>['literalType'];

function L(literalType: LiteralInit): Expression_Literal {
  return create(Expression_LiteralSchema, { literalType } as never);
}

/** The literal for an already validated value of type `type`. */
export function paramLiteral(type: ParamType, value: unknown): Expression_Literal {
  switch (type) {
    case 'int':
      return L({ case: 'integer', value: value as number });
    case 'long':
      return L({ case: 'long', value: value as bigint });
    case 'double':
      return L({ case: 'double', value: value as number });
    case 'boolean':
      return L({ case: 'boolean', value: value as boolean });
    case 'string':
      return L({ case: 'string', value: value as string });
    case 'string[]':
      return L({ case: 'array', value: { elementType: simpleType('string'), elements: (value as string[]).map((v) => paramLiteral('string', v)) } });
    case 'double[]':
      return L({ case: 'array', value: { elementType: simpleType('double'), elements: (value as number[]).map((v) => paramLiteral('double', v)) } });
    case 'int[]':
      return L({ case: 'array', value: { elementType: simpleType('integer'), elements: (value as number[]).map((v) => paramLiteral('int', v)) } });
    case 'double[][]':
      return L({
        case: 'array',
        value: { elementType: create(DataTypeSchema, { kind: { case: 'array', value: { elementType: simpleType('double'), containsNull: false } } }), elements: (value as number[][]).map((v) => paramLiteral('double[]', v)) },
      });
    case 'vector':
      return vectorLiteral(value as DenseVector | SparseVector);
  }
}

/** `MlParams` from validated values, each sent with its spec's type. */
export function toMlParams(specs: ParamSpecs, values: ReadonlyMap<string, unknown>): MlParams {
  const params: Record<string, Expression_Literal> = {};
  for (const [k, v] of values) params[k] = paramLiteral(specs[k]!.type, v);
  return create(MlParamsSchema, { params });
}

/** Arguments of a Fetch method call: numbers become doubles unless integral, like PySpark. */
export function argLiteral(value: unknown): Expression_Literal {
  // Same encoding as lit(); the whitelist keeps bigint, Date, arrays… out of ML calls.
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return toLiteral(value);
  if (value instanceof DenseVector || value instanceof SparseVector) return vectorLiteral(value);
  throw new InvalidOptionError(`Cannot pass ${describe(value)} to a Spark ML method; supported: number, string, boolean, DenseVector, SparseVector.`, { option: 'value' });
}

const VECTOR_UDT = 'org.apache.spark.ml.linalg.VectorUDT';
const MATRIX_UDT = 'org.apache.spark.ml.linalg.MatrixUDT';

function udt(jvmClass: string): DataType {
  return create(DataTypeSchema, { kind: { case: 'udt', value: { type: 'udt', jvmClass } } });
}

/**
 * A vector as Spark ML encodes it in a literal: a struct typed with VectorUDT holding
 * (type: byte 0 sparse | 1 dense, size: int, indices: int[], values: double[]), the
 * arrays packed as SpecializedArrays.
 */
export function vectorLiteral(v: DenseVector | SparseVector): Expression_Literal {
  const nul = L({ case: 'null', value: simpleType('null') });
  const ints = (a: Int32Array): Expression_Literal => L({ case: 'specializedArray', value: { valueType: { case: 'ints', value: { values: Array.from(a) } } } });
  const doubles = (a: Float64Array): Expression_Literal => L({ case: 'specializedArray', value: { valueType: { case: 'doubles', value: { values: Array.from(a) } } } });
  const elements =
    v instanceof SparseVector
      ? [L({ case: 'byte', value: 0 }), L({ case: 'integer', value: v.size }), ints(v.indices), doubles(v.values)]
      : [L({ case: 'byte', value: 1 }), nul, nul, doubles(v.values)];
  return L({ case: 'struct', value: { structType: udt(VECTOR_UDT), elements } });
}

function numbersOf(l: Expression_Literal | undefined): number[] {
  if (!l) return [];
  const t = l.literalType;
  if (t.case === 'specializedArray') {
    const a = t.value.valueType;
    if (a.case === 'doubles' || a.case === 'ints' || a.case === 'floats') return a.value.values;
    if (a.case === 'longs') return a.value.values.map(Number);
    return [];
  }
  if (t.case === 'array') return t.value.elements.map((e) => Number(fromLiteral(e)));
  return [];
}

/**
 * A JS value from a literal the server returned: int/float/double → number, long →
 * bigint (the project's rule for Spark longs), arrays → arrays (packed numeric arrays as
 * number[]), VectorUDT/MatrixUDT structs → DenseVector/SparseVector/DenseMatrix/SparseMatrix,
 * other structs → arrays of their fields.
 */
export function fromLiteral(l: Expression_Literal): unknown {
  const t = l.literalType;
  switch (t.case) {
    case undefined:
    case 'null':
      return null;
    case 'byte':
    case 'short':
    case 'integer':
    case 'float':
    case 'double':
    case 'boolean':
    case 'string':
    case 'binary':
      return t.value;
    case 'long':
      return t.value;
    case 'decimal':
      return t.value.value;
    case 'array':
      return t.value.elements.map(fromLiteral);
    case 'specializedArray': {
      const a = t.value.valueType;
      return a.case === undefined ? [] : [...(a.value.values as unknown[])];
    }
    case 'struct': {
      const s = t.value;
      const cls = s.structType?.kind.case === 'udt' ? s.structType.kind.value.jvmClass : undefined;
      const e = s.elements;
      if (cls === VECTOR_UDT) {
        const kind = fromLiteral(e[0]!);
        return kind === 0 ? new SparseVector(Number(fromLiteral(e[1]!)), numbersOf(e[2]), numbersOf(e[3])) : new DenseVector(numbersOf(e[3]));
      }
      if (cls === MATRIX_UDT) {
        const kind = fromLiteral(e[0]!);
        const rows = Number(fromLiteral(e[1]!));
        const cols = Number(fromLiteral(e[2]!));
        const transposed = fromLiteral(e[6]!) === true;
        return kind === 0
          ? new SparseMatrix(rows, cols, Int32Array.from(numbersOf(e[3])), Int32Array.from(numbersOf(e[4])), Float64Array.from(numbersOf(e[5])), transposed)
          : new DenseMatrix(rows, cols, numbersOf(e[5]), transposed);
      }
      return e.map(fromLiteral);
    }
    case 'map': {
      const m = new Map<unknown, unknown>();
      t.value.keys.forEach((k, i) => m.set(fromLiteral(k), fromLiteral(t.value.values[i]!)));
      return m;
    }
    case 'date':
      return new Date(t.value * 86_400_000);
    case 'timestamp':
    case 'timestampNtz':
      return new Date(Number(t.value / 1000n));
    default:
      return null;
  }
}
