/**
 * One input stored as Arrow IPC, CSV or JSON Lines on the embedded engine: the workers
 * reading their own pieces of the file against the driver reading it and feeding them
 * batch by batch.
 *
 *   node --import tsx benchmarks/local/input-formats.ts [runs] [--format arrow|csv|jsonl] [--out report.md]
 *
 * The flights file (3M rows) is written in the format (Arrow: one uncompressed IPC file in
 * its Parquet batches of 1,024 rows; CSV and JSON Lines: one record per line, read with
 * the columns declared, as `jobs/lib/bench-input.ts` says), and the CPU-bound
 * great-circle job runs over it in a fresh process per measurement with 1 and 2 workers,
 * each way. The driver feeds the batches when `taskTimeoutMs` is set (a timeout bounds
 * one call, and a worker's piece is many), which is how the two ways are compared in one
 * run. Wall time of `runJob`, median of `runs` (default 3); every run must write all 3M rows.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as arrow from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { median } from '../lib/measure.js';
import { runChild } from './child-process.js';
import { FLIGHTS_ROWS, flightsPath } from './datasets.js';

const FORMATS = ['arrow', 'csv', 'jsonl'] as const;
type Format = (typeof FORMATS)[number];

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, format: { type: 'string', default: 'arrow' } } });
const runs = Number(positionals[0] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got "${positionals[0]}".`);
const format = values.format as Format;
if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}".`);

/** `yyyy-MM-dd HH:mm:ss` (UTC) of a timestamp in milliseconds, as CSV files and Spark write it. */
const timestampText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The flights as text, one record per line, written in blocks. */
function writeText(path: string, table: arrow.Table, kind: 'csv' | 'jsonl'): void {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n)!);
  const fd = openSync(path, 'w');
  try {
    let block = kind === 'csv' ? `${names.join(',')}\n` : '';
    for (let i = 0; i < table.numRows; i++) {
      const [date, ...rest] = columns.map((c) => c.get(i) as unknown);
      const values = [timestampText(Number(date)), ...rest.map((v) => (typeof v === 'bigint' ? Number(v) : v))];
      block += kind === 'csv' ? `${values.join(',')}\n` : `${JSON.stringify(Object.fromEntries(names.map((n, k) => [n, values[k]])))}\n`;
      if (block.length > 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    }
    writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

/** Writes the flights file in `format` into `dir`: its path, and how it is stored, for the report. */
function writeInput(table: arrow.Table, dir: string): { path: string; detail: string } {
  const path = join(dir, `flights-3m.${format}`);
  if (format === 'arrow') {
    writeFileSync(path, arrow.tableToIPC(table, 'file'));
    return { path, detail: `one uncompressed Arrow IPC file (${table.batches.length.toLocaleString('en-US')} record batches)` };
  }
  writeText(path, table, format);
  return { path, detail: `one ${format === 'csv' ? 'CSV' : 'JSON Lines'} file of one record per line, columns declared` };
}

const dir = mkdtempSync(join(tmpdir(), `tsapply-${format}-input-`));
try {
  const table = arrow.tableFromIPC(readParquet(readFileSync(flightsPath())).intoIPCStream());
  const { path: input, detail } = writeInput(table, dir);
  const ways = [
    { name: `workers read their own ${format === 'arrow' ? 'record batches' : 'pieces of the file'}`, taskTimeoutMs: undefined },
    { name: 'the driver reads and feeds every batch', taskTimeoutMs: 3_600_000 },
  ];
  const rows: string[] = [];
  const seconds = new Map<string, number>();
  for (const workers of [1, 2]) {
    for (const way of ways) {
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        const report = await runChild({
          job: 'benchmarks/local/jobs/cpu-great-circle.ts',
          workers,
          out: join(dir, 'out'),
          input,
          inputFormat: format,
          ...(way.taskTimeoutMs !== undefined ? { taskTimeoutMs: way.taskTimeoutMs } : {}),
        });
        if (report.rowsOut !== FLIGHTS_ROWS) throw new Error(`${way.name}, ${workers} workers: wrote ${report.rowsOut} rows, expected ${FLIGHTS_ROWS}.`);
        samples.push(report.elapsedMs / 1000);
        process.stderr.write(`${format} input: ${workers} worker(s), ${way.name}, run ${r + 1}/${runs}: ${(report.elapsedMs / 1000).toFixed(2)} s\n`);
      }
      const s = median(samples);
      seconds.set(`${workers}/${way.name}`, s);
      rows.push(`| ${workers} | ${way.name} | ${s.toFixed(2)} | ${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)} | ${Math.round(FLIGHTS_ROWS / s).toLocaleString('en-US')} |`);
    }
  }
  const [own, fed] = ways.map((w) => w.name);
  const report = [
    `# ${{ arrow: 'Arrow IPC', csv: 'CSV', jsonl: 'JSON Lines' }[format]} input on the embedded engine (${new Date().toISOString()})`,
    '',
    `The CPU-bound great-circle job over the 3M-row flights file written as ${detail}, Node ${process.version}; wall time of \`runJob\` in a fresh process, median of ${runs}.`,
    '',
    '| workers | how the input reaches the workers | median s | min–max s | rows/s |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `Workers reading their own ${format === 'arrow' ? 'batches' : 'pieces'} against the driver feeding them: ${(seconds.get(`1/${fed}`)! / seconds.get(`1/${own}`)!).toFixed(2)}× with 1 worker, ${(seconds.get(`2/${fed}`)! / seconds.get(`2/${own}`)!).toFixed(2)}× with 2. ` +
      `2 workers against 1, workers reading: ${(seconds.get(`1/${own}`)! / seconds.get(`2/${own}`)!).toFixed(2)}×; driver feeding: ${(seconds.get(`1/${fed}`)! / seconds.get(`2/${fed}`)!).toFixed(2)}×.`,
    '',
  ].join('\n');
  process.stdout.write(report);
  if (values.out) writeFileSync(values.out, report);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
