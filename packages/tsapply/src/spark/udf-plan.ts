/**
 * The relations tsapply sends to Spark: `MapPartitions` (eval type 207, Spark's
 * mapInArrow) and `GroupMap` (209, applyInArrow), each carrying a
 * `CommonInlineUserDefinedFunction` whose `python_udf.command` is the hand-built
 * pickle from `pickle-command.ts`. The command holds only names and hashes of the
 * shipped artifacts, never the payload itself, so a plan stays a few KB whatever the
 * size of the job's context.
 *
 * `output_type` is sent as `DataType.Unparsed` with the schema in Spark's
 * `struct<…>` DDL spelling: Spark 4.x's planner parses it into a StructType (checked
 * against Spark 4.1.1), so tsapply needs no second type mapping for the proto form.
 */
import { create } from '@bufbuild/protobuf';
import {
  CommonInlineUserDefinedFunctionSchema,
  type CommonInlineUserDefinedFunction,
  type DataFrame,
  type Expression,
  sortOrderOf,
  unparsedType,
} from '@tsapply/spark-connect/internal';
import { Column, type SparkSession } from '@tsapply/spark-connect';
import { isLimitedSparkVersion } from '@tsapply/spark-local';
import { quoteColumnName } from './column-identifier.js';
import { buildShimCommand, type ShimCommandSpec } from './pickle-command.js';

/** Spark's `PythonEvalType.SQL_MAP_ARROW_ITER_UDF` (mapInArrow). */
export const EVAL_TYPE_MAP_ARROW_ITER = 207;
/** Spark's `PythonEvalType.SQL_GROUPED_MAP_ARROW_UDF` (applyInArrow, Spark 4). */
export const EVAL_TYPE_GROUPED_MAP_ARROW = 209;


export interface UdfPlanOptions {
  /** The shim's spec: payload/worker artifacts, schema, mode, group columns. */
  spec: ShimCommandSpec;
  /** Importable name of the shim module (`tsapply_shim_<hash>`). */
  shimModuleName: string;
  /** The executors' Python `major.minor`, e.g. `3.11`. */
  pythonVer: string;
  /** Shown in Spark's UI and plans. */
  functionName: string;
}

/** Spark's DDL type for a top-level schema: `struct<a: bigint, b: string>`. */
export function structTypeDDL(schemaDDL: string): string {
  return `struct<${schemaDDL}>`;
}

/**
 * The UDF's arguments are every column of its input, as PySpark sends them: they tell
 * Spark's optimizer that the function reads all of them. With no arguments, a
 * projection or aggregate over the result (`select`, `count()`, an ML stage) prunes the
 * input to zero columns and the function is fed empty batches. Names are quoted, so a
 * column such as `x.y` is that column, not field `y` of `x`.
 */
async function inputColumns(df: DataFrame): Promise<Expression[]> {
  return (await df.columns()).map((name) => df.col(quoteColumnName(name)).toProto());
}

function udf(options: UdfPlanOptions, evalType: number, args: Expression[]): CommonInlineUserDefinedFunction {
  return create(CommonInlineUserDefinedFunctionSchema, {
    functionName: options.functionName,
    deterministic: true,
    arguments: args,
    function: {
      case: 'pythonUdf',
      value: {
        outputType: unparsedType(structTypeDDL(options.spec.schemaDDL)),
        evalType,
        command: buildShimCommand(options.spec, options.shimModuleName),
        pythonVer: options.pythonVer,
        additionalIncludes: [],
      },
    },
  });
}

/** `df` mapped partition by partition through the shim (mapInArrow). Async: reads `df`'s columns. */
export async function mapPartitionsPlan(df: DataFrame, options: UdfPlanOptions & { barrier: boolean }): Promise<DataFrame> {
  const func = udf(options, EVAL_TYPE_MAP_ARROW_ITER, await inputColumns(df));
  return df.withRelation({
    case: 'mapPartitions',
    value: { input: df.relation, func, ...(options.barrier ? { isBarrier: true } : {}) },
  });
}

/**
 * `df` grouped by `grouping` with each whole group handed to the shim: applyInArrow on
 * Spark 4. Spark 3.5 has no applyInArrow (its applyInPandas would lose types on the way
 * through pandas), so there the input is hash-partitioned by the group columns, sorted
 * within each partition, and mapped with mapInArrow; the shim cuts the sorted stream into
 * groups. Async: reads `df`'s columns and the server's version.
 */
export async function groupMapPlan(df: DataFrame, grouping: Expression[], options: UdfPlanOptions): Promise<DataFrame> {
  if (isLimitedSparkVersion(await df.session.version)) {
    const shuffled = df.withRelation({ case: 'repartitionByExpression', value: { input: df.relation, partitionExprs: grouping } });
    // Ascending, nulls first: each key's rows, null keys included, come together.
    const order = grouping.map((e) => sortOrderOf(new Column(e)));
    const sorted = shuffled.withRelation({ case: 'sort', value: { input: shuffled.relation, order, isGlobal: false } });
    return mapPartitionsPlan(sorted, { ...options, spec: { ...options.spec, groupForm: 'sorted' }, barrier: false });
  }
  const func = udf(options, EVAL_TYPE_GROUPED_MAP_ARROW, await inputColumns(df));
  return df.withRelation({
    case: 'groupMap',
    value: { input: df.relation, groupingExpressions: grouping, func, sortingExpressions: [], initialGroupingExpressions: [] },
  });
}

export interface ProbePlanOptions {
  /** The pickled `(function, return_type)` the Python worker runs over one input row. */
  command: Uint8Array;
  /** Its output columns as Spark DDL (`info string`). */
  outputDDL: string;
  pythonVer: string;
  functionName: string;
}

/**
 * A one-task probe: `spark.range(1)` mapped through a Python command, for what only an
 * executor can tell (its Python version, platform, a local node). No input columns are
 * passed: the probe reads none.
 */
export function probePlan(spark: SparkSession, o: ProbePlanOptions): DataFrame {
  const input = spark.range(0, 1, 1, 1);
  return input.withRelation({
    case: 'mapPartitions',
    value: {
      input: input.relation,
      func: create(CommonInlineUserDefinedFunctionSchema, {
        functionName: o.functionName,
        deterministic: true,
        arguments: [],
        function: {
          case: 'pythonUdf',
          value: { outputType: unparsedType(structTypeDDL(o.outputDDL)), evalType: EVAL_TYPE_MAP_ARROW_ITER, command: o.command, pythonVer: o.pythonVer, additionalIncludes: [] },
        },
      }),
    },
  });
}
