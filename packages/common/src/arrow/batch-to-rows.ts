import * as arrow from 'apache-arrow';
export function recordBatchToRows(batch: arrow.RecordBatch): Record<string, unknown>[] { throw new Error('not implemented'); }
export function vectorToJS(vector: arrow.Vector): unknown[] { throw new Error('not implemented'); }
