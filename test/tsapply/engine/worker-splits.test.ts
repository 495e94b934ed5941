/**
 * The embedded engine's workers read their own input splits (Parquet row groups, range
 * ids) instead of receiving batches from the driver. Real Parquet files with small row
 * groups, real worker threads: the output must be exactly the input, in order, cut into
 * the partitions the partitioner defines, whichever way the rows reached the workers.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
import { columnsToRecordBatch, parseDDL, recordBatchToRows } from '@tsapply/common';
import { runJob, type RunSummary } from 'tsapply';
import { openInput } from '../../../packages/tsapply/dist/io/open-input.js';
import type { InputSource } from '../../../packages/tsapply/dist/io/input-source.js';
import { readSplit } from '../../../packages/tsapply/dist/io/read-split.js';
import { readRange } from '../../../packages/tsapply/dist/io/readers/range-reader.js';
import { parquetSplits, textSplits, type ArrowSplit } from '../../../packages/tsapply/dist/io/input-split.js';
import { partitionSplits, partitionStart } from '../../../packages/tsapply/dist/engine/partitioner.js';
import { JOBS, tempDir } from '../cli-helpers.ts';
import { testPython } from '../../worker-runtime/process/shim-harness.ts';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

const ROW_GROUP = 7;
const FILES = [30, 23]; // rows per file: row groups of 7 (the last of each file shorter)
const TOTAL = FILES.reduce((a, b) => a + b, 0);
const text = (id: number) => (id % 5 === 0 ? null : `row ${id} ${'é'.repeat(id % 3)}`);

/** A folder of Parquet files holding ids 0…TOTAL-1 in order, row groups of ROW_GROUP rows. */
function writeInput(): string {
  const input = join(dir, 'input');
  mkdirSync(input);
  let first = 0;
  FILES.forEach((rows, f) => {
    const ids = Array.from({ length: rows }, (_, i) => BigInt(first + i));
    const table = arrow.tableFromArrays({ id: BigInt64Array.from(ids), s: arrow.vectorFromArray(ids.map((id) => text(Number(id))), new arrow.Utf8()) });
    const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(ROW_GROUP).build();
    writeFileSync(join(input, `part-${f}.parquet`), writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
    first += rows;
  });
  return input;
}
const INPUT = writeInput();

/** Input rows where row groups start, over both files. */
function rowGroupStarts(): number[] {
  const starts: number[] = [];
  let first = 0;
  for (const rows of FILES) {
    for (let at = 0; at < rows; at += ROW_GROUP) starts.push(first + at);
    first += rows;
  }
  return [...starts, TOTAL];
}

interface OutRow {
  id: number;
  s: string | null;
  part: number;
  n: number;
}

interface RunCase {
  workers: number;
  numPartitions: number;
  taskTimeoutMs?: number;
  infer?: boolean;
  input?: { format: 'parquet' | 'csv' | 'jsonl' | 'arrow'; path: string; batchSize: number };
}

async function run(name: string, options: RunCase) {
  const input = options.input ?? { format: 'parquet', path: INPUT, batchSize: 4 };
  process.env.TSAPPLY_TEST_SPLIT_INPUT = input.path;
  process.env.TSAPPLY_TEST_SPLIT_FORMAT = input.format;
  process.env.TSAPPLY_TEST_SPLIT_BATCH = String(input.batchSize);
  process.env.TSAPPLY_TEST_SPLIT_INFER = options.infer ? '1' : '0';
  const output = join(dir, name);
  const summary: RunSummary = await runJob(join(JOBS, 'split-input.ts'), {
    workers: options.workers,
    numPartitions: options.numPartitions,
    output,
    format: 'arrow',
    typecheck: false,
    quiet: true,
    ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
  });
  const parts = readdirSync(output).filter((n) => n.startsWith('part-')).sort();
  const byPart = parts.map((p) =>
    [...arrow.tableFromIPC(readFileSync(join(output, p)))].map((r) => {
      const row = r.toJSON() as Record<string, unknown>;
      return { id: Number(row.id), s: row.s as string | null, part: Number(row.part), n: Number(row.n) } satisfies OutRow;
    }),
  );
  return { summary, parts, byPart };
}

describe('workers reading their own splits', () => {
  it('cut Parquet row groups at partition boundaries and read every row once, in order', async () => {
    // 5 partitions of 11 rows: boundaries at 11, 22, 33, 44, some inside a row group.
    const P = 5;
    const { summary, parts, byPart } = await run('split', { workers: 2, numPartitions: P });
    assert.deepEqual(parts, ['part-00000.arrow', 'part-00001.arrow', 'part-00002.arrow', 'part-00003.arrow', 'part-00004.arrow']);
    // Each piece of a row group inside a partition is read in batches of 4 from its own
    // first row: a piece [22, 28) comes as 4 + 2 rows (the driver, cutting its batches of
    // the row group [21, 28) at the boundary, would give 3 + 3).
    const starts = rowGroupStarts();
    let calls = 0;
    for (let p = 0; p < P; p++) {
      const [start, end] = [partitionStart(p, TOTAL, P), partitionStart(p + 1, TOTAL, P)];
      const expected: OutRow[] = [];
      for (let g = 0; g + 1 < starts.length; g++) {
        const [from, to] = [Math.max(start, starts[g]!), Math.min(end, starts[g + 1]!)];
        for (let at = from; at < to; at += 4) {
          const n = Math.min(4, to - at);
          calls++;
          for (let id = at; id < at + n; id++) expected.push({ id, s: text(id), part: p, n });
        }
      }
      assert.deepEqual(byPart[p], expected, `partition ${p} holds rows ${start}…${end - 1}`);
    }
    assert.equal(summary.batches, calls);
    assert.deepEqual([summary.rowsIn, summary.rowsOut, summary.partitions], [TOTAL, TOTAL, P]);
  });

  it('give the same rows as the driver reading (with a task timeout, batches are fed one by one)', async () => {
    const strip = (rows: OutRow[][]) => rows.map((part) => part.map(({ id, s, part: p }) => ({ id, s, part: p })));
    const splitRun = await run('split-4', { workers: 2, numPartitions: 4 });
    const fedRun = await run('fed-4', { workers: 2, numPartitions: 4, taskTimeoutMs: 60_000 });
    assert.deepEqual(strip(splitRun.byPart), strip(fedRun.byPart));
    assert.equal(strip(fedRun.byPart).flat().length, TOTAL);
  });

  it('sample a first batch whose result has more rows than a call takes arguments', async () => {
    const summary = await runJob(join(JOBS, 'explode-infer.ts'), { workers: 1, output: join(dir, 'explode-out'), format: 'arrow', typecheck: false, quiet: true });
    assert.deepEqual([summary.schemaInferred, summary.rowsIn, summary.rowsOut], [true, 1000, 500_000]);
  });

  it('sample the first batch of a split for schema inference and still run the rest of it', async () => {
    const { summary, byPart } = await run('infer', { workers: 1, numPartitions: 2, infer: true });
    assert.equal(summary.schemaInferred, true);
    assert.deepEqual(
      byPart.flat().map((r) => r.id),
      Array.from({ length: TOTAL }, (_, i) => i),
    );
    assert.deepEqual([summary.rowsIn, summary.rowsOut], [TOTAL, TOTAL]);
  });
});

/**
 * CSV and JSON Lines inputs of two files, 2,500 and 1,700 records (more than one
 * checkpoint each), with what makes record boundaries hard to find: quoted fields holding
 * line breaks and commas, blank lines, CRLF line ends in one file, non-ASCII text.
 */
const TEXT_FILES = [2500, 1700];
const TEXT_TOTAL = TEXT_FILES.reduce((a, b) => a + b, 0);
const textValue = (id: number) => (id % 97 === 0 ? `multi\nline, "quoted" ${id}` : id % 5 === 0 ? `naïve café ${id}` : `v${id}`);

function writeTextInputs(): { csv: string; jsonl: string } {
  const csv = join(dir, 'csv-input');
  const jsonl = join(dir, 'jsonl-input');
  mkdirSync(csv);
  mkdirSync(jsonl);
  let first = 0;
  TEXT_FILES.forEach((rows, f) => {
    const eol = f === 1 ? '\r\n' : '\n';
    const ids = Array.from({ length: rows }, (_, i) => first + i);
    const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
    const csvLines = ['id,s', ...ids.flatMap((id) => [`${id},${quote(textValue(id))}`, ...(id % 333 === 0 ? [''] : [])])];
    writeFileSync(join(csv, `part-${f}.csv`), csvLines.join(eol) + eol);
    const jsonLines = ids.flatMap((id) => [JSON.stringify({ id, s: textValue(id), nested: { k: id % 3 } }), ...(id % 333 === 0 ? ['  '] : [])]);
    writeFileSync(join(jsonl, `part-${f}.jsonl`), jsonLines.join(eol) + (f === 0 ? eol : ''));
    first += rows;
  });
  return { csv, jsonl };
}
const TEXT_INPUTS = writeTextInputs();

for (const format of ['csv', 'jsonl'] as const) {
  describe(`workers reading ${format} files from checkpoints`, () => {
    const input = { format, path: TEXT_INPUTS[format], batchSize: 100 };
    it('read every record once, in order, in the partitions the partitioner defines', async () => {
      const P = 3;
      const { summary, byPart } = await run(`${format}-split`, { workers: 2, numPartitions: P, input });
      for (let p = 0; p < P; p++) {
        const [start, end] = [partitionStart(p, TEXT_TOTAL, P), partitionStart(p + 1, TEXT_TOTAL, P)];
        assert.deepEqual(
          byPart[p]!.map(({ id, s, part }) => ({ id, s, part })),
          Array.from({ length: end - start }, (_, i) => ({ id: start + i, s: textValue(start + i), part: p })),
          `partition ${p} holds records ${start}…${end - 1}`,
        );
      }
      // Batches of 100 from the start of each piece: a piece of a file inside a partition,
      // at most 16 batches long.
      let calls = 0;
      let first = 0;
      for (let p = 0; p < P; p++) {
        const [start, end] = [partitionStart(p, TEXT_TOTAL, P), partitionStart(p + 1, TEXT_TOTAL, P)];
        first = 0;
        for (const rows of TEXT_FILES) {
          const span = Math.min(end, first + rows) - Math.max(start, first);
          if (span > 0) calls += Math.ceil(span / 100);
          first += rows;
        }
      }
      assert.equal(summary.batches, calls);
      assert.ok(byPart.flat().every((r) => r.n >= 1 && r.n <= 100));
      assert.deepEqual([summary.rowsIn, summary.rowsOut], [TEXT_TOTAL, TEXT_TOTAL]);
    });

    it('give the same rows as the driver reading them', async () => {
      const strip = (rows: OutRow[][]) => rows.map((part) => part.map(({ id, s, part: p }) => ({ id, s, part: p })));
      const split = await run(`${format}-split-5`, { workers: 2, numPartitions: 5, input });
      const fed = await run(`${format}-fed-5`, { workers: 2, numPartitions: 5, input, taskTimeoutMs: 60_000 });
      assert.deepEqual(strip(split.byPart), strip(fed.byPart));
    });
  });
}

describe('progress while a worker reads a split', () => {
  it('is reported batch by batch, not only when the task ends', async () => {
    // range 2500 in batches of 300 on one worker: one task of 9 batches.
    const seen: { rowsIn: number; batches: number }[] = [];
    const summary = await runJob(join(JOBS, 'identity-range.ts'), {
      workers: 1,
      output: join(dir, 'progress-out'),
      format: 'arrow',
      typecheck: false,
      quiet: true,
      onProgress: (p) => seen.push({ rowsIn: p.rowsIn, batches: p.batches }),
    });
    assert.equal(summary.batches, 9);
    // Each report is a whole number of batches, never going back, ending with the task.
    const rows = seen.map((p) => p.rowsIn);
    assert.ok(rows.every((n, i) => (n % 300 === 0 || n === 2500) && (i === 0 || n >= rows[i - 1]!)), rows.join(' '));
    assert.ok(seen.every((p) => p.rowsIn === Math.min(2500, 300 * p.batches)), JSON.stringify(seen));
    assert.equal(rows.at(-1), 2500);
    // Reports from inside the task (a batch's progress may reach the driver after its task's
    // result, which then stands for it, so not every batch need show).
    assert.ok(rows.filter((n) => n > 0 && n < 2500).length >= 4, rows.join(' '));
  });
});

describe('reading splits against reading the whole input', () => {
  /** Rows [start, end) read through the input's splits, as a worker reads them. */
  async function viaSplits(src: InputSource, start: number, end: number, maxRows?: number) {
    const rows: Record<string, unknown>[] = [];
    for (const split of src.splits!(start, end, maxRows)) for await (const b of readSplit(split, 7)) rows.push(...recordBatchToRows(b));
    return rows;
  }
  async function whole(src: InputSource) {
    const rows: Record<string, unknown>[] = [];
    for await (const b of src.batches) rows.push(...recordBatchToRows(b));
    return rows;
  }
  const cases: [string, string, Record<string, unknown>?][] = [
    // No header, a byte-order mark, CRLF line ends: the first checkpoint is byte 0 and the BOM is not data.
    ['csv', '\ufeff' + Array.from({ length: 3000 }, (_, i) => `${i},"q ${i}, ""x""${i % 50 === 0 ? '\r\nsecond line' : ''}"`).join('\r\n') + '\r\n', { header: false }],
    ['csv', 'a,b\n' + Array.from({ length: 2100 }, (_, i) => `${i},${i % 3 === 0 ? '' : `é${i}`}`).join('\n'), { inferSchema: false }],
    ['jsonl', Array.from({ length: 2600 }, (_, i) => (i % 400 === 0 ? '\n' : '') + JSON.stringify({ a: i, b: { c: [i, 'ü'] } })).join('\n') + '\n'],
    // A declared schema: no inference pass, the record starts come from a scan of the bytes.
    ['csv', '\ufeff' + Array.from({ length: 3000 }, (_, i) => `${i},"q ${i}, ""x""${i % 50 === 0 ? '\r\nsecond line' : ''}"`).join('\r\n') + '\r\n', { header: false, schema: 'a int, b string' }],
    [
      'csv',
      '\ufeffa,b\n\n' +
        Array.from({ length: 2100 }, (_, i) => `${i},${i % 7 === 0 ? '"lf\nand lone cr\r and ""quotes"""' : i % 3 === 0 ? '' : `é${i}`}${i % 300 === 0 ? '\n\n' : ''}`).join('\n'),
      { schema: 'a int, b string' },
    ],
    ['jsonl', Array.from({ length: 2600 }, (_, i) => (i % 400 === 0 ? ' \t\r\n\u00a0\n' : '') + JSON.stringify({ a: i, b: 'ü'.repeat(i % 3) })).join('\r\n'), { schema: 'a int, b string' }],
  ];
  cases.forEach(([format, text, options], n) => {
    it(`give the same rows for any range: ${format} ${JSON.stringify(options ?? {})}`, async () => {
      const path = join(dir, `whole-${n}.${format}`);
      writeFileSync(path, text);
      const open = () => openInput({ format, path, ...(options ? { options } : {}) } as never, { baseDir: dir, batchSize: 7 });
      const all = await whole(await open());
      const src = await open();
      assert.equal(src.totalRows, all.length);
      for (const [start, end] of [
        [0, all.length],
        [0, 1],
        [1023, 1025],
        [1024, 2049],
        [all.length - 3, all.length],
      ] as const) {
        assert.deepEqual(await viaSplits(src, start, end), all.slice(start, end), `rows ${start}…${end - 1}`);
      }
      assert.deepEqual(await viaSplits(src, 5, 2000, 300), all.slice(5, 2000), 'in pieces of 300');
    });
  });
});

describe('a CSV file with a declared schema whose records end in a lone CR', () => {
  it('has no splits (the driver reads it) and gives every row', async () => {
    const path = join(dir, 'lone-cr.csv');
    writeFileSync(path, 'a,b\r' + Array.from({ length: 1500 }, (_, i) => `${i},"x\r\ny"`).join('\r'));
    const src = await openInput({ format: 'csv', path, options: { schema: 'a int, b string' } } as never, { baseDir: dir, batchSize: 100 });
    assert.equal(src.splits, undefined);
    const rows: Record<string, unknown>[] = [];
    for await (const b of src.batches) rows.push(...recordBatchToRows(b));
    assert.deepEqual(rows, Array.from({ length: 1500 }, (_, i) => ({ a: i, b: 'x\r\ny' })));
  });
});

describe('a bad value in a CSV file read in pieces', () => {
  /** The driver reading the whole file, and a worker reading rows 2048… from a checkpoint, both fail with `message`. */
  async function refusedBothWays(path: string, message: string) {
    const src = await openInput({ format: 'csv', path, options: { schema: 'a int, b string' } } as never, { baseDir: dir, batchSize: 100 });
    await assert.rejects(async () => {
      for await (const _ of src.batches);
    }, { message });
    await assert.rejects(async () => {
      for (const split of src.splits!(2048, 3000)) for await (const _ of readSplit(split, 100));
    }, { message });
  }

  for (const eol of ['\n', '\r\n']) {
    it(`names the line its record starts on, past quoted line breaks, whoever reads it (${JSON.stringify(eol)})`, async () => {
      const path = join(dir, `bad-line-${eol.length}.csv`);
      const records = Array.from({ length: 3000 }, (_, i) => `${i === 2501 ? 'x' : i},"${i % 100 === 0 ? `two${eol}lines` : 'v'}"`);
      writeFileSync(path, ['a,b', '', ...records].join(eol) + eol);
      // The header and an empty line, then one line per record, two for each of the 26 hundredths before it.
      const line = 3 + 2501 + 26;
      assert.equal(readFileSync(path, 'utf8').split(eol)[line - 1], 'x,"v"');
      const message = `Cannot read csv input "${path}": line ${line}, column "a": "x" is not a valid int. Fix the data or declare the column as string in input.options.schema.`;
      await refusedBothWays(path, message);
    });

    it(`names the file's line of a record csv-parse refuses, not one counted from a worker's checkpoint (${JSON.stringify(eol)})`, async () => {
      const path = join(dir, `bad-quote-${eol.length}.csv`);
      const records = Array.from({ length: 3000 }, (_, i) => (i === 2501 ? `${i},ab"c` : `${i},"${i % 100 === 0 ? `two${eol}lines` : 'v'}"`));
      writeFileSync(path, ['a,b', ...records].join(eol) + eol);
      const line = 2 + 2501 + 26;
      assert.equal(readFileSync(path, 'utf8').split(eol)[line - 1], '2501,ab"c');
      const message = `Cannot read csv input "${path}": Invalid Opening Quote: a quote is found on field 1 at line ${line}, value is "ab"`;
      await refusedBothWays(path, message);
    });
  }
});

describe('Arrow IPC inputs read batch by batch by the workers', () => {
  const SCHEMA = parseDDL('id bigint, s string');
  /** 3 files of ids in record batches of uneven sizes (with an empty one), strings and nulls. */
  function arrowInput(name: string, format: 'file' | 'stream'): { path: string; rows: Record<string, unknown>[] } {
    const folder = join(dir, name);
    mkdirSync(folder);
    const rows: Record<string, unknown>[] = [];
    let id = 0;
    [[5, 0, 11], [1], [7, 3]].forEach((sizes, f) => {
      const batches = sizes.map((n) => {
        const ids = Array.from({ length: n }, () => id++);
        for (const i of ids) rows.push({ id: BigInt(i), s: text(i) });
        return columnsToRecordBatch({ id: BigInt64Array.from(ids, BigInt), s: ids.map(text) }, SCHEMA);
      });
      writeFileSync(join(folder, `part-${f}.arrow`), arrow.tableToIPC(new arrow.Table(batches), format));
    });
    return { path: folder, rows };
  }

  for (const format of ['file', 'stream'] as const) {
    it(`know their row count and give the same rows for any range (${format} format)`, async () => {
      const input = arrowInput(`arrow-${format}`, format);
      const src = await openInput({ format: 'arrow', path: input.path } as never, { baseDir: dir, batchSize: 4 });
      assert.equal(src.totalRows, 27);
      const all: Record<string, unknown>[] = [];
      for await (const b of src.batches) all.push(...recordBatchToRows(b));
      assert.deepEqual(all, input.rows);
      for (const [start, end, maxRows] of [[0, 27], [3, 9], [16, 17], [16, 27, 2], [26, 27]] as const) {
        const got: Record<string, unknown>[] = [];
        const splits = src.splits!(start, end, maxRows);
        assert.ok(splits.every((sp) => sp.kind === 'arrow' && sp.rows > 0 && sp.rows <= (maxRows ?? Infinity)));
        for (const split of splits) for await (const b of readSplit(split, 4)) got.push(...recordBatchToRows(b));
        assert.deepEqual(got, input.rows.slice(start, end), `rows ${start}…${end - 1}`);
      }
    });
  }

  it('read runs of consecutive batches, each one read of its file', async () => {
    // 40 batches of one row; with batches of 1 row a run takes 16 of them.
    const path = join(dir, 'one-row-batches.arrow');
    const batches = Array.from({ length: 40 }, (_, i) => columnsToRecordBatch({ id: BigInt64Array.of(BigInt(i)), s: [text(i)] }, SCHEMA));
    writeFileSync(path, arrow.tableToIPC(new arrow.Table(batches), 'file'));
    const src = await openInput({ format: 'arrow', path } as never, { baseDir: dir, batchSize: 1 });
    const splits = src.splits!(0, 40) as ArrowSplit[];
    assert.deepEqual(splits.map((sp) => [sp.offset, sp.rows]), [[0, 16], [0, 16], [0, 8]]);
    // Back to back in the file.
    assert.equal(splits[0]!.batchBytes[1], splits[1]!.batchBytes[0]);
    assert.equal(splits[1]!.batchBytes[1], splits[2]!.batchBytes[0]);
    const got: Record<string, unknown>[] = [];
    for (const split of src.splits!(10, 35)) for await (const b of readSplit(split, 1)) got.push(...recordBatchToRows(b));
    assert.deepEqual(got, Array.from({ length: 25 }, (_, i) => ({ id: BigInt(10 + i), s: text(10 + i) })));
  });

  it('run a job on 2 workers with the rows of each partition in order', async () => {
    const input = arrowInput('arrow-job', 'file');
    const P = 3;
    const { summary, byPart } = await run('arrow-out', { workers: 2, numPartitions: P, input: { format: 'arrow', path: input.path, batchSize: 4 } });
    assert.deepEqual([summary.rowsIn, summary.rowsOut, summary.partitions], [27, 27, P]);
    for (let p = 0; p < P; p++) {
      const [start, end] = [partitionStart(p, 27, P), partitionStart(p + 1, 27, P)];
      assert.deepEqual(
        byPart[p]!.map((r) => [r.id, r.s, r.part]),
        input.rows.slice(start, end).map((r) => [Number(r.id), r.s, p]),
        `partition ${p} holds rows ${start}…${end - 1}`,
      );
    }
  });

  it('read Feather files as pyarrow writes them: LZ4 (its default), Zstandard or uncompressed', async (t) => {
    const py = await testPython();
    if ('skip' in py) return t.skip(py.skip);
    const folder = join(dir, 'feather');
    mkdirSync(folder);
    const script = [
      'import sys, pyarrow as pa, pyarrow.feather as feather',
      "t = pa.table({'id': pa.array(range(10000), pa.int64()), 's': pa.array([None if i % 5 == 0 else 'row %d' % i for i in range(10000)])})",
      "for c in ('lz4', 'zstd', 'uncompressed'): feather.write_feather(t, '%s/%s.arrow' % (sys.argv[1], c), compression=c, chunksize=3000)",
    ].join('\n');
    const r = spawnSync(py.python, ['-c', script, folder], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const expected = Array.from({ length: 10000 }, (_, i) => ({ id: BigInt(i), s: i % 5 === 0 ? null : `row ${i}` }));
    for (const codec of ['lz4', 'zstd', 'uncompressed']) {
      const src = await openInput({ format: 'arrow', path: join(folder, `${codec}.arrow`) } as never, { baseDir: dir, batchSize: 1000 });
      assert.equal(src.totalRows, 10000, codec);
      const whole: Record<string, unknown>[] = [];
      for await (const b of src.batches) whole.push(...recordBatchToRows(b));
      assert.deepEqual(whole, expected, `${codec}, read by the driver`);
      const pieces: Record<string, unknown>[] = [];
      for (const split of src.splits!(2999, 9001, 2500)) for await (const b of readSplit(split, 1000)) pieces.push(...recordBatchToRows(b));
      assert.deepEqual(pieces, expected.slice(2999, 9001), `${codec}, read by splits`);
    }
  });

  it('with dictionary-encoded columns are read whole by the driver, with the same rows', async () => {
    const path = join(dir, 'dictionary.arrow');
    const words = arrow.vectorFromArray(['a', 'b', 'a', null, 'c'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()));
    writeFileSync(path, arrow.tableToIPC(new arrow.Table({ w: words }), 'file'));
    const src = await openInput({ format: 'arrow', path } as never, { baseDir: dir, batchSize: 4 });
    assert.equal(src.splits, undefined);
    assert.equal(src.totalRows, undefined);
    const all: Record<string, unknown>[] = [];
    for await (const b of src.batches) all.push(...recordBatchToRows(b));
    assert.deepEqual(all.map((r) => r.w), ['a', 'b', 'a', null, 'c']);
  });

  it('refuse a truncated file, saying it is truncated', async () => {
    for (const format of ['stream', 'file'] as const) {
      const input = arrowInput(`arrow-cut-${format}`, format);
      const file = join(input.path, 'part-0.arrow');
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length - 40));
      await assert.rejects(openInput({ format: 'arrow', path: input.path } as never, { baseDir: dir, batchSize: 4 }), (e: Error) => {
        assert.match(
          e.message,
          format === 'stream'
            ? /^Cannot read arrow input ".*part-0\.arrow": the message at byte \d+ ends at byte \d+, past the end of its data \(\d+\); the file is truncated\.$/
            : /^Cannot read arrow input ".*part-0\.arrow": it starts as an Arrow IPC file but does not end as one \(no closing "ARROW1"\): it is truncated, or still being written\.$/,
          format,
        );
        return true;
      });
    }
  });
});

