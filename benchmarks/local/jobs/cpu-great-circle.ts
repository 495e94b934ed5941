/**
 * CPU-bound benchmark job: for every flight, look up both airports (bytes of the Utf8
 * columns → a number key → the airports table from `context`), then compute the
 * great-circle distance (haversine) and the length of the great-circle track flown
 * as `TRACK_STEPS` legs between waypoints (16: about 160 transcendental functions per row).
 *
 * Vectorised: reads the Arrow columns' buffers and returns `{ column: typed array }`,
 * so per-row cost is arithmetic, not object allocation — the engine's workers are the
 * bottleneck, and more cores should mean proportionally more rows per second.
 *
 *   npx tsapply run benchmarks/local/jobs/cpu-great-circle.ts --workers 2
 */
import { defineJob } from 'tsapply';
import { indexAirports, loadAirports, lookupColumn, type Airports } from './lib/airports.js';
import { benchInput } from './lib/bench-input.js';
import { haversineMiles, trackMiles } from './lib/great-circle.js';
import { TRACK_STEPS } from './lib/settings.js';


export default defineJob({
  input: benchInput(),
  schema: 'distance bigint, gc_mi double, track_mi double',
  context: loadAirports(),
  init: (airports: Airports) => ({ airports, index: indexAirports(airports) }),
  apply(batch, { state: { airports, index } }) {
    const n = batch.numRows;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    lookupColumn(batch.column('origin') as never, index, from);
    lookupColumn(batch.column('destination') as never, index, to);
    const gc = new Float64Array(n);
    const track = new Float64Array(n);
    const { lat, lon } = airports;
    for (let i = 0; i < n; i++) {
      const a = from[i]!;
      const b = to[i]!;
      if (a < 0 || b < 0) {
        gc[i] = track[i] = Number.NaN; // unknown airport
        continue;
      }
      gc[i] = haversineMiles(lat[a]!, lon[a]!, lat[b]!, lon[b]!);
      track[i] = trackMiles(lat[a]!, lon[a]!, lat[b]!, lon[b]!, TRACK_STEPS);
    }
    // Int64 column → BigInt64Array, passed through unchanged.
    return { distance: batch.column('distance').toArray() as BigInt64Array, gc_mi: gc, track_mi: track };
  },
});
