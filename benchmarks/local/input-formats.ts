/**
 * An Arrow IPC input on the embedded engine: the workers reading their own runs of record
 * batches against the driver reading the file and feeding them batch by batch.
 *
 *   node --import tsx benchmarks/local/arrow-input.ts [runs] [--out report.md]
 *
 * The flights file (3M rows) is written as one uncompressed Arrow IPC file in its Parquet
 * batches of 1,024 rows, and the CPU-bound great-circle job runs over it in a fresh
 * process per measurement with 1 and 2 workers, each way. The driver feeds the batches
 * when `taskTimeoutMs` is set (a timeout bounds one call, and a worker's split is many),
 * which is how the two ways are compared in one run. Wall time of `runJob`, median of
 * `runs` (default 3); every run must write all 3M rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as arrow from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { median } from '../lib/measure.js';
import { runChild } from './child-process.js';
import { FLIGHTS_ROWS, flightsPath } from './datasets.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const runs = Number(positionals[0] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got "${positionals[0]}".`);

const dir = mkdtempSync(join(tmpdir(), 'tsapply-arrow-input-'));
try {
  const input = join(dir, 'flights-3m.arrow');
  const table = arrow.tableFromIPC(readParquet(readFileSync(flightsPath())).intoIPCStream());
  writeFileSync(input, arrow.tableToIPC(table, 'file'));
  const ways = [
    { name: 'workers read their own record batches', taskTimeoutMs: undefined },
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
          inputFormat: 'arrow',
          ...(way.taskTimeoutMs !== undefined ? { taskTimeoutMs: way.taskTimeoutMs } : {}),
        });
        if (report.rowsOut !== FLIGHTS_ROWS) throw new Error(`${way.name}, ${workers} workers: wrote ${report.rowsOut} rows, expected ${FLIGHTS_ROWS}.`);
        samples.push(report.elapsedMs / 1000);
        process.stderr.write(`arrow-input: ${workers} worker(s), ${way.name}, run ${r + 1}/${runs}: ${(report.elapsedMs / 1000).toFixed(2)} s\n`);
      }
      const s = median(samples);
      seconds.set(`${workers}/${way.name}`, s);
      rows.push(`| ${workers} | ${way.name} | ${s.toFixed(2)} | ${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)} | ${Math.round(FLIGHTS_ROWS / s).toLocaleString('en-US')} |`);
    }
  }
  const [own, fed] = ways.map((w) => w.name);
  const report = [
    `# Arrow IPC input on the embedded engine (${new Date().toISOString()})`,
    '',
    `The CPU-bound great-circle job over the 3M-row flights file written as one uncompressed Arrow IPC file (${table.batches.length.toLocaleString('en-US')} record batches), Node ${process.version}; wall time of \`runJob\` in a fresh process, median of ${runs}.`,
    '',
    '| workers | how the input reaches the workers | median s | min–max s | rows/s |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `Workers reading their own batches against the driver feeding them: ${(seconds.get(`1/${fed}`)! / seconds.get(`1/${own}`)!).toFixed(2)}× with 1 worker, ${(seconds.get(`2/${fed}`)! / seconds.get(`2/${own}`)!).toFixed(2)}× with 2. ` +
      `2 workers against 1, workers reading: ${(seconds.get(`1/${own}`)! / seconds.get(`2/${own}`)!).toFixed(2)}×; driver feeding: ${(seconds.get(`1/${fed}`)! / seconds.get(`2/${fed}`)!).toFixed(2)}×.`,
    '',
  ].join('\n');
  process.stdout.write(report);
  if (values.out) writeFileSync(values.out, report);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
