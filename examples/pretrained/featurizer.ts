/**
 * The pre-trained network as a TypeScript pipeline stage: EfficientNet-Lite0 (ImageNet),
 * converted to ONNX by prepare.py, run by onnxruntime-web's WebAssembly build (no native
 * addon, so it travels to any executor) on the tensors an `ml.ImageTransformer` made, giving
 * each image the network's 1280 pooled features — the transfer-learning step of the
 * sparklyr 1.7 demo, where InceptionV3 played this part.
 *
 * The model and the WebAssembly binary travel in the stage's context (shipped once per
 * job); `loadNetwork` builds the session once per worker, `embed` runs every batch. Both
 * are exports of this module, so tsapply ships the module as it is; the embedded engine
 * runs the same two functions (features-job.ts).
 */
import * as ort from 'onnxruntime-web/wasm';
import type { ApplyContext, Batch } from 'tsapply';

export interface NetworkContext {
  /** The ONNX model's bytes. */
  model: Uint8Array;
  /** onnxruntime-web's `ort-wasm-simd-threaded.wasm`. */
  wasm: Uint8Array;
  /** The column of 3×224×224 float tensors (channel first, RGB scaled to [-1, 1]). */
  inputCol: string;
}

/** Images per run of the network: larger batches amortise each call a little. */
const IMAGES_PER_RUN = 8;
const PIXELS = 3 * 224 * 224;

/** Once per worker: the network, on one thread (Spark runs one task per core). */
export async function loadNetwork(context: NetworkContext): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = 1;
  // The binary comes with the job, so nothing is looked up next to the bundle on the executor.
  ort.env.wasm.wasmBinary = context.wasm;
  return ort.InferenceSession.create(context.model);
}

/** The 1280 features of every image of the batch (null for a null tensor). */
export async function embed(batch: Batch, ctx: ApplyContext<NetworkContext, ort.InferenceSession>): Promise<{ embedding: (Float32Array | null)[] }> {
  const tensors = batch.values(ctx.context.inputCol) as ArrayLike<ArrayLike<number> | null>;
  const embedding = new Array<Float32Array | null>(tensors.length).fill(null);
  const present = [...Array(tensors.length).keys()].filter((i) => tensors[i] != null);
  for (let start = 0; start < present.length; start += IMAGES_PER_RUN) {
    const rows = present.slice(start, start + IMAGES_PER_RUN);
    const input = new Float32Array(rows.length * PIXELS);
    rows.forEach((row, k) => {
      const t = tensors[row]!;
      if (t.length !== PIXELS) throw new Error(`row ${row}: expected a 3×224×224 tensor (${PIXELS} floats), got ${t.length}; resize to 224×224 and normalize() first.`);
      input.set(t, k * PIXELS);
    });
    const out = await ctx.state.run({ image: new ort.Tensor('float32', input, [rows.length, 3, 224, 224]) });
    const features = out.features!.data as Float32Array;
    rows.forEach((row, k) => (embedding[row] = features.slice(k * 1280, (k + 1) * 1280)));
  }
  return { embedding };
}
