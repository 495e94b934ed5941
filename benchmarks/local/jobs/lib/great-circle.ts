/**
 * Great-circle arithmetic shared by the local benchmark's jobs and by the suite's
 * checksum (which recomputes every expected value from the input file, outside the
 * engine). Pure functions over numbers: no imports, safe in job bundles.
 *
 * Units: coordinates in degrees, distances in statute miles (the unit of the flights
 * data's `distance` column).
 */

/** Mean Earth radius in statute miles (6371.0088 km / 1.609344). */
export const EARTH_RADIUS_MI = 3958.7613;

const RAD = Math.PI / 180;

/** Central angle (radians) between two points given in radians, by the haversine formula. */
function centralAngle(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sLat = Math.sin((lat2 - lat1) / 2);
  const sLon = Math.sin((lon2 - lon1) / 2);
  const h = sLat * sLat + Math.cos(lat1) * Math.cos(lat2) * sLon * sLon;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in miles between two points in degrees (haversine). */
export function haversineMiles(lat1Deg: number, lon1Deg: number, lat2Deg: number, lon2Deg: number): number {
  return EARTH_RADIUS_MI * centralAngle(lat1Deg * RAD, lon1Deg * RAD, lat2Deg * RAD, lon2Deg * RAD);
}

/**
 * Length in miles of the great-circle track from A to B flown as `steps` straight
 * legs between waypoints (spherical linear interpolation, then haversine per leg).
 * Converges to `haversineMiles` as `steps` grows; the point is the per-row work:
 * about 10 transcendental functions per step, a stand-in for the small iterative
 * numeric models (route simulation, fuel burn) people run per record.
 */
export function trackMiles(lat1Deg: number, lon1Deg: number, lat2Deg: number, lon2Deg: number, steps: number): number {
  const la1 = lat1Deg * RAD;
  const lo1 = lon1Deg * RAD;
  const la2 = lat2Deg * RAD;
  const lo2 = lon2Deg * RAD;
  const d = centralAngle(la1, lo1, la2, lo2);
  if (d === 0) return 0;
  const sinD = Math.sin(d);
  // Unit vectors of both ends.
  const x1 = Math.cos(la1) * Math.cos(lo1);
  const y1 = Math.cos(la1) * Math.sin(lo1);
  const z1 = Math.sin(la1);
  const x2 = Math.cos(la2) * Math.cos(lo2);
  const y2 = Math.cos(la2) * Math.sin(lo2);
  const z2 = Math.sin(la2);
  let total = 0;
  let pLat = la1;
  let pLon = lo1;
  for (let s = 1; s <= steps; s++) {
    const f = s / steps;
    const a = Math.sin((1 - f) * d) / sinD;
    const b = Math.sin(f * d) / sinD;
    const x = a * x1 + b * x2;
    const y = a * y1 + b * y2;
    const z = a * z1 + b * z2;
    const lat = Math.atan2(z, Math.sqrt(x * x + y * y));
    const lon = Math.atan2(y, x);
    total += centralAngle(pLat, pLon, lat, lon);
    pLat = lat;
    pLon = lon;
  }
  return EARTH_RADIUS_MI * total;
}

/**
 * A number key for a short ASCII code (IATA airport codes are 3 bytes): the bytes
 * read base 256, so a Utf8 column can be looked up straight from its bytes without
 * decoding a JS string per row. Codes longer than 6 bytes give -1 (not an airport).
 */
export function codeKey(bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 6) return -1;
  let k = 0;
  for (let i = start; i < end; i++) k = k * 256 + bytes[i]!;
  return k;
}

/** `codeKey` of a JS string (for building the lookup table once). */
export function codeKeyOf(code: string): number {
  const bytes = new TextEncoder().encode(code);
  return codeKey(bytes, 0, bytes.length);
}
