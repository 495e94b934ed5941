/**
 * The default output when a job has no `output`: like Spark's `df.show()`, the first
 * `limit` rows as an ASCII table, then the total row count. Only the shown rows are
 * kept in memory; the rest are counted.
 */
import type * as arrow from 'apache-arrow';
import { formatTable, recordBatchToRows } from '@tsapply/common';

export class ShowWriter {
  private readonly rows: unknown[][] = [];
  private total = 0;

  constructor(
    private readonly schema: arrow.Schema,
    private readonly limit: number,
  ) {}

  write(batch: arrow.RecordBatch): void {
    const room = this.limit - this.rows.length;
    if (room > 0) {
      const slice = batch.numRows > room ? batch.slice(0, room) : batch;
      for (const row of recordBatchToRows(slice)) this.rows.push(this.schema.fields.map((f) => row[f.name]));
    }
    this.total += batch.numRows;
  }

  get rowCount(): number {
    return this.total;
  }

  /** The table plus a count line, ready to print. */
  render(): string {
    const columns = this.schema.fields.map((f) => f.name);
    const types = this.schema.fields.map((f) => f.type);
    const table = this.limit > 0 ? formatTable(columns, this.rows, { types }) : '';
    const noun = this.total === 1 ? 'row' : 'rows';
    const count =
      this.total > this.rows.length && this.limit > 0
        ? `only showing top ${this.rows.length} of ${this.total} ${noun}`
        : `${this.total} ${noun}`;
    return `${table}${table && !table.endsWith('\n') ? '\n' : ''}${count}\n`;
  }
}
