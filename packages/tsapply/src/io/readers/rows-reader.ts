/**
 * `{ rows: [...] }`: rows written inline in the job file. Types are inferred with
 * `@tsapply/common`'s `inferSchema` (JS numbers are doubles, bigints are bigints, …).
 */
import type * as arrow from 'apache-arrow';
import { inferSchema, rowsToRecordBatch } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputSource, ReaderOptions } from '../input-source.js';

export function readRows(rows: ReadonlyArray<Record<string, unknown>>, reader: ReaderOptions): InputSource {
  if (!Array.isArray(rows)) throw new InputError(`input.rows must be an array of objects, got ${typeof rows}.`, { format: 'rows' });
  if (rows.length === 0) throw new InputError(`input.rows is empty; give at least one row so its columns are known.`, { format: 'rows' });
  const schema = inferSchema(rows);
  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (let start = 0; start < rows.length; start += reader.batchSize) {
      yield rowsToRecordBatch(rows.slice(start, start + reader.batchSize), schema);
    }
  }
  return { schema, batches: batches(), totalRows: rows.length, description: `rows (${rows.length})` };
}
