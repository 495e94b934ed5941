// The worker's cutter of a sorted partition into groups, on real Arrow batches: runs
// of equal keys become one group each, also across batch boundaries, with Spark's
// grouping equality (null = null, NaN = NaN, -0.0 = 0.0, nested values by content).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordBatchToRows, parseDDL, rowsToRecordBatch } from '@tsapply/common';
import type { RecordBatch } from 'apache-arrow';
import { SortedGroupCutter } from '../../../worker-runtime/dist/process/sorted-groups.js';

type Row = Record<string, unknown>;

function batches(ddl: string, rows: Row[], sizes: number[]): RecordBatch[] {
  const schema = parseDDL(ddl);
  const out: RecordBatch[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(rowsToRecordBatch(rows.slice(at, at + n), schema));
    at += n;
  }
  assert.equal(at, rows.length, 'the sizes cover every row');
  return out;
}

function cut(columns: string[], input: RecordBatch[]): { key: Row; rows: Row[] }[] {
  const cutter = new SortedGroupCutter(columns);
  const groups = [...input.flatMap((b) => cutter.push(b)), ...cutter.finish()];
  return groups.map((g) => ({ key: g.key, rows: recordBatchToRows(g.batch) }));
}

describe('SortedGroupCutter', () => {
  it('cuts runs of equal keys, joining a group that spans batches, and keeps every row once in order', () => {
    const rows = [1, 1, 2, 2, 2, 2, 2, 3, 4, 4].map((k, i) => ({ k: BigInt(k), v: `r${i}` }));
    // Batch edges fall inside groups 2 and 4, and right after group 1.
    const groups = cut(['k'], batches('k bigint, v string', rows, [2, 3, 1, 3, 1]));
    assert.deepEqual(
      groups.map((g) => [g.key.k, g.rows.map((r) => r.v).join(' ')]),
      [
        [1n, 'r0 r1'],
        [2n, 'r2 r3 r4 r5 r6'],
        [3n, 'r7'],
        [4n, 'r8 r9'],
      ],
    );
  });

  it('treats null as one key, NaN as one key and -0.0 as 0.0, as Spark groups them', () => {
    const rows = [null, null, Number.NaN, Number.NaN, -0, 0, 1.5].map((k, i) => ({ k, i }));
    const groups = cut(['k'], batches('k double, i int', rows, [3, 4]));
    assert.deepEqual(
      groups.map((g) => [g.key.k, g.rows.map((r) => r.i)]),
      [
        [null, [0, 1]],
        [Number.NaN, [2, 3]],
        [-0, [4, 5]],
        [1.5, [6]],
      ],
    );
  });

  it('compares several key columns, strings, dates and nested values by content', () => {
    const d = (s: string) => new Date(`${s}T00:00:00Z`);
    const rows = [
      { a: 'x', b: d('2024-01-01'), s: [1, 2], i: 0 },
      { a: 'x', b: d('2024-01-01'), s: [1, 2], i: 1 },
      { a: 'x', b: d('2024-01-01'), s: [1, 3], i: 2 },
      { a: 'x', b: d('2024-01-02'), s: [1, 3], i: 3 },
      { a: 'y', b: d('2024-01-02'), s: [1, 3], i: 4 },
    ];
    const groups = cut(['a', 'b', 's'], batches('a string, b date, s array<int>, i int', rows, [1, 1, 3]));
    assert.deepEqual(
      groups.map((g) => g.rows.map((r) => r.i)),
      [[0, 1], [2], [3], [4]],
    );
    assert.deepEqual(groups[0]!.key, { a: 'x', b: d('2024-01-01'), s: [1, 2] });
  });

  it('cuts every key type where its value changes, nulls included (read from the Arrow buffers)', () => {
    // Runs of 1–3 equal keys per type; the expected cut is computed from the rows' own values.
    const ddl = 'k tinyint, s smallint, i int, l bigint, f float, b boolean, dec decimal(20,3), t timestamp, d date, bin binary, str string, pos int';
    const pick = <T,>(choices: T[], i: number) => choices[Math.floor(i / (1 + (i % 3))) % choices.length]!;
    const rows: Row[] = [];
    for (let i = 0; i < 60; i++) {
      const run = Math.floor(i / 3);
      rows.push({
        k: run % 5 === 4 ? null : run % 7,
        s: pick([1, 2, null], run),
        i: run * 1000,
        l: run % 6 === 5 ? null : BigInt(run) * 4_000_000_000n,
        f: pick([1.5, Number.NaN, null, -0, 0], run),
        b: pick([true, false, null], run),
        dec: `${run}.125`,
        t: new Date(Date.UTC(2024, 0, 1) + run * 1000),
        d: new Date(Date.UTC(2024, 0, 1 + (run % 4))),
        bin: new Uint8Array([run % 3, 7]),
        str: pick(['a', 'bb', null, 'é'], run),
        pos: i,
      });
    }
    const columns = ['k', 's', 'i', 'l', 'f', 'b', 'dec', 't', 'd', 'bin', 'str'];
    for (const column of columns) {
      const input = batches(ddl, rows, [7, 13, 40]);
      const got = cut([column], input).map((g) => g.rows.map((r) => r.pos));
      // Expected: a new group wherever the column's value differs from the previous row's.
      const all = input.flatMap((b) => recordBatchToRows(b));
      const same = (a: unknown, b: unknown) => a === b || (Number.isNaN(a) && Number.isNaN(b)) || (a !== null && b !== null && typeof a === 'object' && JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) === JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
      const want: number[][] = [];
      all.forEach((r, i) => {
        if (i === 0 || !same(all[i - 1]![column], r[column])) want.push([]);
        want[want.length - 1]!.push(r.pos as number);
      });
      assert.deepEqual(got, want, `cut by ${column}`);
      assert.ok(want.length > 5 && want.length < 60, `${column}: the input has runs (${want.length} groups)`);
    }
  });

  it('gives nothing for an empty partition or empty batches, and names a missing group column', () => {
    const empty = batches('k int', [], [0]);
    assert.deepEqual(cut(['k'], empty), []);
    const cutter = new SortedGroupCutter(['nope']);
    assert.throws(() => cutter.push(batches('k int', [{ k: 1 }], [1])[0]!), /group column "nope" is not in the input \(columns: k\)/);
  });
});
