/**
 * The Spark Connect ML protocol (Spark 4.0+), as used by the estimator/model/evaluator
 * classes. Everything ML is either
 *
 * - an `MlCommand` run through ExecutePlan, answered by one `MlCommandResult`:
 *   `Fit` (estimator class name + uid + params + training relation → `operator_info` with
 *   an `ObjectRef` naming the fitted model in the session's server-side ML cache),
 *   `Fetch` (a method chain on a cached object, e.g. `<model>.summary().r2()` → a `param`
 *   literal), `Evaluate` (evaluator + params + relation → the metric as a `param`
 *   literal) and `Delete` (drop cached models); or
 * - an `MlRelation` inside a query plan: `Transform` (a cached model or a transformer that
 *   needs no fitting, like VectorAssembler, applied to an input relation) and `Fetch` for
 *   attributes that are DataFrames (`summary.predictions`, `summary.roc`).
 *
 * Operators are named by their JVM class (`org.apache.spark.ml.regression.LinearRegression`);
 * params travel as `MlParams` (JVM param name → literal). A chained object id such as
 * `<id>.summary` is split into the ObjectRef and leading Fetch methods, as PySpark does.
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import { FetchSchema, Fetch_MethodSchema, type Fetch_Method } from '../gen/spark/connect/relations_pb.js';
import { MlOperator_OperatorType, type MlParams } from '../gen/spark/connect/ml_common_pb.js';
import type { MlCommandResult, MlCommandSchema } from '../gen/spark/connect/ml_pb.js';
import type { DataFrame } from '../data-frame.js';
import type { SparkSession } from '../spark-session.js';
import { SparkUsageError } from '../errors.js';
import { TsapplyError } from '@tsapply/common';
import { argLiteral, fromLiteral } from './params.js';

/** One call in a Fetch chain: a method name and its arguments (literals or DataFrames). */
export interface MethodCall {
  method: string;
  args?: readonly unknown[];
}

/** Builds Fetch methods; a DataFrame argument is sent as its relation. */
export function fetchMethods(calls: readonly MethodCall[]): Fetch_Method[] {
  return calls.map((c) =>
    create(Fetch_MethodSchema, {
      method: c.method,
      args: (c.args ?? []).map((a) => (isDataFrame(a) ? { argsType: { case: 'input' as const, value: a.relation } } : { argsType: { case: 'param' as const, value: argLiteral(a) } })),
    }),
  );
}

function isDataFrame(v: unknown): v is DataFrame {
  return typeof v === 'object' && v !== null && 'relation' in v && 'session' in v;
}

/** Runs one MlCommand and returns its MlCommandResult. */
export async function runMlCommand(session: SparkSession, command: MessageInitShape<typeof MlCommandSchema>): Promise<MlCommandResult> {
  await requireSparkMl(session);
  const responses = await session.executeCommand({ commandType: { case: 'mlCommand', value: command } });
  for (const r of responses) if (r.responseType.case === 'mlCommandResult') return r.responseType.value;
  throw new TsapplyError(
    `The Spark server sent no ML result for the "${command.command?.case ?? '?'}" command. Spark Connect ML needs Spark 4.0 or newer (check spark.version).`,
    { code: 'SPARK_UNEXPECTED_RESPONSE' },
  );
}

/**
 * Spark ML over Spark Connect arrived in Spark 4.0; a 3.5 server (which tsapply otherwise
 * supports) would answer with an unknown-command error or, for a transform, "Expected
 * Relation to be set", so the version is checked first. Synchronous where the version is
 * already known (always, once connect() returned), for the lazy transforms.
 */
function checkSparkMl(session: SparkSession, version: string | undefined): void {
  if (version === undefined || Number(version.split('.')[0]) >= 4) return;
  throw new SparkUsageError(
    `Spark ML over Spark Connect needs Spark 4.0 or newer; the server at ${session.client.address} runs Spark ${version}. Use a Spark 4 server for ml.* (tsapply's client, mapInArrow and grouped apply work on ${version}).`,
  );
}

export async function requireSparkMl(session: SparkSession): Promise<void> {
  checkSparkMl(session, await session.version);
}

/** Result of `fitEstimator`. */
export interface FitResult {
  /** Id of the fitted model in the server's ML cache. */
  refId: string;
  /** A warning the server attached (e.g. the model is too large to keep in memory). */
  warning?: string;
}

/** `MlCommand.Fit`: fits the estimator `className` on `dataset`. */
export async function fitEstimator(dataset: DataFrame, className: string, uid: string, params: MlParams): Promise<FitResult> {
  const r = await runMlCommand(dataset.session, {
    command: { case: 'fit', value: { estimator: { name: className, uid, type: MlOperator_OperatorType.ESTIMATOR }, params, dataset: dataset.relation } },
  });
  const info = r.resultType.case === 'operatorInfo' ? r.resultType.value : undefined;
  if (info?.type.case !== 'objRef') {
    throw new TsapplyError(`Fitting ${className} returned "${r.resultType.case ?? 'nothing'}" instead of a model reference.`, { code: 'SPARK_UNEXPECTED_RESPONSE' });
  }
  return { refId: info.type.value.id, ...(info.warningMessage ? { warning: info.warningMessage } : {}) };
}

