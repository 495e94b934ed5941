/**
 * `groupBy` on the embedded engine: every row of a group reaches `apply` in ONE call,
 * never split (sparklyr users hit split groups: #3305, #2770). The input is gathered
 * in memory, rows are bucketed by their key, and each group becomes one record
 * batch. A group's partition is a hash of its key modulo the partition count (as
 * Spark's hash partitioning), so `ctx.partitionIndex` and the part file a group lands
 * in do not depend on input order. Groups are emitted in order of first appearance,
 * so the result order is the same whatever the number of workers.
 *
 * Only the key columns become JS values (once per column, to compute the keys); each
 * group's batch is gathered from the input's Arrow data by row position (`takeRows`),
 * so the other columns never go through JS.
 */
import type * as arrow from 'apache-arrow';
import { assembleRecordBatch, groupKeyPart, RowLocator, takeRows, vectorToJS } from '@tsapply/common';
import { InputError } from '../errors.js';
import type { BatchTask } from './partitioner.js';

/** 32-bit FNV-1a over UTF-16 code units: cheap and deterministic across runs. */
export function hashKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface GroupedInput {
  tasks: BatchTask[];
  rowsIn: number;
}

export async function groupBatches(
  batches: AsyncIterable<arrow.RecordBatch>,
  schema: arrow.Schema,
  keys: readonly string[],
  numPartitions: number,
): Promise<GroupedInput> {
  const names = schema.fields.map((f) => f.name);
  for (const k of keys) {
    if (!names.includes(k)) {
      throw new InputError(`groupBy column "${k}" is not in the input. Input columns: ${names.join(', ')}.`, { format: 'groupBy' });
    }
  }
  // Each column's chunks (one per input batch), and the key columns as JS values.
  const chunks: arrow.Data[][] = names.map(() => []);
  const keyIndexes = keys.map((k) => names.indexOf(k));
  const keyCols: unknown[][] = keys.map(() => []);
  let rowsIn = 0;
  for await (const batch of batches) {
    if (batch.numRows === 0) continue;
    rowsIn += batch.numRows;
    for (let c = 0; c < names.length; c++) chunks[c]!.push(...batch.getChildAt(c)!.data);
    keyIndexes.forEach((c, k) => {
      const values = vectorToJS(batch.getChildAt(c)!);
      const col = keyCols[k]!;
      for (let i = 0; i < values.length; i++) col.push(values[i]);
    });
  }
  const keyText = (r: number) => {
    let text = '';
    for (const col of keyCols) text += groupKeyPart(col[r]) + '\u0001';
    return text;
  };
  // Rows of each group, in order of first appearance. One key column of numbers, strings,
  // bigints or booleans (one JS type per column) is its own Map key, with no text per row.
  const single = keyCols.length === 1 ? keyCols[0]! : undefined;
  const primitive = single?.every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
  const groups = new Map<unknown, number[]>();
  for (let r = 0; r < rowsIn; r++) {
    const k = primitive ? single![r] : keyText(r);
    let rows = groups.get(k);
    if (!rows) groups.set(k, (rows = []));
    rows.push(r);
  }
  // Every column of a batch has the same chunk boundaries: one locator serves them all.
  const locator = new RowLocator((chunks[0] ?? []).map((d) => d.length));
  const tasks: BatchTask[] = [];
  for (const rows of groups.values()) {
    const at = locator.locate(rows);
    const children = schema.fields.map((f, c) => takeRows(f, chunks[c]!, at));
    const key: Record<string, unknown> = {};
    keys.forEach((k, i) => (key[k] = keyCols[i]![rows[0]!]));
    tasks.push({ partition: hashKey(keyText(rows[0]!)) % numPartitions, batch: assembleRecordBatch(schema, rows.length, children), key });
  }
  return { tasks, rowsIn };
}
