/**
 * `{ range: n }`: one column `id` (bigint) counting 0 … n-1, like Spark's
 * `spark.range(n)`. Batches are built straight into BigInt64Arrays.
 */
import * as arrow from 'apache-arrow';
import { InputError } from '../../errors.js';
import type { InputSource, ReaderOptions } from '../input-source.js';

export function readRange(range: number | bigint, reader: ReaderOptions): InputSource {
  const n = typeof range === 'bigint' ? Number(range) : range;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InputError(`input.range must be a non-negative integer, got ${String(range)}.`, { format: 'range' });
  }
  const schema = new arrow.Schema([new arrow.Field('id', new arrow.Int64(), false)]);
  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (let start = 0; start < n; start += reader.batchSize) {
      const len = Math.min(reader.batchSize, n - start);
      const ids = new BigInt64Array(len);
      for (let i = 0; i < len; i++) ids[i] = BigInt(start + i);
      const child = arrow.makeData({ type: new arrow.Int64(), length: len, nullCount: 0, data: ids });
      yield new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: len, nullCount: 0, children: [child] }));
    }
  }
  return { schema, batches: batches(), totalRows: n, description: `range(${n})` };
}
