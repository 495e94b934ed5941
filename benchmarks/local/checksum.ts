/**
 * The correctness gate: a job's output directory is read back (part files in name
 * order, which is input order) and folded into a checksum that must equal the one
 * computed independently from the input (`datasets.ts`) before any speed or memory
 * figure of that run is reported.
 */
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';

export interface Checksum {
  rows: number;
  /** Σ ((row mod 1000) + 1) × distance, exact (stays below 2^53 up to ~10^10 rows). */
  distanceWeighted: number;
  /** Σ gc_mi over rows with a known route, and the number of rows without one (NaN). */
  gcSum: number;
  gcNaN: number;
  /** Σ track_mi (CPU job only). */
  trackSum: number | undefined;
}

/** Fold one output row (at 0-based position `row`) into a checksum. */
export function addRow(sum: Checksum, row: number, distance: number, gc: number, track: number): void {
  sum.rows++;
  // Position-weighted, so a dropped, duplicated or reordered row changes it.
  sum.distanceWeighted += ((row % 1000) + 1) * distance;
  if (Number.isNaN(gc)) sum.gcNaN++;
  else sum.gcSum += gc;
  if (sum.trackSum !== undefined && !Number.isNaN(track)) sum.trackSum += track;
}

/** Checksum of an Arrow output directory written by `runJob`. */
export async function outputChecksum(dir: string, withTrack: boolean): Promise<Checksum> {
  const parts = readdirSync(dir).filter((f) => f.startsWith('part-') && f.endsWith('.arrow')).sort();
  const sum: Checksum = { rows: 0, distanceWeighted: 0, gcSum: 0, gcNaN: 0, trackSum: withTrack ? 0 : undefined };
  for (const part of parts) {
    const handle = await open(join(dir, part));
    try {
      const reader = await arrow.RecordBatchReader.from(handle);
      for await (const batch of reader) {
        const distance = batch.getChild('distance')!.toArray() as BigInt64Array;
        const gc = batch.getChild('gc_mi')!.toArray() as Float64Array;
        const track = withTrack ? (batch.getChild('track_mi')!.toArray() as Float64Array) : undefined;
        for (let i = 0; i < batch.numRows; i++) addRow(sum, sum.rows, Number(distance[i]!), gc[i]!, track ? track[i]! : Number.NaN);
      }
    } finally {
      await handle.close();
    }
  }
  return sum;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Undefined when `actual` matches `expected`; otherwise what differs. */
export function checksumProblem(expected: Checksum, actual: Checksum): string | undefined {
  if (actual.rows !== expected.rows) return `expected ${expected.rows} output rows, got ${actual.rows}`;
  if (actual.distanceWeighted !== expected.distanceWeighted) {
    return `distance column (position-weighted sum) expected ${expected.distanceWeighted}, got ${actual.distanceWeighted}: rows lost, duplicated or out of order`;
  }
  if (actual.gcNaN !== expected.gcNaN) return `expected ${expected.gcNaN} rows with an unknown airport, got ${actual.gcNaN}`;
  if (!close(actual.gcSum, expected.gcSum)) return `sum of gc_mi expected ${expected.gcSum}, got ${actual.gcSum}`;
  if (expected.trackSum !== undefined && !close(actual.trackSum ?? Number.NaN, expected.trackSum)) {
    return `sum of track_mi expected ${expected.trackSum}, got ${actual.trackSum}`;
  }
  return undefined;
}
