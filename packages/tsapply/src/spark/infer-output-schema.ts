/**
 * Output schema inference for Spark runs: the function runs ON THE DRIVER, in
 * process, on a sample of the first rows of its input (`limit(n)`), through the same
 * `JobRunner` the workers use, and the schema is inferred from every row it returns
 * (`schemaFromSample`). The DDL is printed so the user can pin it and skip the sample.
 */
import { readFile } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '@tsapply/spark-connect';
import { JobRunner } from '@tsapply/worker-runtime';
import { groupBatches } from '../engine/group-by.js';
import { schemaFromSample } from '../job/output-schema.js';

/** Rows of the input sampled for inference. */
export const DEFAULT_SAMPLE_ROWS = 1000;

export interface InferOptions {
  /** Where the payload lives on the driver. */
  payloadPath: string;
  /** Grouped mode: the key columns (the sample is grouped like Spark would). */
  groupColumns?: string[];
  sampleRows?: number;
  /** Names the function or job in messages. */
  what: string;
  /** Where a declared schema goes, e.g. `to the job`, `to mapInArrow()`. */
  where: string;
}

export async function inferOutputSchema(input: DataFrame, options: InferOptions): Promise<arrow.Schema> {
  const runner = JobRunner.fromBytes(await readFile(options.payloadPath));
  const sample = await input.limit(options.sampleRows ?? DEFAULT_SAMPLE_ROWS).toArrow();
  const rows: Record<string, unknown>[] = [];
  if (options.groupColumns && options.groupColumns.length > 0) {
    async function* batches() {
      yield* sample.batches;
    }
    const { tasks } = await groupBatches(batches(), sample.schema, options.groupColumns, 1);
    for (const t of tasks) rows.push(...(await runner.applyBatchRows(t.batch, { partitionIndex: 0, ...(t.key ? { key: t.key } : {}) })));
  } else {
    for (const batch of sample.batches) rows.push(...(await runner.applyBatchRows(batch, { partitionIndex: 0 })));
  }
  return schemaFromSample(rows, { what: options.what, sampled: `the first ${sample.numRows} input rows`, where: options.where });
}
