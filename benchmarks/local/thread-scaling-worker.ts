/**
 * One thread of `thread-scaling.ts`: on each message `n`, computes the CPU-bound job's
 * per-flight arithmetic for n flights between airports of the real airports table, then
 * answers. Posts once when ready.
 */
import { parentPort } from 'node:worker_threads';
import { loadAirports } from './jobs/lib/airports.js';
import { haversineMiles, trackMiles } from './jobs/lib/great-circle.js';
import { TRACK_STEPS } from './jobs/lib/settings.js';

const { lat, lon } = loadAirports();
const airports = lat.length;
let sink = 0;

parentPort!.on('message', (flights: number) => {
  let sum = 0;
  for (let i = 0; i < flights; i++) {
    const a = (i * 7919) % airports;
    const b = (i * 104_729 + 13) % airports;
    sum += haversineMiles(lat[a]!, lon[a]!, lat[b]!, lon[b]!) + trackMiles(lat[a]!, lon[a]!, lat[b]!, lon[b]!, TRACK_STEPS);
  }
  sink += sum; // kept, so the loop is not optimised away
  parentPort!.postMessage(sink > 0);
});
parentPort!.postMessage('ready');
