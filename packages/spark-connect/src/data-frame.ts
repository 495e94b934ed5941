/**
 * `DataFrame`: an immutable, lazy Spark plan. Every transform is synchronous and returns a
 * new DataFrame wrapping exactly one new relation with a fresh plan id; only actions
 * (`collect`, `count`, `toArrow`, …) talk to the server and are async.
 */
import * as arrow from 'apache-arrow';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { formatTable, InvalidOptionError, parseDDL, recordBatchToRows, toDDL, TsapplyError } from '@tsapply/common';
import { ExpressionSchema, SubqueryExpression_SubqueryType, type Expression, type Expression_SortOrder } from './gen/spark/connect/expressions_pb.js';
import { Aggregate_GroupType, Join_JoinType, RelationCommonSchema, RelationSchema, SetOperation_SetOpType, type Relation } from './gen/spark/connect/relations_pb.js';
import {
  AnalyzePlanRequest_Explain_ExplainMode as ExplainMode,
  type AnalyzePlanRequestSchema,
  type AnalyzePlanResponse,
  type ExecutePlanResponse,
  type PlanSchema,
} from './gen/spark/connect/base_pb.js';
import { Column, callFunction, isColumn, sortOrderOf, toColumn, toColumnFromName, type ColumnOrName } from './column.js';
import { DataFrameNaFunctions, type FillValue } from './data-frame-na.js';
import { DataFrameStatFunctions } from './data-frame-stat.js';
import { StorageLevel, fromStorageLevelMessage } from './storage-level.js';
import { GroupedData } from './grouped-data.js';
import { DataFrameWriter } from './data-frame-writer.js';
import { DataFrameWriterV2 } from './data-frame-writer-v2.js';
import { arrowBatches, type SchemaSink } from './arrow-results.js';
import { dataTypeSimpleString, structToSchemaDDL, unparsedType } from './data-types.js';
import type { ExecuteOptions } from './execute-stream.js';
import { fromLiteral } from './ml/params.js';
import type { SparkSession } from './spark-session.js';

/** The `rel_type` oneof of a Relation: what `withRelation` accepts. */
export type RelationType = NonNullable<MessageInitShape<typeof RelationSchema>['relType']>;

/** The join types `join()` accepts (PySpark's spellings). */
export const JOIN_TYPES: Record<string, Join_JoinType> = {
  inner: Join_JoinType.INNER,
  cross: Join_JoinType.CROSS,
  outer: Join_JoinType.FULL_OUTER,
  full: Join_JoinType.FULL_OUTER,
  fullouter: Join_JoinType.FULL_OUTER,
  full_outer: Join_JoinType.FULL_OUTER,
  left: Join_JoinType.LEFT_OUTER,
  leftouter: Join_JoinType.LEFT_OUTER,
  left_outer: Join_JoinType.LEFT_OUTER,
  right: Join_JoinType.RIGHT_OUTER,
  rightouter: Join_JoinType.RIGHT_OUTER,
  right_outer: Join_JoinType.RIGHT_OUTER,
  semi: Join_JoinType.LEFT_SEMI,
  leftsemi: Join_JoinType.LEFT_SEMI,
  left_semi: Join_JoinType.LEFT_SEMI,
  anti: Join_JoinType.LEFT_ANTI,
  leftanti: Join_JoinType.LEFT_ANTI,
  left_anti: Join_JoinType.LEFT_ANTI,
};

/** The schema of a DataFrame in both spellings. */
export interface DataFrameSchema {
  /** Arrow schema following the project's type mapping. */
  arrow: arrow.Schema;
  /** Spark DDL, e.g. `id bigint NOT NULL, name string`. */
  ddl: string;
  /**
   * Each top-level column's Spark metadata, parsed, for the columns that have any (Spark
   * ML's `ml_attr` feature names, comments): `{ features: { ml_attr: {…} } }`.
   */
  metadata: Record<string, Record<string, unknown>>;
}

export type ExplainModeName = 'simple' | 'extended' | 'codegen' | 'cost' | 'formatted';

/** A seed for sampling when none is given (PySpark draws one too). */
function randomSeed(): bigint {
  return BigInt(Math.floor(Math.random() * 2 ** 53));
}

export class DataFrame {
  readonly session: SparkSession;
  /** The root relation of this DataFrame's plan (has `common.planId` set). */
  readonly relation: Relation;

  /**
   * Wraps a relation. A relation without a plan id gets a fresh one from the session, so
   * other modules (mapInArrow) can build relations the client does not know about.
   */
  constructor(session: SparkSession, relation: Relation) {
    this.session = session;
    if (relation.common?.planId === undefined) {
      relation = create(RelationSchema, { ...relation, common: create(RelationCommonSchema, { sourceInfo: relation.common?.sourceInfo ?? '', planId: session.nextPlanId() }) });
    }
    this.relation = relation;
  }

  /** This DataFrame's plan id (of the root under a WithRelations wrapper, as PySpark's). */
  get planId(): bigint {
    const r = this.relation;
    return r.relType.case === 'withRelations' && r.relType.value.root ? r.relType.value.root.common!.planId! : r.common!.planId!;
  }

  /**
   * A new DataFrame whose root is a new relation of the given type (with a fresh plan id).
   * When its expressions hold subqueries (`scalar()`, `exists()`), it is wrapped, as PySpark
   * does, in a WithRelations relation that carries the subqueries' plans.
   */
  withRelation(relType: RelationType): DataFrame {
    const relation = create(RelationSchema, { relType, common: { planId: this.session.nextPlanId() } });
    // Most sessions make no subquery: then no node can hold one, and nothing is walked.
    const plans = SUBQUERY_PLANS.get(this.session);
    const ids = plans === undefined ? [] : subqueryPlanIds(relType.value);
    if (ids.length === 0) return new DataFrame(this.session, relation);
    const references = ids.map((id) => {
      const plan = plans!.get(id);
      if (!plan) throw new TsapplyError(`A subquery expression refers to plan ${id}, which no scalar() or exists() of this session made.`, { code: 'UNKNOWN_SUBQUERY' });
      return plan;
    });
    return new DataFrame(this.session, create(RelationSchema, { relType: { case: 'withRelations', value: { root: relation, references } }, common: { planId: this.session.nextPlanId() } }));
  }

