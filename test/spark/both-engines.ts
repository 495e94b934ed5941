/**
 * Runs a job file on the embedded engine and on Spark with Arrow output and reads both
 * results back as comparable rows (for test/spark/*.test.ts). On Spark, Arrow results are
 * streamed to the driver and written by tsapply's writer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { recordBatchToRows, toDDL } from '@tsapply/common';
import { runJob, runJobOnSpark, type SparkSession } from 'tsapply';

/** A JSON-able form of a value that keeps bigint, Date, bytes and Map apart. */
export function canonical(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `date:${v.toISOString()}`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (v instanceof Map) return { map: [...v.entries()].map(([k, x]) => [canonical(k), canonical(x)]) };
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  return v;
}

export interface ArrowResult {
  /** The output schema as Spark DDL. */
  ddl: string;
  /** Every row as canonical JSON, sorted. */
  rows: string[];
}

/** Reads an Arrow output directory: its schema and its rows (sorted, canonical JSON). */
export function readArrowDir(dir: string): ArrowResult {
  const files = readdirSync(dir).filter((f) => f.endsWith('.arrow')).sort();
  const rows: string[] = [];
  let ddl = '';
  for (const f of files) {
    const table = tableFromIPC(readFileSync(join(dir, f)));
    ddl = toDDL(table.schema);
    for (const b of table.batches) for (const r of recordBatchToRows(b)) rows.push(JSON.stringify(canonical(r)));
  }
  return { ddl, rows: rows.sort() };
}

/** Runs `job` on both engines (2 local workers) into `<out>/<name>-local` and `<out>/<name>-spark`. */
export async function bothEngines(spark: SparkSession, job: string, out: string, name: string): Promise<{ local: ArrowResult; remote: ArrowResult }> {
  const localDir = join(out, `${name}-local`);
  const sparkDir = join(out, `${name}-spark`);
  await runJob(job, { workers: 2, output: localDir, format: 'arrow', quiet: true, typecheck: false });
  await runJobOnSpark(job, { spark, output: sparkDir, format: 'arrow', quiet: true, typecheck: false });
  return { local: readArrowDir(localDir), remote: readArrowDir(sparkDir) };
}
