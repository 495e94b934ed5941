/**
 * An Arrow table a user hands over (an input table, `createDataFrame(table)`) in the
 * types Spark and tsapply speak: those `parseDDL` makes of the table's own DDL. What
 * arrow-js's `tableFromArrays` and other writers make is often a different layout of the
 * same Spark type — dictionary-encoded strings, 64-bit-offset strings, timestamps in
 * milliseconds, dates in milliseconds — and Spark reads a LocalRelation by its DDL, so such
 * columns are rebuilt through the values they hold (the same conversion `apply`'s results
 * take). A table already in those types is returned as it is; a type Spark has none for
 * (an unsigned integer, say) is refused naming its column.
 */
import * as arrow from 'apache-arrow';
import { TsapplyError } from '../errors.js';
import { parseDDL } from '../schema/ddl-parser.js';
import { quoteDDLName, typeToDDL } from '../schema/ddl-format.js';
import { recordBatchToRows } from './batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-batch.js';

/** `table` in Spark's layout of its types; `what` names it in messages (e.g. "input.table"). */
export function withSparkTypes(table: arrow.Table, what: string): arrow.Table {
  const ddl = table.schema.fields.map((f) => {
    try {
      return `${quoteDDLName(f.name)} ${typeToDDL(f.type)}${f.nullable ? '' : ' NOT NULL'}`;
    } catch (e) {
      throw new TsapplyError(`Column "${f.name}" of ${what}: ${(e as Error).message}`, { code: 'UNSUPPORTED_TYPE' });
    }
  });
  const target = parseDDL(ddl.join(', '));
  if (target.fields.every((f, i) => arrow.util.compareTypes(f.type, table.schema.fields[i]!.type))) return table;
  return new arrow.Table(target, table.batches.map((b) => rowsToRecordBatch(recordBatchToRows(b), target)));
}
