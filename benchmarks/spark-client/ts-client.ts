/**
 * The tsapply side of the Spark client benchmark, run as its own Node process (like the
 * PySpark side) so each client has a process, a heap and a profile of its own:
 *
 *   node --max-old-space-size=8192 --import tsx benchmarks/spark-client/ts-client.ts \
 *     --remote sc://localhost:15002 --rows 10000000 --runs 5 [--modes toArrow,stream,collect]
 *
 * Add `--cpu-prof` before `--import` to profile it. For every mode it makes one warm-up
 * call whose result is checked in full (checksums of every column, see `query.ts`), then
 * `--runs` timed calls (each checked for its row count only, so checking costs nothing in
 * the timings). Each timed call records wall time and this process's CPU time (user +
 * system, all threads): on a shared machine the wall time includes waiting for the
 * server and for other processes, the CPU time is the client's own cost. Prints one JSON
 * object (`ClientReport`) on stdout; progress on stderr.
 *
 * Modes:
 * - `toArrow`: `await df.toArrow()` — the whole result as an apache-arrow Table.
 * - `stream`:  `for await (const batch of df)` — RecordBatches one at a time, none kept.
 * - `collect`: `await df.collect()` — row objects (bigint, number, string, boolean, Date).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import * as arrow from 'apache-arrow';
import type { DataFrame } from '@tsapply/spark-connect';
import { COLUMNS, SELECT_EXPRS, TS_BASE_MICROS, formatDouble, type Checksums } from './query.js';

export const TS_MODES = ['toArrow', 'stream', 'collect'] as const;
export type TsMode = (typeof TS_MODES)[number];

/** What either client script prints (the PySpark script prints the same shape). */
export interface ClientReport {
  client: string;
  versions: Record<string, string>;
  rows: number;
  /** Arrow buffer bytes of the result (Σ of every column's value/offset/validity buffers). */
  arrowBytes: number;
  /** Per mode: checksums of the checked warm-up call, and the timed calls in ms. */
  modes: Record<string, { checksums: Checksums; samplesMs: number[]; cpuMs: number[]; batches?: number }>;
}

