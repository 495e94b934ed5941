/**
 * `Column`: a lazy, unresolved Spark expression. Operators are methods that return new
 * Columns; nothing is computed in Node — `toProto()` gives the expression Spark evaluates.
 */
import { create } from '@bufbuild/protobuf';
import { InvalidOptionError } from '@tsapply/common';
import {
  ExpressionSchema,
  Expression_Cast_EvalMode,
  Expression_SortOrder_NullOrdering as NullOrdering,
  Expression_SortOrder_SortDirection as SortDirection,
  type Expression,
  type Expression_SortOrder,
} from './gen/spark/connect/expressions_pb.js';
import { SparkUsageError } from './errors.js';
import { toLiteral } from './literal.js';
import { WindowSpec } from './window.js';

/** A Column or any value `lit()` accepts. */
export type ColumnOrValue = Column | unknown;
/** A Column or a column name. */
export type ColumnOrName = Column | string;

export class Column {
  /** The unresolved expression. Prefer `toProto()`. */
  readonly expr: Expression;

  constructor(expr: Expression) {
    this.expr = expr;
  }

  toProto(): Expression {
    return this.expr;
  }

  // Arithmetic
  plus(other: ColumnOrValue): Column { return this.binary('+', other); }
  minus(other: ColumnOrValue): Column { return this.binary('-', other); }
  multiply(other: ColumnOrValue): Column { return this.binary('*', other); }
  divide(other: ColumnOrValue): Column { return this.binary('/', other); }
  mod(other: ColumnOrValue): Column { return this.binary('%', other); }
  negate(): Column { return callFunction('negative', [this]); }

  // Comparison
  eq(other: ColumnOrValue): Column { return this.binary('==', other); }
  ne(other: ColumnOrValue): Column { return callFunction('not', [this.binary('==', other)]); }
  lt(other: ColumnOrValue): Column { return this.binary('<', other); }
  le(other: ColumnOrValue): Column { return this.binary('<=', other); }
  gt(other: ColumnOrValue): Column { return this.binary('>', other); }
  ge(other: ColumnOrValue): Column { return this.binary('>=', other); }
  /** Null-safe equality (`<=>`). */
  eqNullSafe(other: ColumnOrValue): Column { return this.binary('<=>', other); }

  // Boolean
  and(other: ColumnOrValue): Column { return this.binary('and', other); }
  or(other: ColumnOrValue): Column { return this.binary('or', other); }
  not(): Column { return callFunction('not', [this]); }

  // Predicates
  isNull(): Column { return callFunction('isnull', [this]); }
  isNotNull(): Column { return callFunction('isnotnull', [this]); }
  isNaN(): Column { return callFunction('isnan', [this]); }
  isin(...values: ColumnOrValue[]): Column {
    const flat = values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
    return callFunction('in', [this, ...flat.map(toColumn)]);
  }
  like(pattern: string): Column { return this.binary('like', pattern); }
  rlike(pattern: string): Column { return this.binary('rlike', pattern); }
  ilike(pattern: string): Column { return this.binary('ilike', pattern); }
  startsWith(prefix: ColumnOrValue): Column { return this.binary('startswith', prefix); }
  endsWith(suffix: ColumnOrValue): Column { return this.binary('endswith', suffix); }
  contains(other: ColumnOrValue): Column { return this.binary('contains', other); }
  /** `lower <= this <= upper`. */
  between(lower: ColumnOrValue, upper: ColumnOrValue): Column { return this.ge(lower).and(this.le(upper)); }

