/**
 * A job's `input` as a Spark DataFrame, read the way the embedded engine reads it so
 * both engines hand `apply` the same rows with the same types:
 * - `csv` → `spark.read.csv(path, { header, inferSchema, sep })` (the local reader
 *   implements Spark's inference rules; `options.schema` → `read.schema(ddl)`);
 * - `jsonl` → `spark.read.json`, `json` (one array or object per file) → `multiLine`;
 * - `parquet` → `spark.read.parquet`;
 * - `image` and `binaryFile` → Spark's `image` / `binaryFile` sources, with the options
 *   checked as the embedded readers check them (the readers give the same rows: see
 *   image-reader.ts, binary-file-reader.ts);
 * - `arrow` and `{ rows }` → read on the driver by tsapply's own readers and sent as a
 *   LocalRelation (`createDataFrame`), so their types are exactly the local ones;
 * - `{ range, numPartitions }` → `spark.range` (numPartitions checked as the embedded
 *   reader checks it);
 * - `(spark) => DataFrame` → called (may be async).
 * File paths are resolved against the job file's folder and must be readable by the
 * Spark server (true for a local server; on a cluster, use shared storage or an input
 * function).
 */
import { resolve } from 'node:path';
import * as arrow from 'apache-arrow';
import type { InputSpec } from '@tsapply/common';
import { DataFrame, type SparkSession } from '@tsapply/spark-connect';
import { InputError } from '../errors.js';
import { openInput, unknownFormatError } from '../io/open-input.js';
import { binaryFileReadOptions } from '../io/readers/binary-file-reader.js';
import { imageReadOptions } from '../io/readers/image-reader.js';
import { checkRangePartitions } from '../io/readers/range-reader.js';

/** Rows per batch when reading `arrow`/`rows` on the driver (they go in one LocalRelation). */
const LOCAL_BATCH = 10_000;

export async function sparkInput(spark: SparkSession, spec: InputSpec, baseDir: string): Promise<DataFrame> {
  if (typeof spec === 'function') {
    const df = (await (spec as (s: SparkSession) => unknown)(spark)) as unknown;
    if (!(df instanceof DataFrame)) {
      throw new InputError(`The job's input function must return a Spark DataFrame (e.g. spark.read.parquet(...)), got ${df === null ? 'null' : typeof df}.`, {
        format: 'function',
      });
    }
    return df;
  }
  if (spec === null || typeof spec !== 'object') {
    throw new InputError(`input must be an object such as { format: 'csv', path: '…' }, got ${String(spec)}.`, { format: 'unknown' });
  }
  if ('range' in spec) {
    return spark.range(0, spec.range, 1, checkRangePartitions(spec.numPartitions));
  }
  if ('rows' in spec || 'table' in spec) return local(spark, spec, baseDir);
  const { format, path } = spec as { format: string; path: string; options?: Record<string, unknown> };
  const opts = ((spec as { options?: Record<string, unknown> }).options ?? {}) as Record<string, unknown>;
  if (typeof path !== 'string' || path === '') throw new InputError(`input.path must be a non-empty string for format "${format}".`, { format });
  const abs = resolve(baseDir, path);
  const reader = spark.read;
  if (typeof opts.schema === 'string') reader.schema(opts.schema);
  switch (format) {
    case 'csv':
      return reader.csv(abs, {
        header: opts.header !== false,
        inferSchema: opts.inferSchema !== false,
        ...(typeof opts.delimiter === 'string' ? { sep: opts.delimiter } : {}),
      });
    case 'jsonl':
      return reader.json(abs);
    case 'json':
      return reader.json(abs, { multiLine: true });
    case 'parquet':
      return reader.parquet(abs);
    case 'arrow':
      return local(spark, spec, baseDir);
    case 'image':
      return reader.image(abs, definedOptions(imageReadOptions(opts)));
    case 'binaryFile':
      return reader.binaryFile(abs, definedOptions(binaryFileReadOptions(opts)));
    default:
      throw unknownFormatError(format, '; or, on Spark, write input: (spark) => spark.read…');
  }
}

/** Checked source options without the absent ones, as Spark reader options. */
function definedOptions(options: object): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Record<string, string | boolean>;
}

/** Reads the input on the driver with tsapply's readers and ships it as a LocalRelation. */
async function local(spark: SparkSession, spec: InputSpec, baseDir: string): Promise<DataFrame> {
  const source = await openInput(spec, { baseDir, batchSize: LOCAL_BATCH });
  const batches: arrow.RecordBatch[] = [];
  for await (const b of source.batches) batches.push(b);
  const table = batches.length > 0 ? new arrow.Table(batches) : new arrow.Table(source.schema);
  return spark.createDataFrame(table);
}
