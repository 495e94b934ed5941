/**
 * Inputs of the local suite and the expected results, both built outside the engine.
 *
 * Inputs are prefixes of vega-datasets' `flights-3m.parquet` (3,000,000 real US
 * flights), so every size has the same rows, value distribution and Parquet layout:
 * prefixes are re-encoded with the original's row-group size (272,727 rows), and the
 * full size is the original file itself. Sizes beyond it are whole multiples: a folder
 * listing the original file that many times (symlinks, nothing copied), read as one
 * input the way Spark reads a folder of part files.
 *
 * Expected checksums come from reading the same Parquet file directly with
 * parquet-wasm, decoding the airport codes as JS strings (the jobs read raw bytes),
 * and running the great-circle functions per row; the checksums of every prefix size
 * are taken in one pass. A multiple's checksum is the whole file's, repeated (exact,
 * because the file's row count is a multiple of the checksum's 1000-row weight cycle).
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import { readParquet, Table as WasmTable, writeParquet, WriterPropertiesBuilder, Compression } from 'parquet-wasm';
import { loadAirports } from './jobs/lib/airports.js';
import { haversineMiles, trackMiles } from './jobs/lib/great-circle.js';
import { addRow, type Checksum } from './checksum.js';

export const FLIGHTS_ROWS = 3_000_000;
const ROW_GROUP_ROWS = 272_727;

/** vega-datasets' files, found from this file (the suite may run from any folder). */
const DATA_DIR = fileURLToPath(new URL('../../node_modules/vega-datasets/data/', import.meta.url));

export function flightsPath(): string {
  return join(DATA_DIR, 'flights-3m.parquet');
}

/** The whole flights file as an apache-arrow Table (read once per suite run). */
let cached: arrow.Table | undefined;
function flightsTable(): arrow.Table {
  cached ??= arrow.tableFromIPC(readParquet(readFileSync(flightsPath())).intoIPCStream());
  return cached;
}

/** Path of a Parquet file holding the first `rows` flights (written into `dir` when needed). */
export function flightsInput(rows: number, dir: string): string {
  if (rows === FLIGHTS_ROWS) return flightsPath();
  if (rows > FLIGHTS_ROWS) return repeatedFlights(copiesOf(rows), dir);
  const path = join(dir, `flights-${rows}.parquet`);
  const prefix = flightsTable().slice(0, rows);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(ROW_GROUP_ROWS).build();
  writeFileSync(path, writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(prefix, 'stream')), props));
  return path;
}

/** How many whole copies of the flights file make `rows` (which must be a multiple of it). */
function copiesOf(rows: number): number {
  if (rows % FLIGHTS_ROWS !== 0) throw new Error(`Inputs beyond the flights file's ${FLIGHTS_ROWS} rows must be whole multiples of it; got ${rows}.`);
  return rows / FLIGHTS_ROWS;
}

/** A folder of `copies` symlinks to the flights file, named in read order. */
function repeatedFlights(copies: number, dir: string): string {
  const folder = join(dir, `flights-${copies}x`);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < copies; i++) symlinkSync(flightsPath(), join(folder, `part-${String(i).padStart(5, '0')}.parquet`));
  return folder;
}

/** Which output columns a job writes: both jobs write `distance` and `gc_mi`; the CPU job also `track_mi`. */
export interface ExpectedColumns {
  trackSteps: number | undefined;
}

/**
 * Expected checksums of a job's output over the first `n` rows, for every `n` in
 * `sizes` (ascending), computed in a single pass over the input.
 */
export function expectedChecksums(sizes: readonly number[], cols: ExpectedColumns): Map<number, Checksum> {
  const repeats = sizes.filter((n) => n > FLIGHTS_ROWS);
  if (repeats.length === 0) return prefixChecksums(sizes, cols);
  const out = prefixChecksums([...new Set([...sizes.filter((n) => n <= FLIGHTS_ROWS), FLIGHTS_ROWS])], cols);
  const whole = out.get(FLIGHTS_ROWS)!;
  for (const n of repeats) out.set(n, repeatChecksum(whole, copiesOf(n)));
  return out;
}

/** The checksum of `copies` back-to-back copies of an input whose rows are a multiple of 1000. */
function repeatChecksum(c: Checksum, copies: number): Checksum {
  if (c.rows % 1000 !== 0) throw new Error(`Cannot repeat a checksum over ${c.rows} rows: the position weights cycle every 1000 rows.`);
  return {
    rows: c.rows * copies,
    distanceWeighted: c.distanceWeighted * copies,
    gcSum: c.gcSum * copies,
    gcNaN: c.gcNaN * copies,
    trackSum: c.trackSum === undefined ? undefined : c.trackSum * copies,
  };
}

function prefixChecksums(sizes: readonly number[], cols: ExpectedColumns): Map<number, Checksum> {
  const table = flightsTable();
  const airports = loadAirports(DATA_DIR);
  const byCode = new Map(airports.codes.map((c, i) => [c, i]));
  const out = new Map<number, Checksum>();
  const sum: Checksum = { rows: 0, distanceWeighted: 0, gcSum: 0, gcNaN: 0, trackSum: cols.trackSteps === undefined ? undefined : 0 };
  const wanted = [...sizes].sort((a, b) => a - b);
  let next = 0;
  const origin = table.getChild('origin')!;
  const destination = table.getChild('destination')!;
  const distance = table.getChild('distance')!;
  const last = wanted[wanted.length - 1] ?? 0;
  // Chunk by chunk: strings decoded from each chunk's vector, numbers from its values.
  let row = 0;
  for (let c = 0; c < origin.data.length && row < last; c++) {
    const o = new arrow.Vector([origin.data[c]!]).toArray() as string[];
    const d = new arrow.Vector([destination.data[c]!]).toArray() as string[];
    const dist = distance.data[c]!.values as BigInt64Array;
    for (let i = 0; i < o.length && row < last; i++, row++) {
      const a = byCode.get(o[i]!);
      const b = byCode.get(d[i]!);
      let gc = Number.NaN;
      let track = Number.NaN;
      if (a !== undefined && b !== undefined) {
        gc = haversineMiles(airports.lat[a]!, airports.lon[a]!, airports.lat[b]!, airports.lon[b]!);
        if (cols.trackSteps !== undefined) track = trackMiles(airports.lat[a]!, airports.lon[a]!, airports.lat[b]!, airports.lon[b]!, cols.trackSteps);
      }
      addRow(sum, row, Number(dist[i]!), gc, track);
      if (row + 1 === wanted[next]) out.set(wanted[next++]!, { ...sum });
    }
  }
  if (out.size !== wanted.length) throw new Error(`The flights file has fewer rows than ${wanted[wanted.length - 1]}.`);
  return out;
}
