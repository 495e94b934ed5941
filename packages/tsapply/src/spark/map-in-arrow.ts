/**
 * `df.mapInArrow(fn, options)` and `df.groupBy(...).applyInArrow(fn, options)`: run an
 * exported TypeScript function on Spark's executors.
 *
 * Both are async (unlike Spark's lazy transforms) because they do real work once, up
 * front: locate and bundle `fn`, build and upload the payload (once per session),
 * find the executors' Python version, and — without `schema` — run `fn` on a sample
 * of the input on the driver to infer the output schema. They resolve to an ordinary
 * lazy DataFrame over a MapPartitions relation (after a shuffle and sort by the group
 * columns for applyInArrow); nothing runs on the
 * cluster until an action (`collect`, `show`, `write…`).
 */
import { parseDDL, toDDL } from '@tsapply/common';
import type { DataFrame, GroupedData } from '@tsapply/spark-connect';
import { InvalidOptionError } from '../errors.js';
import { buildFunctionPayload, planFunction, type FunctionPayload, type FunctionPlan } from './function-payload.js';
import { inferOutputSchema } from './infer-output-schema.js';
import { inferredSchemaNote } from '../job/output-schema.js';
import { checkApplyOptions, SHIP_KEYS, shipSettings, type CheckedApplyOptions, type SparkApplyOptions } from './apply-options.js';
import { identifierParts } from './column-identifier.js';
import { shipPayload, type ShippedPayload } from './ship-payload.js';
import { groupMapPlan, mapPartitionsPlan } from './udf-plan.js';

/** What the last mapInArrow/applyInArrow shipped (for `--json`, tests, diagnostics). */
export interface ShipReport {
  payloadHash: string;
  payloadBytes: number;
  /** Artifacts uploaded by this call (0 when the session already had them). */
  uploads: number;
  uploadedBytes: number;
  schema: string;
  schemaInferred: boolean;
  pythonVer: string;
  /** How the function travelled: bundled as an export of its module, or captured with what it uses. */
  shipped: 'export' | 'closure';
  /** Time spent at the call deciding that and capturing the function's variables, in ms. */
  captureMs: number;
  /** The executors' Node: their own, or a runtime tsapply shipped (bytes uploaded by this call). */
  executorNode: ShippedPayload['executorNode'];
}

const MAP_KEYS = ['schema', 'context', 'serializer', 'init', 'barrier', ...SHIP_KEYS, 'sampleRows', 'quiet'] as const;
const GROUP_KEYS = MAP_KEYS.filter((k) => k !== 'barrier');

const reports = new WeakMap<DataFrame, ShipReport>();

/** What shipping the function behind `df` did, when `df` came from mapInArrow/applyInArrow. */
export function shipReport(df: DataFrame): ShipReport | undefined {
  return reports.get(df);
}

/** Normalised DDL of a declared schema (a DDLParseError names the position when it is wrong). */
function declaredDDL(schema: string | undefined): string | null {
  return schema === undefined ? null : toDDL(parseDDL(schema));
}

interface Planned {
  fp: FunctionPayload;
  ddl: string;
  inferred: boolean;
}

async function prepare(plan: FunctionPlan, input: DataFrame, o: SparkApplyOptions, groupColumns: string[] | undefined, what: string): Promise<Planned> {
  const declared = declaredDDL(o.schema);
  const fp = await buildFunctionPayload(plan, {
    context: o.context,
    ...(o.serializer !== undefined ? { serializer: o.serializer } : {}),
    schema: declared,
  });
  if (declared !== null) return { fp, ddl: declared, inferred: false };
  const schema = await inferOutputSchema(input, {
    payloadPath: fp.payload.path,
    ...(groupColumns ? { groupColumns } : {}),
    ...(o.sampleRows !== undefined ? { sampleRows: o.sampleRows } : {}),
    what: `${what}(${fp.exportName})`,
    where: `to ${what}()`,
  });
  if (!o.quiet) process.stderr.write(`${inferredSchemaNote(schema, `to ${what}()`)}\n`);
  return { fp, ddl: toDDL(schema), inferred: true };
}

