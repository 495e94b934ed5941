/**
 * The `Batch` handed to `apply()`: a lazy, columnar view of one Arrow RecordBatch.
 *
 * Nothing is converted until rows are asked for. The first iteration (or `toArray()`)
 * converts each column to a JS array once; every iteration then builds fresh plain row
 * objects from those arrays, so user code may keep or mutate rows freely. Vectorised
 * code can skip rows entirely through `column(name)` / `arrow`.
 */
import type * as arrow from 'apache-arrow';
import { TsapplyError } from '../errors.js';
import type { Batch } from '../job-definition.js';
import { rowFactory, vectorToJS } from './data-to-js.js';

class ArrowBatch implements Batch {
  readonly columns: readonly string[];
  private jsColumns: unknown[][] | undefined;

  constructor(readonly arrow: arrow.RecordBatch) {
    this.columns = Object.freeze(arrow.schema.fields.map((f) => f.name));
  }

  get numRows(): number {
    return this.arrow.numRows;
  }

  column(name: string): arrow.Vector {
    const index = this.columns.indexOf(name);
    if (index < 0) {
      throw new TsapplyError(
        `Unknown column "${name}" in batch.column(). Valid columns: ${this.columns.join(', ') || '(none)'}.`,
        { code: 'UNKNOWN_COLUMN' },
      );
    }
    return this.arrow.getChildAt(index)!;
  }

  private convert(): unknown[][] {
    if (!this.jsColumns) {
      this.jsColumns = this.columns.map((_, j) => vectorToJS(this.arrow.getChildAt(j)!));
    }
    return this.jsColumns;
  }

  [Symbol.iterator](): Iterator<Record<string, unknown>> {
    const columns = this.convert();
    const makeRow = rowFactory(this.columns);
    const n = this.arrow.numRows;
    let i = 0;
    // A hand-written iterator: about twice as fast per row as a generator function.
    return {
      next: (): IteratorResult<Record<string, unknown>> =>
        i < n ? { value: makeRow(columns, i++), done: false } : { value: undefined, done: true },
      [Symbol.iterator]() {
        return this;
      },
    } as Iterator<Record<string, unknown>>;
  }

  toArray(): Record<string, unknown>[] {
    const columns = this.convert();
    const makeRow = rowFactory(this.columns);
    const n = this.arrow.numRows;
    const rows = new Array<Record<string, unknown>>(n);
    for (let i = 0; i < n; i++) rows[i] = makeRow(columns, i);
    return rows;
  }

  get [Symbol.toStringTag](): string {
    return 'Batch';
  }
}

/** Wrap a RecordBatch as the lazy `Batch` interface `apply()` receives. */
export function createBatch(recordBatch: arrow.RecordBatch): Batch {
  return new ArrowBatch(recordBatch);
}
