/**
 * Result decoding: each `arrow_batch.data` in an ExecutePlan response is a complete Arrow
 * IPC stream (schema + record batches). Batches are yielded one at a time so a consumer
 * can stream a result far larger than memory.
 */
import * as arrow from 'apache-arrow';
import { parseDDL } from '@tsapply/common';
import type { ExecutePlanResponse } from './gen/spark/connect/base_pb.js';
import { structToSchemaDDL } from './data-types.js';

/** Receives the result's Arrow schema as soon as it is known. */
export interface SchemaSink {
  schema?: arrow.Schema;
}

/**
 * Yields the RecordBatches in `responses`. `sink.schema` is set from the first Arrow
 * stream, or from the response's Spark schema when the result had no Arrow data.
 */
export async function* arrowBatches(responses: AsyncIterable<ExecutePlanResponse>, sink: SchemaSink = {}): AsyncGenerator<arrow.RecordBatch> {
  for await (const r of responses) {
    if (r.schema && !sink.schema) {
      try {
        sink.schema = parseDDL(structToSchemaDDL(r.schema));
      } catch {
        // Types the DDL parser does not know; the Arrow stream's schema will do.
      }
    }
    if (r.responseType.case !== 'arrowBatch') continue;
    const reader = arrow.RecordBatchReader.from(r.responseType.value.data);
    reader.open();
    // Typed non-null, but null at runtime for a stream with no schema message.
    if (reader.schema) sink.schema = reader.schema;
    for (const batch of reader) yield batch;
  }
}