  /**
   * This DataFrame as a scalar subquery: a Column holding the value of its single row and
   * column, e.g. `cars.select('name', cars.agg(F.max('hp')).scalar().alias('max_hp'))`. Inside,
   * columns of the outer DataFrame (by qualified name after `alias()`) make it correlated.
   * Spark refuses one with more than one column; more than one row fails when it runs.
   */
  scalar(): Column {
    return this.subquery(SubqueryExpression_SubqueryType.SCALAR);
  }
  /**
   * A Column that is true when this DataFrame has at least one row: SQL's EXISTS (subquery),
   * e.g. `c.where(o.where(col('o.cid').eq(col('c.id'))).exists())` with `alias`ed DataFrames.
   */
  exists(): Column {
    return this.subquery(SubqueryExpression_SubqueryType.EXISTS);
  }
  private subquery(subqueryType: SubqueryExpression_SubqueryType): Column {
    let plans = SUBQUERY_PLANS.get(this.session);
    if (!plans) SUBQUERY_PLANS.set(this.session, (plans = new Map()));
    plans.set(this.planId, this.relation);
    return new Column(create(ExpressionSchema, { exprType: { case: 'subqueryExpression', value: { planId: this.planId, subqueryType } } }));
  }

  // ---- transforms ---------------------------------------------------------------------

