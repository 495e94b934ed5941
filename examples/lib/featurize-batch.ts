/**
 * The featurizer step of the image-classifier demo as one exported function over a
 * batch of Spark `image` rows, so the very same code runs
 *
 * - on Spark executors: `images.mapInArrow(featurizeBatch, { schema: FEATURES_DDL })`
 *   (tsapply finds this module, bundles it and calls the export beside each executor);
 * - on the embedded engine: as the `apply` of `examples/lib/image-features-job.ts`.
 *
 * Each image becomes one row: where it came from, which split and class its folders
 * say (`…/<split>/<class>/x.png`), the numeric label ML wants (index into CLASSES),
 * and the 36-double feature vector of `featurize.ts`.
 */
import { image, type ApplyContext, type Batch } from 'tsapply';
import { featurize, labelFromOrigin } from './featurize.js';

/** The two classes of the demo set, in label order: `forest` is 0, `sunny` is 1. */
export const CLASSES: readonly string[] = ['forest', 'sunny'];

/** Output schema of `featurizeBatch`, as Spark DDL. */
export const FEATURES_DDL = 'origin string, split string, class string, label double, features array<double>';

/** One featurized image (a type alias, not an interface, so it is a `Record<string, unknown>` row). */
export type FeatureRow = {
  origin: string;
  /** `train` or `test`: the folder above the class folder. */
  split: string;
  class: string;
  /** Index of `class` in CLASSES, as a double (Spark ML's label type). */
  label: number;
  features: number[];
};

/** The split folder of an image (`…/train/sunny/x.png` → `train`). */
export function splitFromOrigin(origin: string): string {
  const parts = origin.split('/');
  return decodeURIComponent(parts[parts.length - 3] ?? '');
}

/**
 * Featurizes every image row of `batch` (a batch with one `image` column, Spark's
 * ImageSchema). Invalid images (Spark's -1 rows, kept when `dropInvalid` is false)
 * are skipped; an image in a folder that is not one of CLASSES is an error, since a
 * silently mislabelled image would corrupt the training set.
 */
export function featurizeBatch(batch: Batch, _ctx?: ApplyContext): FeatureRow[] {
  // Row objects are fine here: per-image pixel work dwarfs the cost of building a row.
  const out: FeatureRow[] = [];
  for (const row of batch) {
    if (image.isInvalidImageRow(row)) continue;
    const img = image.imageFromRow(row);
    const cls = labelFromOrigin(img.origin);
    const label = CLASSES.indexOf(cls);
    if (label < 0) {
      throw new Error(`Image ${img.origin} is in folder "${cls}", which is not a class of the demo (${CLASSES.join(', ')}).`);
    }
    out.push({ origin: img.origin, split: splitFromOrigin(img.origin), class: cls, label, features: featurize(img) });
  }
  return out;
}