  /** Renames the column; several names for multi-output expressions. */
  alias(...names: string[]): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'alias', value: { expr: this.expr, name: names } } }));
  }
  /** Same as `alias`. */
  as(...names: string[]): Column { return this.alias(...names); }
  /**
   * Marks a column of the outer query inside a subquery or the right side of a `lateralJoin`.
   * Over Spark Connect, as in PySpark's Connect client, it returns the column unchanged: the
   * server resolves a name the inner plan lacks against the outer one. It documents intent.
   */
  outer(): Column { return this; }
  name(name: string): Column { return this.alias(name); }

  /** Casts to a Spark DDL type, e.g. `cast('bigint')`, `cast('decimal(10,2)')`. */
  cast(ddlType: string): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'cast', value: { expr: this.expr, castToType: { case: 'typeStr', value: ddlType } } } }));
  }
  /** Like `cast`, but a value that does not convert becomes null instead of failing the query. */
  tryCast(ddlType: string): Column {
    return new Column(
      create(ExpressionSchema, { exprType: { case: 'cast', value: { expr: this.expr, castToType: { case: 'typeStr', value: ddlType }, evalMode: Expression_Cast_EvalMode.TRY } } }),
    );
  }
  astype(ddlType: string): Column { return this.cast(ddlType); }

  // Sort orders (Spark's defaults: nulls first when ascending, last when descending)
  asc(): Column { return this.sortOrder(SortDirection.ASCENDING, NullOrdering.SORT_NULLS_FIRST); }
  ascNullsFirst(): Column { return this.sortOrder(SortDirection.ASCENDING, NullOrdering.SORT_NULLS_FIRST); }
  ascNullsLast(): Column { return this.sortOrder(SortDirection.ASCENDING, NullOrdering.SORT_NULLS_LAST); }
  desc(): Column { return this.sortOrder(SortDirection.DESCENDING, NullOrdering.SORT_NULLS_LAST); }
  descNullsFirst(): Column { return this.sortOrder(SortDirection.DESCENDING, NullOrdering.SORT_NULLS_FIRST); }
  descNullsLast(): Column { return this.sortOrder(SortDirection.DESCENDING, NullOrdering.SORT_NULLS_LAST); }

  /** For a `when(...)` column: adds another branch. */
  when(condition: Column, value: ColumnOrValue): Column {
    const f = this.caseWhenArgs('when');
    // An odd argument count means the last one is the otherwise value; appending would misplace it.
    if (f.length % 2 === 1) throw new SparkUsageError('when() cannot be applied once otherwise() is applied.');
    return callFunction('when', [...f, condition, toColumn(value)]);
  }
  /** For a `when(...)` column: the value when no branch matches. */
  otherwise(value: ColumnOrValue): Column {
    const f = this.caseWhenArgs('otherwise');
    if (f.length % 2 === 1) throw new SparkUsageError('otherwise() may be called only once on a when() column.');
    return callFunction('when', [...f, toColumn(value)]);
  }

  /**
   * This aggregate or window function evaluated over a window:
   * `F.rank().over(Window.partitionBy('g').orderBy('x'))`. No spec = `OVER ()`, the whole result.
   */
  over(window: WindowSpec = new WindowSpec()): Column {
    return window.windowExpression(this);
  }

  /** An array's element at a 0-based index, or a map's value for a key (`col[key]` in PySpark). */
  getItem(key: unknown): Column { return this.extract(key, 'getItem'); }
  /** A struct's field by name. */
  getField(name: string): Column { return this.extract(name, 'getField'); }
  /** This struct with field `fieldName` added, or replaced when it exists. */
  withField(fieldName: string, value: Column): Column {
    if (typeof fieldName !== 'string' || fieldName === '') throw new InvalidOptionError(`withField(fieldName, value) needs a field name string, got ${String(fieldName)}.`, { option: 'fieldName' });
    if (!isColumn(value)) throw new InvalidOptionError(`withField('${fieldName}', value) needs a Column as the value; wrap a constant in lit().`, { option: 'value' });
    return new Column(create(ExpressionSchema, { exprType: { case: 'updateFields', value: { structExpression: this.expr, fieldName, valueExpression: value.expr } } }));
  }
  /** This struct without the named fields (`'a.b'` reaches into a nested struct). */
  dropFields(...fieldNames: string[]): Column {
    if (fieldNames.length === 0) throw new InvalidOptionError('dropFields() needs at least one field name.', { option: 'fieldNames' });
    let e = this.expr;
    for (const fieldName of fieldNames) e = create(ExpressionSchema, { exprType: { case: 'updateFields', value: { structExpression: e, fieldName } } });
    return new Column(e);
  }
  /** `startPos` is 1-based; both may be Columns. */
  substr(startPos: ColumnOrValue, length: ColumnOrValue): Column { return callFunction('substr', [this, toColumn(startPos), toColumn(length)]); }
  bitwiseAND(other: ColumnOrValue): Column { return this.binary('&', other); }
  bitwiseOR(other: ColumnOrValue): Column { return this.binary('|', other); }
  bitwiseXOR(other: ColumnOrValue): Column { return this.binary('^', other); }
  /** `f(this)`: chains a Column-to-Column function, e.g. `col('x').transform(normalise)`. */
  transform(f: (c: Column) => Column): Column { return f(this); }

  toString(): string {
    return `Column<${describe(this.expr)}>`;
  }

  private caseWhenArgs(method: string): Column[] {
    const e = this.expr.exprType;
    if (e.case !== 'unresolvedFunction' || e.value.functionName !== 'when') {
      throw new SparkUsageError(`${method}() can only be applied to a column built with when(condition, value).`);
    }
    return e.value.arguments.map((a) => new Column(a));
  }

  private extract(key: unknown, method: string): Column {
    // PySpark refuses a Column here too: a computed index/key goes through element_at or expr.
    if (isColumn(key)) throw new InvalidOptionError(`${method}(key) takes a constant; for a computed key use functions.call('element_at', col, key) or expr('a[b]').`, { option: 'key' });
    return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedExtractValue', value: { child: this.expr, extraction: toColumn(key).expr } } }));
  }

  private binary(op: string, other: ColumnOrValue): Column {
    return callFunction(op, [this, toColumn(other)]);
  }

  private sortOrder(direction: SortDirection, nullOrdering: NullOrdering): Column {
    const child = this.expr.exprType.case === 'sortOrder' ? this.expr.exprType.value.child : this.expr;
    return new Column(create(ExpressionSchema, { exprType: { case: 'sortOrder', value: { child, direction, nullOrdering } } }));
  }
}

