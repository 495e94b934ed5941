/**
 * The embedded-engine side of the image-classifier demo: a job file whose `apply` is
 * the very `featurizeBatch` that `examples/image-classifier.ts` ships to Spark with
 * `mapInArrow`. The local image reader decodes the PNGs into the same ImageSchema rows
 * Spark produces, so both paths featurize identical pixels.
 *
 * The demo runs it with `runJob(…, { output, format: 'arrow' })` and reads the result
 * back; on its own: `npx tsapply run examples/lib/featurize-job.ts`.
 */
import { defineJob } from 'tsapply';
import { FEATURES_DDL, featurizeBatch } from './featurize-batch.js';

export default defineJob({
  // Both splits at once: train/ and test/ are told apart by featurizeBatch's `split`.
  input: { format: 'image', path: '../data/shapes', options: { recursiveFileLookup: true, dropInvalid: true } },
  schema: FEATURES_DDL,
  apply: featurizeBatch,
});