describe('a file that changes under the workers', () => {
  it('is refused with what changed, and no output is left', async () => {
    const input = join(dir, 'changing.csv');
    writeFileSync(input, ['id,s', ...Array.from({ length: 50 }, (_, i) => `${i},r${i}`)].join('\n') + '\n');
    process.env.TSAPPLY_TEST_SPLIT_INPUT = input;
    const output = join(dir, 'changed-out');
    await assert.rejects(
      runJob(join(JOBS, 'split-changed.ts'), { workers: 2, output, format: 'csv', typecheck: false, quiet: true }),
      (e: Error) => {
        assert.match(
          e.message,
          /^Cannot read csv input ".*changing\.csv": the file changed while the job ran \(\d+ bytes, modified \S+ when the job started; now \d+ bytes, modified \S+\)\. Re-run the job once the file is complete\.$/,
        );
        return true;
      },
    );
    assert.equal(existsSync(output), false);
  });
});

describe('input splits', () => {
  const version = { bytes: 100, mtimeMs: 1 };
  const groups = [
    { path: 'a', version, rowGroup: 0, firstRow: 0, rows: 10 },
    { path: 'a', version, rowGroup: 1, firstRow: 10, rows: 5 },
    { path: 'b', version, rowGroup: 0, firstRow: 15, rows: 10 },
  ];
  it('cover a row range with one piece per row group it touches', () => {
    assert.deepEqual(parquetSplits(groups, 8, 17), [
      { kind: 'parquet', path: 'a', version, rowGroup: 0, offset: 8, rows: 2 },
      { kind: 'parquet', path: 'a', version, rowGroup: 1, offset: 0, rows: 5 },
      { kind: 'parquet', path: 'b', version, rowGroup: 0, offset: 0, rows: 2 },
    ]);
    assert.deepEqual(parquetSplits(groups, 25, 25), []);
  });
  it('become tasks partition by partition, the last one per worker cut in four whole-batch pieces', () => {
    // Range ids can be cut anywhere.
    const ids = readRange(100, undefined, { batchSize: 5 }).splits!;
    const tasks = [...partitionSplits(ids, { totalRows: 100, numPartitions: 3, workers: 2, batchSize: 5 })];
    assert.deepEqual(
      tasks.map((t) => [t.partition, (t.split as { start: number }).start, t.split.rows]),
      [
        [0, 0, 34],
        // 34 rows in pieces of ⌈34 / 4 / 5⌉ · 5 = 10 rows: whole batches of 5 from the start.
        [1, 34, 10],
        [1, 44, 10],
        [1, 54, 10],
        [1, 64, 4],
        [2, 68, 10],
        [2, 78, 10],
        [2, 88, 10],
        [2, 98, 2],
      ],
    );
    // One worker has no one to wait for: nothing is cut.
    assert.equal([...partitionSplits(ids, { totalRows: 100, numPartitions: 3, workers: 1, batchSize: 5 })].length, 3);
  });

  it('of a text file start at the checkpoint before their first record and pass over the rest', () => {
    const file = { path: 'f.csv', version, firstRow: 10, rows: 3000, points: [{ byte: 6, line: 1 }, { byte: 9000, line: 1100 }, { byte: 18000, line: 2200 }] };
    assert.deepEqual(textSplits([file], 1040, 1050, Infinity, { kind: 'csv', schema: 'a int' }), [
      { kind: 'csv', schema: 'a int', path: 'f.csv', version, byte: 9000, line: 1100, skip: 6, rows: 10 },
    ]);
    assert.deepEqual(
      textSplits([file], 10, 3010, 1500, { kind: 'jsonl', schema: 'a int' }).map((t) => [t.byte, t.skip, t.rows]),
      [
        [6, 0, 1500],
        [9000, 1500 - 1024, 1500],
      ],
    );
  });
});
