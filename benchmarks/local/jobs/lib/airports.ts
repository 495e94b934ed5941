/**
 * The airports table (vega-datasets `airports.csv`: IATA code, latitude, longitude of
 * 3,376 US airports) as a job `context`: three parallel arrays, which the fast
 * serializer ships compactly (Float64Arrays stay Float64Arrays).
 *
 * The file is read when the job module is evaluated. Its folder is
 * `$TSAPPLY_BENCH_DATA_DIR`, else `node_modules/vega-datasets/data` under the current
 * folder (run from the repository root, as `npm run bench` does).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { codeKey, codeKeyOf } from './great-circle.js';

export interface Airports {
  codes: string[];
  lat: Float64Array;
  lon: Float64Array;
}

/** Folder of the vega-datasets files (see the module doc). */
export function dataDir(): string {
  return resolve(process.env.TSAPPLY_BENCH_DATA_DIR ?? 'node_modules/vega-datasets/data');
}

export function loadAirports(dir = dataDir()): Airports {
  const rows = parse(readFileSync(resolve(dir, 'airports.csv')), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return {
    codes: rows.map((r) => r.iata!),
    lat: Float64Array.from(rows, (r) => Number(r.latitude)),
    lon: Float64Array.from(rows, (r) => Number(r.longitude)),
  };
}

/** Per worker (`init`): code key → row index in the airports table. */
export function indexAirports(a: Airports): Map<number, number> {
  const index = new Map<number, number>();
  a.codes.forEach((code, i) => index.set(codeKeyOf(code), i));
  return index;
}

/** The parts of an apache-arrow Utf8 `Data` chunk the lookup reads. */
interface Utf8Chunk {
  length: number;
  /** apache-arrow slices this buffer with the chunk, so entry i is row i of the chunk. */
  valueOffsets: Int32Array;
  values: Uint8Array;
}

/**
 * Row index in the airports table of each value of a Utf8 column (-1 when unknown),
 * read from the column's offsets and bytes: no JS string is built per row.
 */
export function lookupColumn(column: { data: readonly Utf8Chunk[] }, index: Map<number, number>, out: Int32Array): void {
  let row = 0;
  for (const chunk of column.data) {
    const offsets = chunk.valueOffsets;
    const bytes = chunk.values;
    for (let i = 0; i < chunk.length; i++) out[row++] = index.get(codeKey(bytes, offsets[i]!, offsets[i + 1]!)) ?? -1;
  }
}