  /** A column of this DataFrame, bound to it by plan id (disambiguates joins). */
  col(name: string): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedAttribute', value: { unparsedIdentifier: name, planId: this.planId } } }));
  }

  /**
   * A hidden metadata column of this DataFrame's source, such as a file source's `_metadata`
   * struct (`file_path`, `file_size`, …), bound to it by plan id; PySpark's `metadataColumn`.
   */
  metadataColumn(name: string): Column {
    return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedAttribute', value: { unparsedIdentifier: name, planId: this.planId, isMetadataColumn: true } } }));
  }

  /**
   * The columns of this DataFrame whose names match the Java regex `colName`, as one Column
   * to `select`: `df.select(df.colRegex('`(mpg|hp)`'))`. As in PySpark, the regex is written
   * inside backticks; without them the name is taken literally (an ordinary column).
   */
  colRegex(colName: string): Column {
    if (typeof colName !== 'string' || colName === '') throw new InvalidOptionError('colRegex(colName) needs a regex in backticks, such as \'`(mpg|hp)`\'.', { option: 'colName' });
    return new Column(create(ExpressionSchema, { exprType: { case: 'unresolvedRegex', value: { colName, planId: this.planId } } }));
  }

  select(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const list = cols.flat().map(toColumnFromName);
    return this.withRelation({ case: 'project', value: { input: this.relation, expressions: list.map((c) => c.toProto()) } });
  }

  /** SQL expressions: `selectExpr('a + 1 AS b')`. */
  selectExpr(...exprs: string[]): DataFrame {
    return this.withRelation({
      case: 'project',
      value: { input: this.relation, expressions: exprs.map((e) => create(ExpressionSchema, { exprType: { case: 'expressionString', value: { expression: e } } })) },
    });
  }

  /** Keeps rows where `condition` (a Column or a SQL string) is true. */
  filter(condition: Column | string): DataFrame {
    const expr = typeof condition === 'string' ? create(ExpressionSchema, { exprType: { case: 'expressionString', value: { expression: condition } } }) : condition.toProto();
    return this.withRelation({ case: 'filter', value: { input: this.relation, condition: expr } });
  }
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  withColumn(name: string, value: Column): DataFrame {
    return this.withColumns({ [name]: value });
  }

  withColumns(columns: Record<string, Column>): DataFrame {
    const aliases = Object.entries(columns).map(([name, c]) => ({ expr: c.toProto(), name: [name] }));
    return this.withRelation({ case: 'withColumns', value: { input: this.relation, aliases } });
  }

  /**
   * Replaces the metadata of column `columnName` (Spark's column metadata, a JSON object:
   * `{ comment: '…' }`, ML attributes); the values are unchanged. `schema().metadata` reads it back.
   */
  withMetadata(columnName: string, metadata: Record<string, unknown>): DataFrame {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new InvalidOptionError(`withMetadata(columnName, metadata) needs metadata as a plain object such as { comment: 'in kg' }, got ${Array.isArray(metadata) ? 'an array' : String(metadata)}.`, { option: 'metadata' });
    }
    return this.withRelation({
      case: 'withColumns',
      value: { input: this.relation, aliases: [{ expr: this.col(columnName).toProto(), name: [columnName], metadata: JSON.stringify(metadata) }] },
    });
  }

  /**
   * Adds a column `indexColName` (default `index`) numbering the rows 0, 1, 2, … in their
   * current order across partitions (Spark's `distributed_sequence_id`), as PySpark's
   * `zipWithIndex`; the numbering is consecutive without gaps, unlike
   * `monotonically_increasing_id()`.
   */
  zipWithIndex(indexColName = 'index'): DataFrame {
    return this.select(toColumnFromName('*'), callFunction('distributed_sequence_id', []).alias(indexColName));
  }

  withColumnRenamed(existing: string, newName: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: newName });
  }

  withColumnsRenamed(renames: Record<string, string>): DataFrame {
    return this.withRelation({
      case: 'withColumnsRenamed',
      value: { input: this.relation, renames: Object.entries(renames).map(([colName, newColName]) => ({ colName, newColName })) },
    });
  }

  drop(...cols: ColumnOrName[]): DataFrame {
    const names = cols.filter((c): c is string => typeof c === 'string');
    const exprs = cols.filter(isColumn).map((c) => c.toProto());
    return this.withRelation({ case: 'drop', value: { input: this.relation, columnNames: names, columns: exprs } });
  }

  groupBy(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map((c) => toColumnFromName(c).toProto()));
  }
  groupby(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return this.groupBy(...cols);
  }

  /** Aggregates over the whole DataFrame. */
  agg(...exprs: Column[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  /** Sorts globally; strings are ascending column names, Columns may be `.desc()`. */
  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    return this.withRelation({ case: 'sort', value: { input: this.relation, order: cols.flat().map(sortOrderOf), isGlobal: true } });
  }
  sort(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new InvalidOptionError(`limit(n) needs an integer from 0 to 2147483647, got ${n}.`, { option: 'n' });
    return this.withRelation({ case: 'limit', value: { input: this.relation, limit: n } });
  }

  distinct(): DataFrame {
    return this.withRelation({ case: 'deduplicate', value: { input: this.relation, allColumnsAsKeys: true } });
  }

  dropDuplicates(subset?: string[]): DataFrame {
    if (!subset) return this.distinct();
    return this.withRelation({ case: 'deduplicate', value: { input: this.relation, columnNames: subset } });
  }

  /**
   * Joins with `other`. `on`: a column name or names (equi-join, one output column each) or a
   * Column condition. `how`: one of `JOIN_TYPES` (default `inner`).
   */
  join(other: DataFrame, on?: string | string[] | Column, how = 'inner'): DataFrame {
    const joinType = JOIN_TYPES[how.toLowerCase()];
    if (joinType === undefined) {
      throw new InvalidOptionError(`Unsupported join type "${how}". Valid values: ${Object.keys(JOIN_TYPES).join(', ')}.`, { option: 'how' });
    }
    const value: Record<string, unknown> = { left: this.relation, right: other.relation, joinType };
    if (typeof on === 'string') value.usingColumns = [on];
    else if (Array.isArray(on)) value.usingColumns = on;
    else if (on !== undefined) value.joinCondition = on.toProto();
    return this.withRelation({ case: 'join', value } as RelationType);
  }

  /**
   * A top-K ranking join: for each row of this DataFrame, up to `numResults` (1 to 100000)
   * rows of `other` ranked by `rankingExpression`, smallest first for `direction: 'distance'`,
   * largest first for `'similarity'`. `mode: 'exact'` evaluates every pair (the expression must
   * be deterministic); `'approx'` lets Spark use an approximate strategy. `joinType`: `inner`
   * (default) or `leftouter`, which keeps left rows without matches. Ties are broken
   * arbitrarily. PySpark passes `joinType` as a keyword argument; here it is an option.
   */
  nearestByJoin(
    other: DataFrame,
    rankingExpression: Column,
    numResults: number,
    mode: 'approx' | 'exact',
    direction: 'distance' | 'similarity',
    options: { joinType?: 'inner' | 'leftouter' | 'left_outer' | 'left' } = {},
  ): DataFrame {
    const { joinType = 'inner' } = options;
    if (!isColumn(rankingExpression)) throw new InvalidOptionError('nearestByJoin(other, rankingExpression, …) needs rankingExpression as a Column, such as F.abs(a.col(\'x\').minus(b.col(\'y\'))).', { option: 'rankingExpression' });
    if (!Number.isInteger(numResults) || numResults < 1 || numResults > 100000) throw new InvalidOptionError(`nearestByJoin(…, numResults, …) needs an integer from 1 to 100000, got ${numResults}.`, { option: 'numResults' });
    if (mode !== 'approx' && mode !== 'exact') throw new InvalidOptionError(`nearestByJoin(…, mode, …): mode must be 'approx' or 'exact', got ${JSON.stringify(mode)}.`, { option: 'mode' });
    if (direction !== 'distance' && direction !== 'similarity') throw new InvalidOptionError(`nearestByJoin(…, direction): direction must be 'distance' or 'similarity', got ${JSON.stringify(direction)}.`, { option: 'direction' });
    if (!['inner', 'leftouter', 'left_outer', 'left'].includes(joinType)) throw new InvalidOptionError(`nearestByJoin(): options.joinType must be 'inner' or 'leftouter', got ${JSON.stringify(joinType)}.`, { option: 'joinType' });
    return this.withRelation({
      case: 'nearestByJoin',
      value: { left: this.relation, right: other.relation, rankingExpression: rankingExpression.toProto(), numResults, joinType, mode, direction },
    });
  }

  /**
   * This DataFrame's columns followed by `other`'s, row by row. Both must derive from the
   * same source through projections only (`select`, `withColumn`, …; filters, sorts and
   * joins below them identical); otherwise Spark refuses with an AnalysisException.
   */
  zip(other: DataFrame): DataFrame {
    return this.withRelation({ case: 'zip', value: { left: this.relation, right: other.relation } });
  }

  /**
   * A lateral join: `other` is evaluated for each row of this DataFrame and may refer to its
   * columns (by qualified name after `alias()`, optionally marked `.outer()`), as SQL's
   * `FROM t, LATERAL (…)`. `how`: `inner` (default), `left`/`leftouter`/`left_outer` (keeps
   * rows for which `other` is empty) or `cross`; `on` an optional join condition.
   */
  lateralJoin(other: DataFrame, on?: Column, how = 'inner'): DataFrame {
    const types: Record<string, Join_JoinType> = { inner: Join_JoinType.INNER, left: Join_JoinType.LEFT_OUTER, leftouter: Join_JoinType.LEFT_OUTER, cross: Join_JoinType.CROSS };
    const joinType = types[String(how).toLowerCase().replace(/_/g, '')];
    if (joinType === undefined) throw new InvalidOptionError(`Unsupported lateral join type "${how}". Valid values: inner, left, leftouter, left_outer, cross.`, { option: 'how' });
    if (on !== undefined && !isColumn(on)) throw new InvalidOptionError('lateralJoin(other, on): on must be a Column condition.', { option: 'on' });
    return this.withRelation({ case: 'lateralJoin', value: { left: this.relation, right: other.relation, joinType, ...(on !== undefined ? { joinCondition: on.toProto() } : {}) } });
  }

  crossJoin(other: DataFrame): DataFrame {
    return this.join(other, undefined, 'cross');
  }

  /** UNION ALL by position (PySpark's `union`; use `.distinct()` for SQL UNION). */
  union(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.UNION, { isAll: true, byName: false });
  }
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }
  /** UNION ALL by column name; `allowMissingColumns` fills absent columns with null. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.UNION, { isAll: true, byName: true, allowMissingColumns });
  }
  intersect(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.INTERSECT, { isAll: false });
  }
  subtract(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.EXCEPT, { isAll: false });
  }

  /**
   * Round-robin into `n` partitions, or hash-partitions by `cols` (into `n`, or into
   * `spark.sql.shuffle.partitions` when only columns are given: `repartition('k')`, as in PySpark).
   */
  repartition(n?: number, ...cols: ColumnOrName[]): DataFrame;
  repartition(...cols: ColumnOrName[]): DataFrame;
  repartition(n?: number | ColumnOrName, ...cols: ColumnOrName[]): DataFrame {
    if (n !== undefined && typeof n !== 'number') return this.repartition(undefined, n, ...cols);
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new InvalidOptionError(`repartition(n) needs a positive integer, got ${n}.`, { option: 'n' });
    if (cols.length > 0 || n === undefined) {
      return this.withRelation({
        case: 'repartitionByExpression',
        value: { input: this.relation, partitionExprs: cols.map((c) => toColumnFromName(c).toProto()), ...(n !== undefined ? { numPartitions: n } : {}) },
      });
    }
    return this.withRelation({ case: 'repartition', value: { input: this.relation, numPartitions: n, shuffle: true } });
  }

  /**
   * Range-partitions by `cols` (ascending unless a column says `.desc()`): rows are sorted by
   * them and cut into `n` partitions of contiguous ranges (or `spark.sql.shuffle.partitions`
   * when only columns are given), from a sample of the data, as PySpark's `repartitionByRange`.
   */
  repartitionByRange(n: number, ...cols: ColumnOrName[]): DataFrame;
  repartitionByRange(...cols: ColumnOrName[]): DataFrame;
  repartitionByRange(n: number | ColumnOrName, ...cols: ColumnOrName[]): DataFrame {
    if (typeof n !== 'number') return this.rangePartitioned(undefined, [n, ...cols]);
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`repartitionByRange(n, ...cols) needs n as a positive integer, got ${n}.`, { option: 'n' });
    return this.rangePartitioned(n, cols);
  }

  /**
   * Sends each row to the partition whose number `partitionIdCol` (an integer column) gives,
   * modulo `n`; a null goes to partition 0. No hashing: the caller chooses the placement.
   */
  repartitionById(n: number, partitionIdCol: ColumnOrName): DataFrame {
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`repartitionById(n, partitionIdCol) needs n as a positive integer, got ${n}.`, { option: 'n' });
    const id = create(ExpressionSchema, { exprType: { case: 'directShufflePartitionId', value: { child: toColumnFromName(partitionIdCol).toProto() } } });
    return this.withRelation({ case: 'repartitionByExpression', value: { input: this.relation, partitionExprs: [id], numPartitions: n } });
  }

  private rangePartitioned(n: number | undefined, cols: ColumnOrName[]): DataFrame {
    if (cols.length === 0) throw new InvalidOptionError('repartitionByRange needs at least one column to order the ranges by, e.g. repartitionByRange(4, \'weight\').', { option: 'cols' });
    const partitionExprs = cols.map((c) => create(ExpressionSchema, { exprType: { case: 'sortOrder', value: sortOrderOf(c) } }));
    return this.withRelation({ case: 'repartitionByExpression', value: { input: this.relation, partitionExprs, ...(n !== undefined ? { numPartitions: n } : {}) } });
  }

  coalesce(n: number): DataFrame {
    return this.withRelation({ case: 'repartition', value: { input: this.relation, numPartitions: n, shuffle: false } });
  }

  alias(name: string): DataFrame {
    return this.withRelation({ case: 'subqueryAlias', value: { input: this.relation, alias: name } });
  }

  toDF(...names: string[]): DataFrame {
    return this.withRelation({ case: 'toDf', value: { input: this.relation, columnNames: names } });
  }

  /** Missing values: `df.na.fill(0)`, `df.na.drop()`, `df.na.replace(…)`. */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this);
  }
  /** Statistics: `df.stat.corr('a', 'b')`, `df.stat.approxQuantile(…)`, `df.stat.crosstab(…)`. */
  get stat(): DataFrameStatFunctions {
    return new DataFrameStatFunctions(this);
  }
  /** The session this DataFrame belongs to (PySpark's name for `session`). */
  get sparkSession(): SparkSession {
    return this.session;
  }

  fillna(value: FillValue | Record<string, FillValue>, subset?: string | string[]): DataFrame {
    return this.na.fill(value, subset);
  }
  dropna(how: 'any' | 'all' = 'any', thresh?: number, subset?: string | string[]): DataFrame {
    return this.na.drop(how, thresh, subset);
  }
  replace(...args: Parameters<DataFrameNaFunctions['replace']>): DataFrame {
    return this.na.replace(...args);
  }
  corr(col1: string, col2: string, method?: string): Promise<number> {
    return this.stat.corr(col1, col2, method);
  }
  cov(col1: string, col2: string): Promise<number> {
    return this.stat.cov(col1, col2);
  }
  crosstab(col1: string, col2: string): DataFrame {
    return this.stat.crosstab(col1, col2);
  }
  freqItems(cols: string[], support?: number): DataFrame {
    return this.stat.freqItems(cols, support);
  }
  sampleBy(...args: Parameters<DataFrameStatFunctions['sampleBy']>): DataFrame {
    return this.stat.sampleBy(...args);
  }
  approxQuantile(col: string, probabilities: number[], relativeError: number): Promise<number[]>;
  approxQuantile(col: string[], probabilities: number[], relativeError: number): Promise<number[][]>;
  approxQuantile(col: string | string[], probabilities: number[], relativeError: number): Promise<number[] | number[][]> {
    return this.stat.approxQuantile(col as string, probabilities, relativeError);
  }

  /**
   * A random sample: `sample(0.1)`, `sample(0.1, 42)` (seeded) or
   * `sample({ fraction, withReplacement, seed })`. The fraction is each row's chance, not an exact size.
   */
  sample(fractionOrOptions: number | { fraction: number; withReplacement?: boolean; seed?: number | bigint }, seed?: number | bigint): DataFrame {
    const o = typeof fractionOrOptions === 'number' ? { fraction: fractionOrOptions, seed } : fractionOrOptions;
    const { fraction, withReplacement = false } = o;
    if (typeof fraction !== 'number' || !(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new InvalidOptionError(`sample(): fraction must be ${withReplacement ? '≥ 0' : 'from 0 to 1 (use withReplacement: true for more)'}, got ${String(fraction)}.`, { option: 'fraction' });
    }
    return this.withRelation({
      case: 'sample',
      value: { input: this.relation, lowerBound: 0, upperBound: fraction, withReplacement, seed: BigInt(o.seed ?? randomSeed()), deterministicOrder: false },
    });
  }

  /**
   * Splits the rows at random in proportion to `weights` (normalised to sum to 1), e.g.
   * `const [train, test] = df.randomSplit([0.8, 0.2], 42)`. The same seed gives the same
   * split; every row lands in exactly one part.
   */
  randomSplit(weights: number[], seed?: number | bigint): DataFrame[] {
    if (!Array.isArray(weights) || weights.length === 0 || weights.some((w) => typeof w !== 'number' || !(w > 0) || !Number.isFinite(w))) {
      throw new InvalidOptionError(`randomSplit(weights): weights must be positive numbers, such as [0.8, 0.2]; got ${JSON.stringify(weights)}.`, { option: 'weights' });
    }
    const total = weights.reduce((a, b) => a + b, 0);
    const s = BigInt(seed ?? randomSeed());
    let lower = 0;
    return weights.map((w, i) => {
      const upper = i === weights.length - 1 ? 1 : lower + w / total;
      // Sorting each partition first makes the split reproducible whatever order rows arrive in.
      const part = this.withRelation({ case: 'sample', value: { input: this.relation, lowerBound: lower, upperBound: upper, withReplacement: false, seed: s, deterministicOrder: true } });
      lower = upper;
      return part;
    });
  }

  /** Skips the first `n` rows. */
  offset(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new InvalidOptionError(`offset(n) needs an integer from 0 to 2147483647, got ${n}.`, { option: 'n' });
    return this.withRelation({ case: 'offset', value: { input: this.relation, offset: n } });
  }

  /** Sorts within each partition only (no shuffle), e.g. before writing sorted files. */
  sortWithinPartitions(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    return this.withRelation({ case: 'sort', value: { input: this.relation, order: cols.flat().map(sortOrderOf), isGlobal: false } });
  }

  /** An optimizer hint: `hint('broadcast')`, `hint('repartition', 8)`. */
  hint(name: string, ...parameters: unknown[]): DataFrame {
    if (typeof name !== 'string' || name === '') throw new InvalidOptionError('hint(name, …) needs the hint\'s name, such as \'broadcast\'.', { option: 'name' });
    return this.withRelation({ case: 'hint', value: { input: this.relation, name, parameters: parameters.flat().map((p) => toColumn(p).toProto()) } });
  }

  /** `fn(this, …args)`: chains a DataFrame-to-DataFrame function, e.g. `df.transform(cleanNames)`. */
  transform<A extends unknown[]>(fn: (df: DataFrame, ...args: A) => DataFrame, ...args: A): DataFrame {
    if (typeof fn !== 'function') throw new InvalidOptionError('transform(fn) needs a function (df) => DataFrame.', { option: 'fn' });
    return fn(this, ...args);
  }

  /**
   * This DataFrame with `schema`'s columns: picked by name in the schema's order and cast to
   * its types (nested structs too); a column the schema has and this DataFrame lacks is all
   * null if the schema lets it be, else refused, as is a type that cannot be stored safely or
   * a nullable column the schema declares NOT NULL (Spark's `to`, with Spark's errors). `schema` is Spark DDL (`'mpg double, name string'`) or an
   * Arrow schema such as `(await df.schema()).arrow`; PySpark takes a StructType.
   */
  to(schema: string | arrow.Schema): DataFrame {
    let ddl: string;
    if (typeof schema === 'string' && schema.trim() !== '') ddl = schema;
    else if (schema !== null && typeof schema === 'object' && Array.isArray((schema as arrow.Schema).fields)) ddl = toDDL(schema as arrow.Schema);
    else throw new InvalidOptionError(`to(schema) needs Spark DDL such as 'a int, b string' or an Arrow schema, got ${schema === '' ? 'an empty string' : String(schema)}.`, { option: 'schema' });
    return this.withRelation({ case: 'toSchema', value: { input: this.relation, schema: unparsedType(ddl) } });
  }

  /**
   * Swaps rows and columns: the values of `indexColumn` (default: the first column) become
   * the column names, and each other column becomes a row whose first column (named `key`)
   * holds its old name. The other columns must share a type Spark can widen them to.
   */
  transpose(indexColumn?: ColumnOrName): DataFrame {
    const indexColumns = indexColumn === undefined ? [] : [toColumnFromName(indexColumn).toProto()];
    return this.withRelation({ case: 'transpose', value: { input: this.relation, indexColumns } });
  }

  /**
   * Computes the aggregate `exprs` (`F.count(lit(1)).alias('rows')`, `F.max('hp')`, …) over
   * the rows that pass through this point of the plan while an action runs, at no extra pass
   * over the data. Read them after an action on the returned DataFrame, or on one built from
   * it, with `observedMetrics()`. PySpark takes an Observation object or a name; here the
   * returned DataFrame plays the Observation's part. Metrics arrive only through tsapply's
   * result actions (`collect`, `count`, `toArrow`, …), not through writes.
   */
  observe(name: string, ...exprs: Column[]): ObservedDataFrame {
    if (typeof name !== 'string' || name === '') throw new InvalidOptionError('observe(name, ...exprs) needs a non-empty name for the metrics.', { option: 'name' });
    if (exprs.length === 0 || !exprs.every(isColumn)) throw new InvalidOptionError(`observe('${name}', ...exprs) needs at least one aggregate Column, such as F.count(lit(1)).alias('rows').`, { option: 'exprs' });
    const relation = create(RelationSchema, {
      relType: { case: 'collectMetrics', value: { input: this.relation, name, metrics: exprs.map((e) => e.toProto()) } },
      common: { planId: this.session.nextPlanId() },
    });
    return new ObservedDataFrame(this.session, relation, name);
  }

  /**
   * Wide to long: keeps `ids` and turns `values` (default: every other column) into rows
   * of (`variableColumnName`, `valueColumnName`).
   */
  unpivot(ids: ColumnOrName | ColumnOrName[], values: ColumnOrName | ColumnOrName[] | null, variableColumnName: string, valueColumnName: string): DataFrame {
    const list = (v: ColumnOrName | ColumnOrName[]) => [v].flat().map((c) => toColumnFromName(c).toProto());
    return this.withRelation({
      case: 'unpivot',
      value: { input: this.relation, ids: list(ids), ...(values === null ? {} : { values: { values: list(values) } }), variableColumnName, valueColumnName },
    });
  }
  /** Same as `unpivot`. */
  melt(ids: ColumnOrName | ColumnOrName[], values: ColumnOrName | ColumnOrName[] | null, variableColumnName: string, valueColumnName: string): DataFrame {
    return this.unpivot(ids, values, variableColumnName, valueColumnName);
  }

  /** Rows in this DataFrame and not in `other`, keeping duplicates (EXCEPT ALL). */
  exceptAll(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.EXCEPT, { isAll: true });
  }
  /** Rows in both, keeping duplicates (INTERSECT ALL). */
  intersectAll(other: DataFrame): DataFrame {
    return this.setOp(other, SetOperation_SetOpType.INTERSECT, { isAll: true });
  }

  /** Groups by every combination of prefixes of `cols` (subtotals), as SQL's ROLLUP. */
  rollup(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map((c) => toColumnFromName(c).toProto()), Aggregate_GroupType.ROLLUP);
  }
  /** Groups by every combination of `cols`, as SQL's CUBE. */
  cube(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map((c) => toColumnFromName(c).toProto()), Aggregate_GroupType.CUBE);
  }
  /** Groups by each of `groupingSets` (lists of columns among `cols`), as SQL's GROUPING SETS. */
  groupingSets(groupingSets: ColumnOrName[][], ...cols: ColumnOrName[]): GroupedData {
    const sets = groupingSets.map((set) => ({ groupingSet: set.map((c) => toColumnFromName(c).toProto()) }));
    return new GroupedData(this, cols.map((c) => toColumnFromName(c).toProto()), Aggregate_GroupType.GROUPING_SETS, sets);
  }

  /**
   * count, mean, stddev, min and max of `cols` (default: every numeric and string
   * column), as a DataFrame of strings.
   */
  describe(...cols: (string | string[])[]): DataFrame {
    return this.withRelation({ case: 'describe', value: { input: this.relation, cols: cols.flat() } });
  }
  /** Like `describe`, with the statistics you name (`'count'`, `'mean'`, `'25%'`, `'approx_count_distinct'`, …; default adds quartiles). */
  summary(...statistics: string[]): DataFrame {
    return this.withRelation({ case: 'summary', value: { input: this.relation, statistics } });
  }

  /** Writes to a catalog table with PySpark's DataFrameWriterV2: `await df.writeTo('t').using('parquet').create()`. */
  writeTo(table: string): DataFrameWriterV2 {
    return new DataFrameWriterV2(this, table);
  }

  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }

  // ---- actions ------------------------------------------------------------------------

  /** Raw ExecutePlan responses of this DataFrame's plan (reattachable, released at the end). */
  executeResponses(options?: ExecuteOptions): AsyncGenerator<ExecutePlanResponse> {
    return keepMetrics(this, this.session.executePlan({ opType: { case: 'root', value: this.relation } }, options));
  }

  /**
   * What the server reported about the latest action on this DataFrame: its operation id,
   * the physical plan's SQL metrics (rows output, time, …; empty until the action has read
   * all results) and the observed metrics (`observe()`), by name; undefined before any action.
   * Actions that run a derived plan (`count`, `take`, `first`, `tail`, `show`) report here too,
   * unlike PySpark, which leaves them on the derived DataFrame.
   */
  get executionInfo(): ExecutionInfo | undefined {
    return EXECUTION_INFO.get(this);
  }
  /** Runs an action on a plan derived from this one (`limit`, `count`, …) and reports its execution info here. */
  private async through<T>(derived: DataFrame, action: (d: DataFrame) => Promise<T>): Promise<T> {
    const result = await action(derived);
    const info = EXECUTION_INFO.get(derived);
    if (info) EXECUTION_INFO.set(this, info);
    return result;
  }

  async schema(): Promise<DataFrameSchema> {
    const r = await this.analyze({ case: 'schema', value: { plan: this.plan() } });
    if (r.case !== 'schema' || !r.value.schema) throw new TsapplyError('The Spark server answered AnalyzePlan without a schema.', { code: 'SPARK_UNEXPECTED_RESPONSE' });
    const ddl = structToSchemaDDL(r.value.schema);
    const fields = r.value.schema.kind.case === 'struct' ? r.value.schema.kind.value.fields : [];
    const metadata = Object.fromEntries(fields.filter((f) => f.metadata !== undefined && f.metadata !== '' && f.metadata !== '{}').map((f) => [f.name, JSON.parse(f.metadata!) as Record<string, unknown>]));
    return { ddl, arrow: parseDDL(ddl), metadata };
  }

  async columns(): Promise<string[]> {
    return (await this.schema()).arrow.fields.map((f) => f.name);
  }

  /** The query plan as text (`mode` as in PySpark; default `simple`). */
  async explain(mode: ExplainModeName | boolean = 'simple'): Promise<string> {
    const modes: Record<ExplainModeName, ExplainMode> = {
      simple: ExplainMode.SIMPLE,
      extended: ExplainMode.EXTENDED,
      codegen: ExplainMode.CODEGEN,
      cost: ExplainMode.COST,
      formatted: ExplainMode.FORMATTED,
    };
    const name: ExplainModeName = mode === true ? 'extended' : mode === false ? 'simple' : mode;
    const explainMode = modes[name];
    if (explainMode === undefined) throw new InvalidOptionError(`Unknown explain mode "${String(mode)}". Valid values: ${Object.keys(modes).join(', ')}.`, { option: 'mode' });
    const r = await this.analyze({ case: 'explain', value: { plan: this.plan(), explainMode } });
    return r.case === 'explain' ? r.value.explainString : '';
  }

  /** Number of rows. */
  async count(): Promise<number> {
    const rows = await this.through(this.groupBy().count(), (d) => d.collect());
    const n = rows[0]?.count;
    return typeof n === 'bigint' ? Number(n) : Number(n ?? 0);
  }

  /** Streams the result as Arrow RecordBatches without holding the whole result. */
  async *toLocalIterator(options?: ExecuteOptions): AsyncGenerator<arrow.RecordBatch> {
    yield* arrowBatches(this.executeResponses(options));
  }

  [Symbol.asyncIterator](): AsyncGenerator<arrow.RecordBatch> {
    return this.toLocalIterator();
  }

  /** The whole result as an apache-arrow Table. */
  async toArrow(options?: ExecuteOptions): Promise<arrow.Table> {
    const sink: SchemaSink = {};
    const batches: arrow.RecordBatch[] = [];
    for await (const b of arrowBatches(this.executeResponses(options), sink)) batches.push(b);
    if (batches.length > 0) return new arrow.Table(batches);
    return new arrow.Table(sink.schema ?? (await this.schema()).arrow);
  }

  /** All rows as plain objects, values per the project's type mapping (bigint for long, …). */
  async collect(options?: ExecuteOptions): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    for await (const b of arrowBatches(this.executeResponses(options))) {
      for (const row of recordBatchToRows(b)) rows.push(row);
    }
    return rows;
  }

  /** First `n` rows as objects. */
  async take(n: number): Promise<Record<string, unknown>[]> {
    return this.through(this.limit(n), (d) => d.collect());
  }
  async head(n = 1): Promise<Record<string, unknown>[]> {
    return this.take(n);
  }

  /** The first `n` rows formatted as a table (what `show()` prints). */
  async showString(n = 20, truncate: boolean | number = true): Promise<string> {
    const table = await this.through(this.limit(n + 1), (d) => d.toArrow());
    const names = table.schema.fields.map((f) => f.name);
    const rows: unknown[][] = [];
    for (const batch of table.batches) for (const r of recordBatchToRows(batch)) rows.push(names.map((k) => r[k]));
    return formatTable(names, rows, { truncate, maxRows: n, types: table.schema.fields.map((f) => f.type) });
  }

  /** Prints the first `n` rows (default 20); `truncate` cuts cells at 20 chars (or N). */
  async show(n = 20, truncate: boolean | number = true): Promise<void> {
    process.stdout.write((await this.showString(n, truncate)) + '\n');
  }

  /** The first row, or undefined when there is none. */
  async first(): Promise<Record<string, unknown> | undefined> {
    return (await this.head(1))[0];
  }

  /** Whether there are no rows (reads at most one). */
  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  /** The last `n` rows (all of them cross to the driver's side of Spark first: keep `n` small). */
  async tail(n: number): Promise<Record<string, unknown>[]> {
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new InvalidOptionError(`tail(n) needs an integer from 0 to 2147483647, got ${n}.`, { option: 'n' });
    return this.through(this.withRelation({ case: 'tail', value: { input: this.relation, limit: n } }), (d) => d.collect());
  }

  /** Each row as a JSON string, in one column named `value` (PySpark's toJSON). */
  toJSON(): DataFrame {
    return this.select(callFunction('to_json', [callFunction('struct', [toColumnFromName('*')])]).alias('value'));
  }

  /** Column names and Spark type names, as PySpark's `dtypes`: `[['id', 'bigint'], …]`. */
  async dtypes(): Promise<[string, string][]> {
    const schema = await this.analyze({ case: 'schema', value: { plan: this.plan() } });
    if (schema.case !== 'schema' || !schema.value.schema) return [];
    const struct = schema.value.schema.kind;
    if (struct.case !== 'struct') return [];
    return struct.value.fields.map((f) => [f.name, f.dataType ? dataTypeSimpleString(f.dataType) : 'void']);
  }

  /** The schema as Spark's tree (`root\n |-- id: long (nullable = false)`), as PySpark's printSchema prints it. */
  async schemaTreeString(level?: number): Promise<string> {
    const r = await this.analyze({ case: 'treeString', value: { plan: this.plan(), ...(level !== undefined ? { level } : {}) } });
    return r.case === 'treeString' ? r.value.treeString : '';
  }
  /** Prints the schema as a tree, down to `level` nested levels (default: all). */
  async printSchema(level?: number): Promise<void> {
    process.stdout.write(`${await this.schemaTreeString(level)}\n`);
  }

  /** Keeps the result in memory (and on disk if it does not fit) after the next action computes it. */
  async cache(): Promise<DataFrame> {
    return this.persist(StorageLevel.MEMORY_AND_DISK_DESER);
  }
  /** Keeps the result at `level` (default MEMORY_AND_DISK_DESER) once computed. */
  async persist(level: StorageLevel = StorageLevel.MEMORY_AND_DISK_DESER): Promise<DataFrame> {
    await this.analyze({ case: 'persist', value: { relation: this.relation, storageLevel: level } });
    return this;
  }
  /** Drops the cached result; `blocking` waits until its blocks are freed. */
  async unpersist(blocking = false): Promise<DataFrame> {
    await this.analyze({ case: 'unpersist', value: { relation: this.relation, blocking } });
    return this;
  }
  /** How this DataFrame is cached (`StorageLevel.NONE` when it is not). */
  async storageLevel(): Promise<StorageLevel> {
    const r = await this.analyze({ case: 'getStorageLevel', value: { relation: this.relation } });
    return fromStorageLevelMessage(r.case === 'getStorageLevel' ? r.value.storageLevel : undefined);
  }
  /** Whether this DataFrame is cached at any storage level (PySpark's `is_cached`). */
  async isCached(): Promise<boolean> {
    const l = await this.storageLevel();
    return l.useDisk || l.useMemory || l.useOffHeap;
  }
  /**
   * Computes this DataFrame (now when `eager`, else at its first action) and saves it to the
   * checkpoint directory (`spark.checkpoint.dir` on the server, which must be set); returns a
   * DataFrame that reads the saved data, so its plan no longer holds this one's lineage. The
   * server keeps it until the session ends (PySpark also releases it when the Python object
   * is garbage-collected; tsapply does not).
   */
  async checkpoint(eager = true): Promise<DataFrame> {
    return this.checkpointed({ local: false, eager });
  }
  /**
   * As `checkpoint`, but keeps the data in the executors' storage at `storageLevel` (default:
   * Spark's): faster, and lost with an executor.
   */
  async localCheckpoint(eager = true, storageLevel?: StorageLevel): Promise<DataFrame> {
    return this.checkpointed({ local: true, eager, ...(storageLevel !== undefined ? { storageLevel } : {}) });
  }
  private async checkpointed(options: { local: boolean; eager: boolean; storageLevel?: StorageLevel }): Promise<DataFrame> {
    if (typeof options.eager !== 'boolean') throw new InvalidOptionError(`${options.local ? 'localCheckpoint' : 'checkpoint'}(eager) needs eager as a boolean, got ${String(options.eager)}.`, { option: 'eager' });
    const responses = await this.session.executeCommand({ commandType: { case: 'checkpointCommand', value: { relation: this.relation, ...options } } });
    for (const r of responses) {
      if (r.responseType.case === 'checkpointCommandResult' && r.responseType.value.relation) {
        return this.session.dataFrame({ relType: { case: 'cachedRemoteRelation', value: { relationId: r.responseType.value.relation.relationId } } });
      }
    }
    throw new TsapplyError('The Spark server answered the checkpoint command without a CheckpointCommandResult.', { code: 'SPARK_UNEXPECTED_RESPONSE' });
  }
  /** Whether `collect()` and `take()` can run without executors (a local relation). */
  async isLocal(): Promise<boolean> {
    const r = await this.analyze({ case: 'isLocal', value: { plan: this.plan() } });
    return r.case === 'isLocal' && r.value.isLocal;
  }
  /** Whether the DataFrame reads a stream (always false: tsapply reads batch sources). */
  async isStreaming(): Promise<boolean> {
    const r = await this.analyze({ case: 'isStreaming', value: { plan: this.plan() } });
    return r.case === 'isStreaming' && r.value.isStreaming;
  }
  /** The files the plan reads (best effort, as Spark reports them). */
  async inputFiles(): Promise<string[]> {
    const r = await this.analyze({ case: 'inputFiles', value: { plan: this.plan() } });
    return r.case === 'inputFiles' ? [...r.value.files] : [];
  }
  /** Whether both plans compute the same result (after Spark's canonicalisation). */
  async sameSemantics(other: DataFrame): Promise<boolean> {
    const r = await this.analyze({ case: 'sameSemantics', value: { targetPlan: this.plan(), otherPlan: other.plan() } });
    return r.case === 'sameSemantics' && r.value.result;
  }
  /** A hash of the canonical plan: equal for plans with the same semantics. */
  async semanticHash(): Promise<number> {
    const r = await this.analyze({ case: 'semanticHash', value: { plan: this.plan() } });
    return r.case === 'semanticHash' ? r.value.result : 0;
  }

  async createGlobalTempView(name: string): Promise<void> {
    await this.session.executeCommand({ commandType: { case: 'createDataframeView', value: { input: this.relation, name, isGlobal: true, replace: false } } });
  }
  async createOrReplaceGlobalTempView(name: string): Promise<void> {
    await this.session.executeCommand({ commandType: { case: 'createDataframeView', value: { input: this.relation, name, isGlobal: true, replace: true } } });
  }

  private plan(): MessageInitShape<typeof PlanSchema> {
    return { opType: { case: 'root', value: this.relation } };
  }

  private async analyze(analyze: MessageInitShape<typeof AnalyzePlanRequestSchema>['analyze']): Promise<AnalyzePlanResponse['result']> {
    return (await this.session.client.analyzePlan({ analyze } as never)).result;
  }

  async createOrReplaceTempView(name: string): Promise<void> {
    await this.session.executeCommand({ commandType: { case: 'createDataframeView', value: { input: this.relation, name, isGlobal: false, replace: true } } });
  }
  async createTempView(name: string): Promise<void> {
    await this.session.executeCommand({ commandType: { case: 'createDataframeView', value: { input: this.relation, name, isGlobal: false, replace: false } } });
  }

  private setOp(other: DataFrame, setOpType: SetOperation_SetOpType, flags: { isAll: boolean; byName?: boolean; allowMissingColumns?: boolean }): DataFrame {
    return this.withRelation({ case: 'setOp', value: { leftInput: this.relation, rightInput: other.relation, setOpType, ...flags } });
  }
}

