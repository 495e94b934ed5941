import * as arrow from 'apache-arrow';
export function rowsToRecordBatch(rows: ReadonlyArray<Record<string, unknown>>, schema: arrow.Schema): arrow.RecordBatch { throw new Error('not implemented'); }
export function columnsToRecordBatch(columns: Record<string, ArrayLike<unknown>>, schema: arrow.Schema): arrow.RecordBatch { throw new Error('not implemented'); }