/**
 * PySpark's `mapInArrow(func, schema)` and `applyInArrow(func, schema)` take the schema
 * as the second argument: a DDL string there means `{ schema }`, so code moved from
 * PySpark works as written.
 */
function withSchemaShorthand(options: SparkApplyOptions | string | undefined): unknown {
  return typeof options === 'string' ? { schema: options } : options;
}

/** Implementation of `DataFrame.prototype.mapInArrow`. */
export async function mapInArrow(df: DataFrame, fn: unknown, options?: SparkApplyOptions | string): Promise<DataFrame> {
  const o = checkApplyOptions(withSchemaShorthand(options), MAP_KEYS, 'mapInArrow');
  // Captured now, before the first await: a later change to a captured variable never reaches this job.
  return mapPlanned(df, planFunction(fn, o.init), o);
}

/** mapInArrow of a function planned earlier (a TypeScript ML estimator captures its functions when it is created). */
export async function mapPlanned(df: DataFrame, plan: FunctionPlan, o: CheckedApplyOptions): Promise<DataFrame> {
  const { fp, ddl, inferred } = await prepare(plan, df, o, undefined, 'mapInArrow');
  const shipped = await shipPayload(df.session, fp.payload, {
    mode: 'map',
    schemaDDL: ddl,
    functionName: fp.exportName,
    ...shipSettings(o),
  });
  const out = await mapPartitionsPlan(df, { ...shipped.plan, barrier: o.barrier ?? false });
  reports.set(out, report(fp, shipped, ddl, inferred));
  return out;
}

/**
 * Column names of plain column grouping expressions (what `ctx.key` is keyed by): a
 * quoted identifier is unquoted (`` groupBy('`x.y`') `` groups by the column `x.y`).
 */
export function groupColumnNames(grouped: GroupedData, fn = 'applyInArrow'): string[] {
  return grouped.groupingExpressions.map((e) => {
    if (e.exprType.case === 'unresolvedAttribute') {
      const identifier = e.exprType.value.unparsedIdentifier;
      const parts = identifierParts(identifier);
      return parts?.length === 1 ? parts[0]! : identifier;
    }
    throw new InvalidOptionError(`${fn}() needs groupBy() on column names (e.g. df.groupBy('k')), not computed expressions; add the key as a column first (withColumn).`, {
      option: 'groupBy',
    });
  });
}

/** Implementation of `GroupedData.prototype.applyInArrow`. */
export async function applyInArrow(grouped: GroupedData, fn: unknown, options?: SparkApplyOptions | string): Promise<DataFrame> {
  const o = checkApplyOptions(withSchemaShorthand(options), GROUP_KEYS, 'applyInArrow');
  const groupColumns = groupColumnNames(grouped);
  if (groupColumns.length === 0) throw new InvalidOptionError('applyInArrow() needs at least one grouping column: df.groupBy(\'k\').applyInArrow(fn).', { option: 'groupBy' });
  const { fp, ddl, inferred } = await prepare(planFunction(fn, o.init), grouped.df, o, groupColumns, 'applyInArrow');
  const shipped = await shipPayload(grouped.df.session, fp.payload, {
    mode: 'grouped',
    schemaDDL: ddl,
    groupColumns,
    functionName: fp.exportName,
    ...shipSettings(o),
  });
  const out = await groupMapPlan(grouped.df, grouped.groupingExpressions, shipped.plan);
  reports.set(out, report(fp, shipped, ddl, inferred));
  return out;
}

function report(fp: FunctionPayload, shipped: Awaited<ReturnType<typeof shipPayload>>, ddl: string, inferred: boolean): ShipReport {
  return {
    payloadHash: fp.payload.hash,
    payloadBytes: fp.payload.bytes,
    uploads: shipped.uploaded.length,
    uploadedBytes: shipped.uploadedBytes,
    schema: ddl,
    schemaInferred: inferred,
    pythonVer: shipped.plan.pythonVer,
    shipped: fp.plan.mode,
    captureMs: Math.round(fp.plan.captureMs * 10) / 10,
    executorNode: shipped.executorNode,
  };
}
