/**
 * Inputs of the local suite and the expected results, both built outside the engine.
 *
 * Inputs are prefixes of vega-datasets' `flights-3m.parquet` (3,000,000 real US
 * flights), so every size has the same rows, value distribution and Parquet layout:
 * prefixes are re-encoded with the original's row-group size (272,727 rows), and the
 * full size is the original file itself.
 *
 * Expected checksums come from reading the same Parquet file directly with
 * parquet-wasm, decoding the airport codes as JS strings (the jobs read raw bytes),
 * and running the great-circle functions per row; the checksums of every prefix size
 * are taken in one pass.
 */
import { writeFileSync, readFileSync } from 'node:fs';
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
  if (rows > FLIGHTS_ROWS) throw new Error(`The flights file has ${FLIGHTS_ROWS} rows; cannot take ${rows}.`);
  const path = join(dir, `flights-${rows}.parquet`);
  const prefix = flightsTable().slice(0, rows);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(ROW_GROUP_ROWS).build();
  writeFileSync(path, writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(prefix, 'stream')), props));
  return path;
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