/** The metrics each session's actions reported, by CollectMetrics plan id (and by name). */
const OBSERVED_METRICS = new WeakMap<SparkSession, Map<string, Record<string, unknown>>>();

/** One node of the physical plan with its SQL metrics, as `executionInfo` reports them. */
export interface PlanNodeMetrics {
  /** The operator, e.g. `HashAggregate`, `Filter`, `LocalTableScan`. */
  name: string;
  planId: bigint;
  /** The plan id of the node this one feeds. */
  parent: bigint;
  /** By metric name (`numOutputRows`, …): the value and Spark's metric type (`sum`, `timing`, `size`, …). */
  values: Record<string, { value: bigint; type: string }>;
}

/** What `DataFrame.executionInfo` holds (PySpark's ExecutionInfo). */
export interface ExecutionInfo {
  operationId: string;
  metrics: PlanNodeMetrics[];
  /** The observed metrics by observation name (see `observe()`). */
  observedMetrics: Record<string, Record<string, unknown>>;
}

const EXECUTION_INFO = new WeakMap<DataFrame, ExecutionInfo>();

/** Passes `responses` through, keeping the plan metrics and observed metrics they carry. */
async function* keepMetrics(df: DataFrame, responses: AsyncGenerator<ExecutePlanResponse>): AsyncGenerator<ExecutePlanResponse> {
  const info: ExecutionInfo = { operationId: '', metrics: [], observedMetrics: {} };
  EXECUTION_INFO.set(df, info);
  for await (const r of responses) {
    if (r.operationId) info.operationId = r.operationId;
    for (const m of r.metrics?.metrics ?? []) {
      const values = Object.fromEntries(Object.entries(m.executionMetrics).map(([k, v]) => [k, { value: v.value, type: v.metricType }]));
      info.metrics.push({ name: m.name, planId: m.planId, parent: m.parent, values });
    }
    for (const m of r.observedMetrics) {
      let kept = OBSERVED_METRICS.get(df.session);
      if (!kept) OBSERVED_METRICS.set(df.session, (kept = new Map()));
      const metrics = Object.fromEntries(m.values.map((v, i) => [m.keys[i] ?? String(i), fromLiteral(v)]));
      if (m.planId !== 0n) kept.set(`plan:${m.planId}`, metrics);
      kept.set(`name:${m.name}`, metrics);
      info.observedMetrics[m.name] = metrics;
    }
    yield r;
  }
}

