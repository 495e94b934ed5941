/**
 * Generates the demo's labelled image set, `examples/data/shapes/`:
 *
 *   shapes/train/sunny/*.png   40 images     shapes/test/sunny/*.png   10 images
 *   shapes/train/forest/*.png  40 images     shapes/test/forest/*.png  10 images
 *
 * Two classes a small colour + gradient-orientation featurizer can separate, but not
 * trivially by one cue:
 * - "sunny": 1–3 round blobs (suns, balloons): edges in every direction; sometimes
 *   also one thin pole. Warm backgrounds and bright blobs are more likely.
 * - "forest": 3–7 slightly leaning vertical trunks: edges mostly vertical; sometimes also
 *   a round bush. Green backgrounds and dark trunks are more likely.
 * Both classes draw backgrounds and shape colours from the same pools, only with
 * different odds, so colour alone is a weak cue and the gradient orientations matter.
 * Every image has per-pixel noise and random positions, sizes and colours. Most are
 * 64×64 RGB; every 8th is greyscale and every 10th RGBA, so readers and featurizers
 * meet all three ImageSchema channel layouts.
 *
 * Deterministic (seeded mulberry32 PRNG): re-running rewrites identical pixels. The
 * PNGs are committed, so nothing is generated or downloaded when the demo runs.
 *
 *   npx tsx examples/data/generate-shapes.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 64;
const SEED = 20240611;
const SPLITS = { train: 40, test: 10 } as const;
export const CLASSES = ['sunny', 'forest'] as const;
type Label = (typeof CLASSES)[number];

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type RGB = [number, number, number];

class Canvas {
  readonly px = new Float32Array(SIZE * SIZE * 3);
  constructor(private readonly rand: () => number) {}

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rand();
  }

  /** Vertical gradient background from `top` to `bottom`. */
  background(top: RGB, bottom: RGB): void {
    for (let y = 0; y < SIZE; y++) {
      const t = y / (SIZE - 1);
      for (let x = 0; x < SIZE; x++) {
        const i = (y * SIZE + x) * 3;
        for (let c = 0; c < 3; c++) this.px[i + c] = top[c]! * (1 - t) + bottom[c]! * t;
      }
    }
  }

  /** Filled disc with a one-pixel soft edge. */
  disc(cx: number, cy: number, r: number, color: RGB): void {
    for (let y = Math.max(0, Math.floor(cy - r - 1)); y <= Math.min(SIZE - 1, Math.ceil(cy + r + 1)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r - 1)); x <= Math.min(SIZE - 1, Math.ceil(cx + r + 1)); x++) {
        const cover = Math.min(1, Math.max(0, r + 0.5 - Math.hypot(x - cx, y - cy)));
        this.blend(x, y, color, cover);
      }
    }
  }

  /** A vertical band `width` wide centred on x0 at the top, leaning by `lean` pixels over the height. */
  trunk(x0: number, width: number, lean: number, top: number, color: RGB): void {
    for (let y = Math.floor(top); y < SIZE; y++) {
      const cx = x0 + (lean * y) / SIZE;
      for (let x = Math.max(0, Math.floor(cx - width)); x <= Math.min(SIZE - 1, Math.ceil(cx + width)); x++) {
        const cover = Math.min(1, Math.max(0, width / 2 + 0.5 - Math.abs(x - cx)));
        this.blend(x, y, color, cover);
      }
    }
  }

  private blend(x: number, y: number, color: RGB, a: number): void {
    if (a <= 0) return;
    const i = (y * SIZE + x) * 3;
    for (let c = 0; c < 3; c++) this.px[i + c] = this.px[i + c]! * (1 - a) + color[c]! * a;
  }

  /** Adds uniform noise of ±`amount` to every channel. */
  noise(amount: number): void {
    for (let i = 0; i < this.px.length; i++) this.px[i] = this.px[i]! + this.uniform(-amount, amount);
  }
}

function jitter(rand: () => number, base: RGB, amount: number): RGB {
  return base.map((v) => Math.min(255, Math.max(0, v + (rand() * 2 - 1) * amount))) as RGB;
}