/** Builds an unresolved function call (resolved by name on the server). */
export function callFunction(name: string, args: ColumnOrValue[], isDistinct = false): Column {
  return new Column(
    create(ExpressionSchema, {
      exprType: { case: 'unresolvedFunction', value: { functionName: name, arguments: args.map((a) => toColumn(a).expr), isDistinct } },
    }),
  );
}

/** A sort key: a Column's own `.asc()`/`.desc()` order, otherwise ascending with nulls first (Spark's default). */
export function sortOrderOf(c: ColumnOrName): Expression_SortOrder {
  const e = toColumnFromName(c).toProto();
  if (e.exprType.case === 'sortOrder') return e.exprType.value;
  const asc = new Column(e).asc().toProto();
  return (asc.exprType as { value: Expression_SortOrder }).value;
}

/** A Column stays; anything else becomes `lit(value)`. */
export function toColumn(v: ColumnOrValue): Column {
  if (isColumn(v)) return v;
  return new Column(create(ExpressionSchema, { exprType: { case: 'literal', value: toLiteral(v) } }));
}

/** A Column stays; a string names a column (`col(name)`). */
export function toColumnFromName(v: ColumnOrName): Column {
  if (isColumn(v)) return v;
  if (typeof v !== 'string') throw new InvalidOptionError(`Expected a Column or a column name, got ${typeof v}.`, { option: 'col' });
  return v === '*'
    ? new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedStar', value: {} } }))
    : new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedAttribute', value: { unparsedIdentifier: v } } }));
}

const COLUMN_BRAND = Symbol.for('tsapply.spark.column');
Object.defineProperty(Column.prototype, COLUMN_BRAND, { value: true });

/** Brand check that works across copies of this library. */
export function isColumn(v: unknown): v is Column {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[COLUMN_BRAND] === true;
}

function describe(e: Expression): string {
  const t = e.exprType;
  switch (t.case) {
    case 'unresolvedAttribute':
      return t.value.unparsedIdentifier;
    case 'literal':
      return String(t.value.literalType.value);
    case 'unresolvedFunction':
      return `${t.value.functionName}(${t.value.arguments.map(describe).join(', ')})`;
    case 'alias':
      return `${t.value.expr ? describe(t.value.expr) : '?'} AS ${t.value.name.join(', ')}`;
    case 'cast':
      return `CAST(${t.value.expr ? describe(t.value.expr) : '?'} AS ${t.value.castToType.value})`;
    case 'expressionString':
      return t.value.expression;
    case 'unresolvedStar':
      return '*';
    case 'unresolvedExtractValue':
      return `${t.value.child ? describe(t.value.child) : '?'}[${t.value.extraction ? describe(t.value.extraction) : '?'}]`;
    case 'window':
      return `${t.value.windowFunction ? describe(t.value.windowFunction) : '?'} OVER (…)`;
    case 'sortOrder':
      return `${t.value.child ? describe(t.value.child) : '?'} ${t.value.direction === SortDirection.DESCENDING ? 'DESC' : 'ASC'}`;
    default:
      return t.case ?? '?';
  }
}
