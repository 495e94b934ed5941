/**
 * The relations tsapply sends to Spark: `MapPartitions` (eval type 207, Spark's
 * mapInArrow), for grouped work over a shuffle and a sort by the group columns, each
 * carrying a `CommonInlineUserDefinedFunction` whose `python_udf.command` is the hand-built
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
import { quoteColumnName } from './column-identifier.js';
import { buildShimCommand, type ShimCommandSpec } from './pickle-command.js';

/** Spark's `PythonEvalType.SQL_MAP_ARROW_ITER_UDF` (mapInArrow). */
export const EVAL_TYPE_MAP_ARROW_ITER = 207;

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
function inputColumns(df: DataFrame, columns: readonly string[]): Expression[] {
  return columns.map((name) => df.col(quoteColumnName(name)).toProto());
}

function udf(options: UdfPlanOptions, args: Expression[]): CommonInlineUserDefinedFunction {
  return create(CommonInlineUserDefinedFunctionSchema, {
    functionName: options.functionName,
    deterministic: true,
    arguments: args,
    function: {
      case: 'pythonUdf',
      value: {
        outputType: unparsedType(structTypeDDL(options.spec.schemaDDL)),
        evalType: EVAL_TYPE_MAP_ARROW_ITER,
        command: buildShimCommand(options.spec, options.shimModuleName),
        pythonVer: options.pythonVer,
        additionalIncludes: [],
      },
    },
  });
}

/** `df` mapped partition by partition through the shim (mapInArrow). Async: reads `df`'s columns. */
export async function mapPartitionsPlan(df: DataFrame, options: UdfPlanOptions & { barrier: boolean }): Promise<DataFrame> {
  return mapPartitionsOver(df, options, await df.columns());
}

/**
 * `mapPartitionsPlan` when `df`'s columns are already known (a TypeScript ML stage bound to
 * its input): synchronous.
 */
export function mapPartitionsOver(df: DataFrame, options: UdfPlanOptions & { barrier: boolean }, columns: readonly string[]): DataFrame {
  const func = udf(options, inputColumns(df, columns));
  return df.withRelation({
    case: 'mapPartitions',
    value: { input: df.relation, func, ...(options.barrier ? { isBarrier: true } : {}) },
  });
}

/**
 * `df` grouped by `grouping` with each whole group handed to the user's function, as
 * applyInArrow does: the input is hash-partitioned by the group columns and sorted
 * within each partition (the shuffle and sort Spark's FlatMapGroupsInArrow asks for),
 * then streamed through mapInArrow; the worker cuts the sorted stream into groups
 * (`sorted-groups.ts`). Spark's own applyInArrow would cross between its Python worker
 * and ours once per group, which cost more than a small group's work; Spark 3.5 has no
 * applyInArrow at all (its applyInPandas would lose types on the way through pandas).
 * Async: reads `df`'s columns.
 */
export async function groupMapPlan(df: DataFrame, grouping: Expression[], options: UdfPlanOptions): Promise<DataFrame> {
  const shuffled = df.withRelation({ case: 'repartitionByExpression', value: { input: df.relation, partitionExprs: grouping } });
  // Ascending, nulls first: each key's rows, null keys included, come together.
  const order = grouping.map((e) => sortOrderOf(new Column(e)));
  const sorted = shuffled.withRelation({ case: 'sort', value: { input: shuffled.relation, order, isGlobal: false } });
  return mapPartitionsPlan(sorted, { ...options, barrier: false });
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
