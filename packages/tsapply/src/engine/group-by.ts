/**
 * `groupBy` on the embedded engine: every row of a group reaches `apply` in ONE call,
 * never split (sparklyr users hit split groups: #3305, #2770). The input is gathered
 * in memory, rows are bucketed by their key, and each group becomes one record
 * batch. A group's partition is a hash of its key modulo the partition count (as
 * Spark's hash partitioning), so `ctx.partitionIndex` and the part file a group lands
 * in do not depend on input order. Groups are emitted in order of first appearance,
 * so the result order is the same whatever the number of workers.
 *
 * Key columns and gathered columns go through `vectorToJS` once per column (columnar),
 * and each group is rebuilt with `columnsToRecordBatch`.
 */
import * as arrow from 'apache-arrow';
import { columnsToRecordBatch, vectorToJS } from '@tsapply/common';
import { InputError } from '../errors.js';
import type { Task } from './partitioner.js';

/** A stable text form of one key value, distinguishing types (1 vs 1n vs "1"). */
function keyPart(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'bigint') return `b${v}`;
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (v instanceof Date) return `d${v.getTime()}`;
  return `j${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`;
}

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
  tasks: Task[];
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
  // Columns as JS arrays, concatenated over all batches.
  const columns: unknown[][] = names.map(() => []);
  for await (const batch of batches) {
    for (let c = 0; c < names.length; c++) {
      const values = vectorToJS(batch.getChildAt(c)!);
      const col = columns[c]!;
      for (let i = 0; i < values.length; i++) col.push(values[i]);
    }
  }
  const rowsIn = columns[0]?.length ?? 0;
  const keyCols = keys.map((k) => columns[names.indexOf(k)]!);
  const groups = new Map<string, number[]>();
  for (let r = 0; r < rowsIn; r++) {
    let text = '';
    for (const col of keyCols) text += keyPart(col[r]) + '\u0001';
    let rows = groups.get(text);
    if (!rows) groups.set(text, (rows = []));
    rows.push(r);
  }
  const tasks: Task[] = [];
  for (const [text, rows] of groups) {
    const cols: Record<string, unknown[]> = {};
    for (let c = 0; c < names.length; c++) {
      const src = columns[c]!;
      const out = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = src[rows[i]!];
      cols[names[c]!] = out;
    }
    const key: Record<string, unknown> = {};
    keys.forEach((k, i) => (key[k] = keyCols[i]![rows[0]!]));
    tasks.push({ partition: hashKey(text) % numPartitions, batch: columnsToRecordBatch(cols, schema), key });
  }
  return { tasks, rowsIn };
}
