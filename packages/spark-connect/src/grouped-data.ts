/** `df.groupBy(...)`: aggregations over groups, each returning a new DataFrame. */
import { InvalidOptionError } from '@tsapply/common';
import type { Expression, Expression_Literal } from './gen/spark/connect/expressions_pb.js';
import { toLiteral } from './literal.js';
import { Aggregate_GroupType } from './gen/spark/connect/relations_pb.js';
import { Column, callFunction, isColumn, toColumnFromName, type ColumnOrName } from './column.js';
import type { DataFrame } from './data-frame.js';
import { count as countAgg } from './functions/aggregates.js';

export class GroupedData {
  /** The DataFrame being grouped. */
  readonly df: DataFrame;
  /** Grouping expressions. */
  readonly groupingExpressions: Expression[];

  /** GROUPBY, ROLLUP, CUBE, GROUPING_SETS or PIVOT. */
  readonly groupType: Aggregate_GroupType;
  private readonly groupingSets: { groupingSet: Expression[] }[];
  private readonly pivotSpec: { col: Expression; values: Expression_Literal[] } | undefined;

  constructor(
    df: DataFrame,
    groupingExpressions: Expression[],
    groupType: Aggregate_GroupType = Aggregate_GroupType.GROUPBY,
    groupingSets: { groupingSet: Expression[] }[] = [],
    pivot?: { col: Expression; values: Expression_Literal[] },
  ) {
    this.df = df;
    this.groupingExpressions = groupingExpressions;
    this.groupType = groupType;
    this.groupingSets = groupingSets;
    this.pivotSpec = pivot;
  }

  /**
   * Turns the values of `col` into columns, one per value, for the aggregate that
   * follows: `df.groupBy('year').pivot('course', ['dotNET', 'Java']).sum('earnings')`.
   * Without `values` Spark first finds the distinct values (an extra job).
   */
  pivot(col: ColumnOrName, values?: unknown[]): GroupedData {
    if (this.groupType !== Aggregate_GroupType.GROUPBY) {
      throw new InvalidOptionError('pivot() follows groupBy() only (not rollup, cube or grouping sets), and only once.', { option: 'pivot' });
    }
    return new GroupedData(this.df, this.groupingExpressions, Aggregate_GroupType.PIVOT, [], {
      col: toColumnFromName(col).toProto(),
      values: (values ?? []).map((v) => toLiteral(v)),
    });
  }

  /** Aggregates: `agg(sum('x').alias('total'), count('*'))`, or `{ x: 'sum', y: 'max' }`. */
  agg(...exprs: Column[] | [Record<string, string>]): DataFrame {
    let cols: Column[];
    if (exprs.length === 1 && !isColumn(exprs[0]) && typeof exprs[0] === 'object' && exprs[0] !== null) {
      cols = Object.entries(exprs[0] as Record<string, string>).map(([name, fn]) =>
        callFunction(fn === 'mean' ? 'avg' : fn, [name === '*' ? 1 : toColumnFromName(name)]).alias(`${fn}(${name})`),
      );
    } else {
      cols = exprs as Column[];
    }
    if (cols.length === 0) throw new InvalidOptionError('agg() needs at least one aggregate expression.', { option: 'exprs' });
    return this.df.withRelation({
      case: 'aggregate',
      value: {
        input: this.df.relation,
        groupType: this.groupType,
        groupingExpressions: this.groupingExpressions,
        aggregateExpressions: cols.map((c) => c.toProto()),
        ...(this.pivotSpec ? { pivot: this.pivotSpec } : {}),
        groupingSets: this.groupingSets,
      },
    });
  }

  /** Rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.agg(countAgg('*').alias('count'));
  }
  sum(...cols: string[]): DataFrame { return this.simple('sum', cols); }
  avg(...cols: string[]): DataFrame { return this.simple('avg', cols); }
  mean(...cols: string[]): DataFrame { return this.simple('avg', cols); }
  min(...cols: string[]): DataFrame { return this.simple('min', cols); }
  max(...cols: string[]): DataFrame { return this.simple('max', cols); }

  private simple(fn: string, cols: ColumnOrName[]): DataFrame {
    if (cols.length === 0) throw new InvalidOptionError(`${fn}() needs at least one column name (numeric columns are not guessed).`, { option: 'cols' });
    return this.agg(...cols.map((c) => callFunction(fn, [toColumnFromName(c)]).alias(`${fn}(${String(c)})`)));
  }
}