/** What `observe()` returns: a DataFrame whose metrics can be read after an action. */
export class ObservedDataFrame extends DataFrame {
  /** The name given to `observe()`. */
  readonly observationName: string;

  constructor(session: SparkSession, relation: Relation, name: string) {
    super(session, relation);
    this.observationName = name;
  }

  /**
   * The observed metrics from the latest action that computed this DataFrame (or one built
   * from it), by the expressions' names: `{ rows: 398n, 'max(hp)': 230 }`; longs are bigint.
   * Throws when no action has reported them yet.
   */
  observedMetrics(): Record<string, unknown> {
    const kept = OBSERVED_METRICS.get(this.session);
    const metrics = kept?.get(`plan:${this.planId}`) ?? kept?.get(`name:${this.observationName}`);
    if (!metrics) {
      throw new TsapplyError(`No metrics observed as '${this.observationName}' yet: run an action (collect, count, toArrow, …) on this DataFrame or one built from it first.`, { code: 'NO_OBSERVED_METRICS' });
    }
    return { ...metrics };
  }
}

/**
 * The plans of the DataFrames each session made subqueries of, by plan id: an expression
 * names its subquery's plan only by id, and `withRelation` finds the plan here. Kept for the
 * session's life (PySpark keeps it in the Column object).
 */
const SUBQUERY_PLANS = new WeakMap<SparkSession, Map<bigint, Relation>>();

/** The plan ids of the subquery expressions among the expressions of `value` (not of its child relations). */
function subqueryPlanIds(value: unknown, found: bigint[] = []): bigint[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  if (Array.isArray(value)) {
    for (const v of value) subqueryPlanIds(v, found);
    return found;
  }
  const m = value as { $typeName?: string; exprType?: { case?: string; value?: { planId?: bigint } } };
  if (m.$typeName === 'spark.connect.Relation') return found;
  if (m.$typeName === 'spark.connect.Expression' && m.exprType?.case === 'subqueryExpression') {
    const id = m.exprType.value!.planId!;
    if (!found.includes(id)) found.push(id);
    return found;
  }
  for (const v of Object.values(value)) subqueryPlanIds(v, found);
  return found;
}