/** Backgrounds (top, bottom) shared by both classes, so colour alone is only a hint. */
const WARM: [RGB, RGB] = [[240, 200, 120], [250, 160, 80]];
const GREEN: [RGB, RGB] = [[80, 150, 80], [40, 100, 60]];
const GREY_BLUE: [RGB, RGB] = [[150, 170, 190], [100, 110, 130]];
/** Colours of shapes, shared by both classes: yellow, orange, bark brown, dark green. */
const SHAPE_COLORS: RGB[] = [[255, 220, 40], [230, 90, 40], [80, 50, 30], [25, 70, 35]];

function pick<T>(rand: () => number, items: readonly T[], weights: readonly number[]): T {
  let u = rand() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((u -= weights[i]!) < 0) return items[i]!;
  return items[items.length - 1]!;
}

function background(cv: Canvas, rand: () => number, weights: readonly number[]): void {
  const [top, bottom] = pick(rand, [WARM, GREEN, GREY_BLUE], weights);
  cv.background(jitter(rand, top, 30), jitter(rand, bottom, 30));
}

/** Sunny: 1–3 round blobs (suns, balloons); mostly warm skies and bright blobs; sometimes a pole. */
function drawSunny(cv: Canvas, rand: () => number): void {
  background(cv, rand, [0.55, 0.25, 0.2]);
  if (rand() < 0.3) cv.trunk(cv.uniform(4, SIZE - 4), cv.uniform(1.5, 3), cv.uniform(-2, 2), cv.uniform(10, 40), jitter(rand, SHAPE_COLORS[2]!, 20));
  const blobs = 1 + Math.floor(rand() * 3);
  for (let b = 0; b < blobs; b++) {
    const r = cv.uniform(7, 16);
    const color = jitter(rand, pick(rand, SHAPE_COLORS, [0.4, 0.3, 0.15, 0.15]), 25);
    cv.disc(cv.uniform(r, SIZE - r), cv.uniform(r, SIZE - r), r, color);
  }
}

/** Forest: 3–7 slightly leaning vertical trunks; mostly green canopies and dark trunks; sometimes a round bush. */
function drawForest(cv: Canvas, rand: () => number): void {
  background(cv, rand, [0.25, 0.55, 0.2]);
  const trunks = 3 + Math.floor(rand() * 5);
  for (let t = 0; t < trunks; t++) {
    const color = jitter(rand, pick(rand, SHAPE_COLORS, [0.15, 0.15, 0.4, 0.3]), 20);
    cv.trunk(cv.uniform(2, SIZE - 2), cv.uniform(2, 6), cv.uniform(-4, 4), cv.uniform(0, 20), color);
  }
  if (rand() < 0.3) {
    const r = cv.uniform(5, 10);
    cv.disc(cv.uniform(r, SIZE - r), cv.uniform(SIZE / 2, SIZE - r), r, jitter(rand, pick(rand, SHAPE_COLORS, [0.3, 0.3, 0.1, 0.3]), 25));
  }
}

/** The `index`-th image of a split: RGB, or grey (every 8th) or RGBA (every 10th). */
function render(label: Label, rand: () => number, index: number): Buffer {
  const cv = new Canvas(rand);
  (label === 'sunny' ? drawSunny : drawForest)(cv, rand);
  cv.noise(10);
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let p = 0; p < SIZE * SIZE; p++) {
    for (let c = 0; c < 3; c++) png.data[p * 4 + c] = Math.round(Math.min(255, Math.max(0, cv.px[p * 3 + c]!)));
    png.data[p * 4 + 3] = 255;
  }
  const colorType = index % 8 === 7 ? 0 : index % 10 === 9 ? 6 : 2;
  if (colorType === 6) {
    // Opaque except a translucent top band, so the alpha channel carries real data.
    for (let p = 0; p < SIZE * 8; p++) png.data[p * 4 + 3] = 160;
  }
  return PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true });
}

export function generateShapes(outDir: string): { files: number } {
  rmSync(outDir, { recursive: true, force: true });
  const rand = mulberry32(SEED);
  let files = 0;
  for (const [split, count] of Object.entries(SPLITS)) {
    for (const label of CLASSES) {
      const dir = join(outDir, split, label);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < count; i++) {
        writeFileSync(join(dir, `${label}-${String(i).padStart(3, '0')}.png`), render(label, rand, i));
        files++;
      }
    }
  }
  return { files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'shapes');
  const { files } = generateShapes(out);
  console.log(`Wrote ${files} images to ${out}`);
}