/** Version of an installed npm package (read from its package.json next to its entry). */
function packageVersion(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? 'unknown';
    } catch {
      // no package.json at this level
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/**
 * The client under test: `@tsapply/spark-connect`, or another build of it named by
 * `SPARK_CLIENT_BENCH_MODULE` (a path to its `dist/index.js`), to measure a change
 * before/after against the same server.
 */
const clientModule = process.env.SPARK_CLIENT_BENCH_MODULE ?? '@tsapply/spark-connect';
const { SparkSession, CLIENT_VERSION } = (await import(clientModule)) as typeof import('@tsapply/spark-connect');

const log = (m: string): void => void process.stderr.write(`[ts-client] ${m}\n`);

/** Bytes held by an Arrow Data chunk's own buffers (children included). */
function dataBytes(d: arrow.Data): number {
  let n = (d.values?.byteLength ?? 0) + (d.valueOffsets?.byteLength ?? 0) + (d.nullBitmap?.byteLength ?? 0);
  for (const c of d.children) n += dataBytes(c);
  return n;
}

function tableBytes(batches: readonly arrow.RecordBatch[]): number {
  let n = 0;
  for (const b of batches) for (const c of b.data.children) n += dataBytes(c);
  return n;
}

/** Running checksums over Arrow batches, reading typed arrays directly. */
class ArrowChecksum {
  rows = 0;
  sumId = 0n;
  sumX = 0;
  sumLenS = 0;
  countB = 0;
  sumTs = 0n;
  nulls = 0;

  add(batch: arrow.RecordBatch): void {
    this.rows += batch.numRows;
    const [id, x, s, b, ts] = COLUMNS.map((name) => batch.getChild(name)!.data[0]!);
    for (const d of [id, x, s, b, ts]) this.nulls += d!.nullCount;
    // arrow-js slices fixed-width values and offsets with the Data (index from 0), but not
    // a Bool's bitmap (index from data.offset, in bits).
    const ids = id!.values as BigInt64Array;
    const xs = x!.values as Float64Array;
    const tss = ts!.values as BigInt64Array;
    const bits = b!.values as Uint8Array;
    const offs = s!.valueOffsets as Int32Array;
    this.sumLenS += offs[s!.length]! - offs[0]!;
    // Sum ids and timestamp offsets as doubles over blocks of 1024 values (exact: a block's
    // sum stays below 2^53 for ids < 2^33), then carry each block's sum as a bigint.
    for (let start = 0; start < id!.length; start += 1024) {
      const end = Math.min(start + 1024, id!.length);
      let sid = 0;
      let sts = 0;
      for (let i = start; i < end; i++) {
        sid += Number(ids[i]!);
        sts += Number(tss[i]! - TS_BASE_MICROS);
      }
      this.sumId += BigInt(sid);
      this.sumTs += BigInt(sts);
    }
    for (let i = 0; i < x!.length; i++) this.sumX += xs[i]!;
    for (let i = 0; i < b!.length; i++) {
      const p = b!.offset + i;
      this.countB += (bits[p >> 3]! >> (p & 7)) & 1;
    }
  }

  result(): Checksums {
    return {
      rows: String(this.rows),
      sumId: String(this.sumId),
      sumX: formatDouble(this.sumX),
      sumLenS: String(this.sumLenS),
      countB: String(this.countB),
      sumTsOffsetMicros: String(this.sumTs),
      nulls: String(this.nulls),
    };
  }
}

/** Checksums over row objects, checking each value's JS type per the tsapply mapping. */
function rowChecksums(rows: Record<string, unknown>[]): Checksums {
  let sumId = 0n;
  let sumX = 0;
  let sumLenS = 0;
  let countB = 0;
  let sumTsMs = 0;
  let nulls = 0;
  const baseMs = Number(TS_BASE_MICROS / 1000n);
  for (const r of rows) {
    const { id, x, s, b, ts } = r as { id: unknown; x: unknown; s: unknown; b: unknown; ts: unknown };
    if (typeof id !== 'bigint' || typeof x !== 'number' || typeof s !== 'string' || typeof b !== 'boolean' || !(ts instanceof Date)) {
      nulls++; // a null or a value of the wrong type; either way the check fails
      continue;
    }
    sumId += id;
    sumX += x;
    sumLenS += s.length;
    if (b) countB++;
    sumTsMs += ts.getTime() - baseMs;
  }
  return {
    rows: String(rows.length),
    sumId: String(sumId),
    sumX: formatDouble(sumX),
    sumLenS: String(sumLenS),
    countB: String(countB),
    // Timestamps are whole milliseconds here, so a Date carries them exactly.
    sumTsOffsetMicros: String(BigInt(sumTsMs) * 1000n),
    nulls: String(nulls),
  };
}

interface ModeResult {
  rows: number;
  batches: number;
  checksums?: Checksums;
  bytes?: number;
}

/** One call of `mode`; `check` computes checksums (warm-up only). */
async function runMode(df: DataFrame, mode: TsMode, check: boolean): Promise<ModeResult> {
  if (mode === 'toArrow') {
    const table = await df.toArrow();
    if (!check) return { rows: table.numRows, batches: table.batches.length };
    const sum = new ArrowChecksum();
    for (const b of table.batches) sum.add(b);
    return { rows: table.numRows, batches: table.batches.length, checksums: sum.result(), bytes: tableBytes(table.batches) };
  }
  if (mode === 'stream') {
    const sum = check ? new ArrowChecksum() : undefined;
    let rows = 0;
    let batches = 0;
    for await (const batch of df) {
      rows += batch.numRows;
      batches++;
      sum?.add(batch);
    }
    return { rows, batches, checksums: sum?.result() };
  }
  const rows = await df.collect();
  return { rows: rows.length, batches: 0, checksums: check ? rowChecksums(rows) : undefined };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      remote: { type: 'string' },
      rows: { type: 'string' },
      runs: { type: 'string', default: '5' },
      modes: { type: 'string', default: TS_MODES.join(',') },
    },
  });
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const modes = values.modes!.split(',') as TsMode[];
  if (!values.remote || !Number.isSafeInteger(rows) || rows < 1 || !Number.isInteger(runs) || runs < 1) {
    throw new Error('usage: ts-client.ts --remote sc://host:port --rows N [--runs R] [--modes toArrow,stream,collect]');
  }
  const bad = modes.filter((m) => !(TS_MODES as readonly string[]).includes(m));
  if (bad.length > 0) throw new Error(`Unknown mode(s) ${bad.join(', ')}. Valid: ${TS_MODES.join(', ')}.`);

  const spark = await SparkSession.connect(values.remote);
  try {
    const df = spark.range(rows).selectExpr(...SELECT_EXPRS);
    const report: ClientReport = {
      client: 'tsapply',
      versions: { node: process.version, '@tsapply/spark-connect': clientModule === '@tsapply/spark-connect' ? CLIENT_VERSION : `${CLIENT_VERSION} (${clientModule})`, 'apache-arrow': packageVersion('apache-arrow'), spark: await spark.version },
      rows,
      arrowBytes: 0,
      modes: {},
    };
    for (const mode of modes) {
      log(`${mode}: warm-up and check`);
      const warm = await runMode(df, mode, true);
      if (warm.bytes !== undefined) report.arrowBytes = warm.bytes;
      const samplesMs: number[] = [];
      const cpuMs: number[] = [];
      for (let r = 0; r < runs; r++) {
        // Collect garbage from the previous call outside the timing, when exposed.
        (globalThis as { gc?: () => void }).gc?.();
        const cpu = process.cpuUsage();
        const t = performance.now();
        const got = await runMode(df, mode, false);
        const ms = performance.now() - t;
        const used = process.cpuUsage(cpu);
        if (got.rows !== rows) throw new Error(`${mode} run ${r + 1} returned ${got.rows} rows, expected ${rows}`);
        samplesMs.push(ms);
        // CPU time of this process (all its threads: JS, GC, libuv) during the call.
        cpuMs.push((used.user + used.system) / 1000);
        log(`${mode} run ${r + 1}/${runs}: ${ms.toFixed(0)} ms (client CPU ${cpuMs.at(-1)!.toFixed(0)} ms)`);
      }
      report.modes[mode] = { checksums: warm.checksums!, samplesMs, cpuMs, batches: warm.batches };
    }
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await spark.stop();
  }
}

await main();
