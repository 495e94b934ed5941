/**
 * I/O-bound benchmark job: every batch makes one call to a (simulated) remote airport
 * service that resolves the batch's distinct airport codes to coordinates, then
 * computes each flight's great-circle distance (one haversine: cheap).
 *
 * The service is simulated by waiting `LOOKUP_LATENCY_MS` (50 ms per 10,000-row batch) on a timer before answering
 * from the airports table in `context` — a round trip to a lookup API or database.
 * A timer rather than real disk or network I/O, because it is what makes a job
 * I/O-bound: the worker thread is idle (no CPU used) while it waits, and the wait does
 * not depend on the machine's load. Local file I/O would mostly be page-cache copies,
 * i.e. CPU. With the wait dominating, rows/s should grow with the number of workers
 * even when the cores are busy.
 *
 *   npx tsapply run benchmarks/local/jobs/io-remote-lookup.ts --workers 2
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob } from 'tsapply';
import { indexAirports, loadAirports, lookupColumn, type Airports } from './lib/airports.js';
import { benchInput } from './lib/bench-input.js';
import { haversineMiles } from './lib/great-circle.js';
import { LOOKUP_LATENCY_MS } from './lib/settings.js';


/** The simulated service: coordinates of the requested airport rows, after the round trip. */
async function remoteLookup(airports: Airports, rows: Set<number>): Promise<Map<number, [number, number]>> {
  await sleep(LOOKUP_LATENCY_MS);
  return new Map([...rows].map((r) => [r, [airports.lat[r]!, airports.lon[r]!]]));
}

export default defineJob({
  input: benchInput(),
  schema: 'distance bigint, gc_mi double',
  context: loadAirports(),
  init: (airports: Airports) => ({ airports, index: indexAirports(airports) }),
  async apply(batch, { state: { airports, index } }) {
    const n = batch.numRows;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    lookupColumn(batch.column('origin') as never, index, from);
    lookupColumn(batch.column('destination') as never, index, to);
    const wanted = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (from[i]! >= 0) wanted.add(from[i]!);
      if (to[i]! >= 0) wanted.add(to[i]!);
    }
    const coords = await remoteLookup(airports, wanted);
    const gc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = coords.get(from[i]!);
      const b = coords.get(to[i]!);
      gc[i] = a && b ? haversineMiles(a[0], a[1], b[0], b[1]) : Number.NaN;
    }
    return { distance: batch.column('distance').toArray() as BigInt64Array, gc_mi: gc };
  },
});
