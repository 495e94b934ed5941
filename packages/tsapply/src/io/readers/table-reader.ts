/**
 * `{ table }`: an apache-arrow Table already in memory — a result a run returned with
 * `collect: true`, or one the script built (`tableFromArrays`, `tableFromIPC`) — read on
 * the driver batch by batch, in Spark's layout of its types (`withSparkTypes`: dictionary
 * strings decoded, timestamps in microseconds…), so it runs the same on both engines.
 */
import * as arrow from 'apache-arrow';
import { isArrowTable, isTsapplyError, shownValue, withSparkTypes } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputSource, ReaderOptions } from '../input-source.js';

export function readTable(table: unknown, reader: ReaderOptions): InputSource {
  if (!isArrowTable(table)) {
    const got = Array.isArray(table) ? 'an array (for row objects, use input: { rows })' : shownValue(table);
    throw new InputError(`input.table must be an apache-arrow Table (from tableFromArrays, tableFromIPC or a run's collect: true), got ${got}.`, { format: 'table' });
  }
  if (!(table instanceof arrow.Table)) {
    throw new InputError(
      "input.table was built with another copy of apache-arrow than tsapply's own (a different major version installed beside it), whose buffers tsapply cannot adopt. " +
        "Install the apache-arrow version tsapply depends on (npm ls apache-arrow shows both), or pass the rows: input: { rows: table.toArray().map((r) => r.toJSON()) }.",
      { format: 'table' },
    );
  }
  let sparkTyped: arrow.Table;
  try {
    sparkTyped = withSparkTypes(table, 'input.table');
  } catch (e) {
    if (isTsapplyError(e)) throw new InputError((e as Error).message, { format: 'table' });
    throw e;
  }
  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    for (const b of sparkTyped.batches) {
      for (let start = 0; start < b.numRows; start += reader.batchSize) yield b.slice(start, Math.min(b.numRows, start + reader.batchSize));
    }
  }
  return { schema: sparkTyped.schema, batches: batches(), totalRows: sparkTyped.numRows, description: `table (${sparkTyped.numRows} rows)` };
}
