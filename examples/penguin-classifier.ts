/**
 * Example (b): `context` and `init`. The context is a small nearest-centroid model —
 * plain data, serialized once and shipped to every worker. `init` runs once per
 * worker and turns it into a fast index (standardised centroids in typed arrays);
 * `apply` then classifies each penguin against it.
 *
 *   npx tsapply run examples/penguin-classifier.ts
 *
 * Data: vega-datasets penguins.json (344 penguins; a few have no measurements).
 * JSON integers are read as Spark reads them, as 64-bit integers: `Body Mass (g)`
 * arrives as a JS bigint, hence the Number(...) below.
 */
import { defineJob } from 'tsapply';

interface Model {
  features: string[];
  /** Per-feature mean and standard deviation used to standardise. */
  mean: number[];
  sd: number[];
  /** Class centroids in raw units, one per species. */
  centroids: Record<string, number[]>;
}

const model: Model = {
  features: ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'],
  mean: [43.9, 17.2, 200.9, 4201.8],
  sd: [5.5, 2.0, 14.0, 800.8],
  centroids: {
    Adelie: [38.8, 18.3, 190.0, 3700.7],
    Chinstrap: [48.8, 18.4, 195.8, 3733.1],
    Gentoo: [47.5, 15.0, 217.2, 5076.0],
  },
};

interface Index {
  labels: string[];
  /** Standardised centroids, row-major: labels.length × features.length. */
  points: Float64Array;
}

export default defineJob({
  input: { format: 'json', path: '../node_modules/vega-datasets/data/penguins.json' },
  schema: 'species string, island string, predicted string, distance double, correct boolean',
  context: model,
  init(m: Model): Index {
    const labels = Object.keys(m.centroids).sort();
    const k = m.features.length;
    const points = new Float64Array(labels.length * k);
    labels.forEach((label, i) => m.centroids[label]!.forEach((v, j) => (points[i * k + j] = (v - m.mean[j]!) / m.sd[j]!)));
    return { labels, points };
  },
  apply(batch, { context: m, state }) {
    const out = [];
    const k = m.features.length;
    const x = new Float64Array(k);
    for (const row of batch) {
      const raw = m.features.map((f) => row[f]);
      if (raw.some((v) => v === null)) continue; // penguins without measurements
      raw.forEach((v, j) => (x[j] = (Number(v) - m.mean[j]!) / m.sd[j]!));
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < state.labels.length; c++) {
        let d = 0;
        for (let j = 0; j < k; j++) d += (x[j]! - state.points[c * k + j]!) ** 2;
        if (d < bestDist) [best, bestDist] = [c, d];
      }
      const predicted = state.labels[best]!;
      out.push({
        species: row.Species as string,
        island: row.Island as string,
        predicted,
        distance: Math.round(Math.sqrt(bestDist) * 1000) / 1000,
        correct: predicted === row.Species,
      });
    }
    return out;
  },
});