/** `MlCommand.Evaluate`: the evaluator's metric on `dataset`. */
export async function evaluate(dataset: DataFrame, className: string, uid: string, params: MlParams): Promise<number> {
  const r = await runMlCommand(dataset.session, {
    command: { case: 'evaluate', value: { evaluator: { name: className, uid, type: MlOperator_OperatorType.EVALUATOR }, params, dataset: dataset.relation } },
  });
  if (r.resultType.case !== 'param') {
    throw new TsapplyError(`Evaluating ${className} returned "${r.resultType.case ?? 'nothing'}" instead of a metric.`, { code: 'SPARK_UNEXPECTED_RESPONSE' });
  }
  return Number(fromLiteral(r.resultType.value));
}

/** `MlCommand.Fetch`: calls `calls` in a chain on cached object `refId`; the decoded result. */
export async function fetchAttribute(session: SparkSession, refId: string, calls: readonly MethodCall[]): Promise<unknown> {
  const r = await runMlCommand(session, { command: { case: 'fetch', value: create(FetchSchema, { objRef: { id: refId }, methods: fetchMethods(calls) }) } });
  switch (r.resultType.case) {
    case 'param':
      return fromLiteral(r.resultType.value);
    case 'summary':
      return r.resultType.value;
    case 'operatorInfo':
      return r.resultType.value.type.case === 'objRef' ? r.resultType.value.type.value.id : r.resultType.value.type.value;
    default:
      return undefined;
  }
}

/** `MlCommand.Delete`: drops cached objects; resolves once the server confirmed. */
export async function deleteObjects(session: SparkSession, refIds: readonly string[]): Promise<void> {
  if (refIds.length === 0) return;
  await runMlCommand(session, { command: { case: 'delete', value: { objRefs: refIds.map((id) => ({ id })) } } });
}

/** `MlRelation.Transform` applying cached model `refId` to `input`. */
export function transformWithModel(input: DataFrame, refId: string, params: MlParams): DataFrame {
  checkSparkMl(input.session, input.session.serverVersion);
  return input.session.dataFrame({ relType: { case: 'mlRelation', value: { mlType: { case: 'transform', value: { operator: { case: 'objRef', value: { id: refId } }, input: input.relation, params } } } } });
}

/** `MlRelation.Transform` applying a transformer that needs no fitting (e.g. VectorAssembler). */
export function transformWithOperator(input: DataFrame, className: string, uid: string, params: MlParams): DataFrame {
  checkSparkMl(input.session, input.session.serverVersion);
  return input.session.dataFrame({
    relType: {
      case: 'mlRelation',
      value: { mlType: { case: 'transform', value: { operator: { case: 'transformer', value: { name: className, uid, type: MlOperator_OperatorType.TRANSFORMER } }, input: input.relation, params } } },
    },
  });
}

/**
 * `MlRelation.Fetch`: a DataFrame-valued attribute, e.g. `summary.predictions`. For a
 * summary attribute, `summaryDataset` (the training data) lets the server rebuild a
 * summary it dropped.
 */
export function attributeRelation(session: SparkSession, refId: string, calls: readonly MethodCall[], summaryDataset?: Relation): DataFrame {
  return session.dataFrame({
    relType: {
      case: 'mlRelation',
      value: { mlType: { case: 'fetch', value: { objRef: { id: refId }, methods: fetchMethods(calls) } }, ...(summaryDataset ? { modelSummaryDataset: summaryDataset } : {}) },
    },
  });
}

/** What `MlCommand.Write` saves: a fitted model in the ML cache, or an operator by class, uid and params. */
export type MlWriteTarget = { refId: string } | { className: string; uid: string; type: MlOperator_OperatorType };

/**
 * `MlCommand.Write`: Spark saves the model or operator to `path` with its own ML writer,
 * the layout every Spark ML reader (Scala, PySpark) loads.
 */
export async function writeMl(session: SparkSession, target: MlWriteTarget, params: MlParams, path: string, overwrite: boolean): Promise<void> {
  const type = 'refId' in target ? { case: 'objRef' as const, value: { id: target.refId } } : { case: 'operator' as const, value: { name: target.className, uid: target.uid, type: target.type } };
  await runMlCommand(session, { command: { case: 'write', value: { type, params, path, shouldOverwrite: overwrite } } });
}

/** What `MlCommand.Read` gives back: the loaded model's cache id (models only), its uid and params. */
export interface MlReadResult {
  refId: string | undefined;
  uid: string;
  params: Record<string, unknown>;
}

/** `MlCommand.Read`: Spark loads the `className` saved at `path` (a model into the ML cache). */
export async function readMl(session: SparkSession, className: string, type: MlOperator_OperatorType, path: string): Promise<MlReadResult> {
  const r = await runMlCommand(session, { command: { case: 'read', value: { operator: { name: className, type }, path } } });
  if (r.resultType.case !== 'operatorInfo') {
    throw new TsapplyError(`Loading ${className} from ${path} returned "${r.resultType.case ?? 'nothing'}" instead of the loaded object.`, { code: 'SPARK_UNEXPECTED_RESPONSE' });
  }
  const info = r.resultType.value;
  const params = Object.fromEntries(Object.entries(info.params?.params ?? {}).map(([k, v]) => [k, fromLiteral(v)]));
  return { refId: info.type.case === 'objRef' ? info.type.value.id : undefined, uid: info.uid ?? '', params };
}
