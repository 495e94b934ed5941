import * as arrow from 'apache-arrow';
export interface ApplyResultOptions {
  /** Upper bound on rows per emitted RecordBatch. @default 10000 */
  maxRowsPerBatch?: number;
}
export async function* applyResultToBatches(result: unknown, schema: arrow.Schema, options: ApplyResultOptions = {}): AsyncIterable<arrow.RecordBatch> { throw new Error('not implemented'); }
