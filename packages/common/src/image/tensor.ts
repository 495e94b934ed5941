/**
 * `toTensor`: an image as the float input a network takes — channels first (CHW), each
 * value scaled and normalised per channel, `(value * scale - mean[c]) / std[c]` — the last
 * step of an ImageTransformer (MMLSpark's `normalize` + `toTensor`), in the image's own
 * channel order (convert with `toRGB` first when the network wants RGB).
 */
import { ImageError } from './errors.js';
import type { Image } from './image.js';

export interface TensorOptions {
  /** Multiplies every byte first, e.g. 1 / 255. @default 1 */
  scale?: number;
  /** Subtracted per channel after scaling (one value, or one per channel). @default 0 */
  mean?: number | readonly number[];
  /** Divides per channel after the mean (one value, or one per channel). @default 1 */
  std?: number | readonly number[];
}

function perChannel(name: string, v: number | readonly number[] | undefined, fallback: number, img: Image): number[] {
  const values = v === undefined ? [fallback] : typeof v === 'number' ? [v] : [...v];
  if (values.length !== 1 && values.length !== img.channels) {
    throw new ImageError(`toTensor(): ${name} has ${values.length} values for a ${img.channels}-channel image; give one, or one per channel.`, {
      reason: 'invalid-argument',
      origin: img.origin,
    });
  }
  for (const x of values) {
    if (typeof x !== 'number' || !Number.isFinite(x) || (name === 'std' && x === 0)) {
      throw new ImageError(`toTensor(): ${name} must hold finite numbers${name === 'std' ? ' other than 0' : ''}, got ${String(x)}.`, { reason: 'invalid-argument', origin: img.origin });
    }
  }
  return Array.from({ length: img.channels }, (_, c) => values[values.length === 1 ? 0 : c]!);
}

/** `channels × height × width` floats, channel by channel. */
export function toTensor(img: Image, options: TensorOptions = {}): Float32Array {
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    throw new ImageError(`toTensor(): scale must be a finite number, got ${String(scale)}.`, { reason: 'invalid-argument', origin: img.origin });
  }
  const mean = perChannel('mean', options.mean, 0, img);
  const std = perChannel('std', options.std, 1, img);
  const c = img.channels;
  const plane = img.width * img.height;
  const out = new Float32Array(c * plane);
  for (let k = 0; k < c; k++) {
    const m = mean[k]!;
    const s = std[k]!;
    for (let p = 0; p < plane; p++) out[k * plane + p] = (img.data[p * c + k]! * scale - m) / s;
  }
  return out;
}
