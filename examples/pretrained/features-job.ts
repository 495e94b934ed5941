/**
 * The pretrained-network featurizer on the embedded engine: the same steps as the Spark
 * pipeline of ../pretrained-classifier.ts — resize to 224×224, RGB, scale to [-1, 1]
 * (what its ml.ImageTransformer does, with the same `image` helpers), then `embed` of
 * featurizer.ts with the network loaded once per worker by `loadNetwork` — over the
 * photos prepare.sh fetched (`TSAPPLY_PRETRAINED_DIR`, else its default folder).
 *
 *   npx tsapply run examples/pretrained/features-job.ts --show 3
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defineJob, image } from 'tsapply';
import { embed, loadNetwork, type NetworkContext } from './featurizer.js';

/** Where prepare.sh put the model and the photos. */
export const PRETRAINED_DIR = process.env.TSAPPLY_PRETRAINED_DIR ?? join(process.env.TSAPPLY_CACHE_DIR ?? join(homedir(), '.cache', 'tsapply'), 'pretrained');

/** The network's context: the model, onnxruntime-web's WebAssembly, and the tensor column. */
export function networkContext(inputCol: string): NetworkContext {
  // Resolved from the working folder (the project's): a bundled job has no import.meta.url.
  const wasm = createRequire(join(process.cwd(), 'package.json')).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  return { model: readFileSync(join(PRETRAINED_DIR, 'efficientnet-lite0.onnx')), wasm: readFileSync(wasm), inputCol };
}

export default defineJob({
  input: { format: 'image', path: join(PRETRAINED_DIR, 'photos'), options: { recursiveFileLookup: true, dropInvalid: true } },
  schema: 'origin string, embedding array<float>',
  context: networkContext('pixels'),
  init: loadNetwork,
  async apply(batch, ctx) {
    const origins: string[] = [];
    const pixels: Float32Array[] = [];
    for (const row of batch) {
      const img = image.imageFromRow(row);
      origins.push(img.origin);
      pixels.push(image.toTensor(image.convertChannels(image.resize(img, { height: 224, width: 224 }), 'RGB'), { mean: 127, std: 128 }));
    }
    const tensors = { numRows: pixels.length, values: () => pixels } as unknown as typeof batch;
    const { embedding } = await embed(tensors, ctx);
    return { origin: origins, embedding };
  },
});
