/**
 * The image featurizer of the image-classification demo: a pure function from an image
 * (tsapply's `image.Image`, from an ImageSchema row) to a fixed-length feature vector,
 * shared by the local job (`examples/image-features.ts`) and the Spark demo.
 *
 * Features (36 doubles, all in [0, 1]):
 * - 27: colour histogram — RGB split into 3 levels per channel (0–85, 86–170, 171–255),
 *   fraction of pixels in each of the 3×3×3 cells. Grey images fill only the diagonal.
 * - 8: gradient-orientation histogram — Sobel gradients of the grey image; for pixels
 *   whose gradient magnitude exceeds EDGE_THRESHOLD (so the ±10 pixel noise is ignored),
 *   the magnitude-weighted share of each unsigned orientation (8 bins of 22.5°, bin 0
 *   centred on horizontal gradients, i.e. vertical edges).
 * - 1: edge density — fraction of pixels above the threshold.
 */
import { image } from 'tsapply';

/** Sobel magnitude (in grey levels × 4) above which a pixel counts as an edge. */
export const EDGE_THRESHOLD = 60;
const COLOR_LEVELS = 3;
const ORIENTATION_BINS = 8;

/** Names of the features, in vector order (for VectorAssembler-style reports). */
export const FEATURE_NAMES: readonly string[] = [
  ...Array.from({ length: COLOR_LEVELS ** 3 }, (_, i) => {
    const r = Math.floor(i / (COLOR_LEVELS * COLOR_LEVELS));
    const g = Math.floor(i / COLOR_LEVELS) % COLOR_LEVELS;
    const b = i % COLOR_LEVELS;
    return `color_r${r}g${g}b${b}`;
  }),
  ...Array.from({ length: ORIENTATION_BINS }, (_, i) => `orient_${(i * 180) / ORIENTATION_BINS}deg`),
  'edge_density',
];

/** The feature vector of one image (any channel layout: grey, BGR, BGRA, RGB, RGBA). */
export function featurize(img: image.Image): number[] {
  const features = new Float64Array(FEATURE_NAMES.length);
  const pixels = img.width * img.height;

  // Colour histogram over RGB.
  const rgb = image.toRGB(img).data;
  for (let i = 0; i < rgb.length; i += 3) {
    const r = Math.floor((rgb[i]! * COLOR_LEVELS) / 256);
    const g = Math.floor((rgb[i + 1]! * COLOR_LEVELS) / 256);
    const b = Math.floor((rgb[i + 2]! * COLOR_LEVELS) / 256);
    features[(r * COLOR_LEVELS + g) * COLOR_LEVELS + b]! += 1 / pixels;
  }

  // Gradient orientations over the grey image (interior pixels; Sobel 3×3).
  const gray = image.toGray(img).data;
  const w = img.width;
  const base = COLOR_LEVELS ** 3;
  let edges = 0;
  let total = 0;
  for (let y = 1; y < img.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const tl = gray[i - w - 1]!, t = gray[i - w]!, tr = gray[i - w + 1]!;
      const l = gray[i - 1]!, r = gray[i + 1]!;
      const bl = gray[i + w - 1]!, b = gray[i + w]!, br = gray[i + w + 1]!;
      const gx = tr + 2 * r + br - tl - 2 * l - bl;
      const gy = bl + 2 * b + br - tl - 2 * t - tr;
      const mag = Math.hypot(gx, gy);
      if (mag <= EDGE_THRESHOLD) continue;
      edges++;
      total += mag;
      // Unsigned orientation in [0, π), shifted half a bin so bin 0 is centred on 0.
      let theta = Math.atan2(gy, gx) + Math.PI / (2 * ORIENTATION_BINS);
      theta = ((theta % Math.PI) + Math.PI) % Math.PI;
      features[base + Math.min(ORIENTATION_BINS - 1, Math.floor((theta / Math.PI) * ORIENTATION_BINS))]! += mag;
    }
  }
  if (total > 0) for (let k = 0; k < ORIENTATION_BINS; k++) features[base + k]! /= total;
  features[base + ORIENTATION_BINS] = edges / ((img.width - 2) * (img.height - 2));
  return Array.from(features);
}

/** The class label of an image: the name of its folder (`…/train/sunny/x.png` → `sunny`). */
export function labelFromOrigin(origin: string): string {
  const parts = origin.split('/');
  return decodeURIComponent(parts[parts.length - 2] ?? '');
}
