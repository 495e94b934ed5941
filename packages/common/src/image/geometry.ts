/**
 * Geometric transforms: `resize`, `crop`, `centerCrop` — the `ImageTransformer` steps
 * of the Spark image pipelines (resize, then crop). Channel order is preserved.
 *
 * Resize conventions, chosen to match OpenCV's `cv2.resize` so Python and TypeScript
 * featurizers agree:
 * - `'bilinear'` (`INTER_LINEAR`): pixel centres are aligned (source x =
 *   `(dx + 0.5) * srcW / dstW - 0.5`, clamped to the edge pixels). Computed in floating
 *   point and rounded half up, so a value may differ from OpenCV's 11-bit fixed point
 *   by at most 1. Like OpenCV, it does not low-pass filter: shrinking by more than 2×
 *   skips pixels (crop first or resize in steps when that matters).
 * - `'nearest'` (`INTER_NEAREST`): source x = `floor(dx * srcW / dstW)`.
 */
import { ImageError } from './errors.js';
import { createImage, type Image } from './image.js';

export type ResizeMethod = 'bilinear' | 'nearest';

export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  /** Column of the left edge, 0-based. */
  x: number;
  /** Row of the top edge, 0-based. */
  y: number;
}

function checkPositive(fn: string, name: string, v: unknown, origin: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new ImageError(`${fn}(): ${name} must be a positive integer, got ${String(v)}.`, { reason: 'invalid-argument', origin });
  }
  return v;
}

/** Per destination coordinate: the two source coordinates and the weight of the second. */
function linearTaps(dst: number, src: number): { i0: Int32Array; i1: Int32Array; w: Float64Array } {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const w = new Float64Array(dst);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    const s = (d + 0.5) * scale - 0.5;
    let s0 = Math.floor(s);
    let f = s - s0;
    if (s0 < 0) {
      s0 = 0;
      f = 0;
    }
    if (s0 >= src - 1) {
      s0 = src - 1;
      f = 0;
    }
    i0[d] = s0;
    i1[d] = Math.min(s0 + 1, src - 1);
    w[d] = f;
  }
  return { i0, i1, w };
}

/** The image scaled to `size` pixels. */
export function resize(img: Image, size: Size, method: ResizeMethod = 'bilinear'): Image {
  const width = checkPositive('resize', 'width', size?.width, img.origin);
  const height = checkPositive('resize', 'height', size?.height, img.origin);
  if (method !== 'bilinear' && method !== 'nearest') {
    throw new ImageError(`resize(): unknown method ${JSON.stringify(method)}. Valid methods: bilinear, nearest.`, {
      reason: 'invalid-argument',
      origin: img.origin,
    });
  }
  if (width === img.width && height === img.height) return img;
  const out = createImage({ origin: img.origin, height, width, channelOrder: img.channelOrder });
  const src = img.data;
  const dst = out.data;
  const c = img.channels;
  const srcRow = img.width * c;

  if (method === 'nearest') {
    const xs = new Int32Array(width);
    for (let x = 0; x < width; x++) xs[x] = Math.min(Math.floor((x * img.width) / width), img.width - 1) * c;
    let o = 0;
    for (let y = 0; y < height; y++) {
      const row = Math.min(Math.floor((y * img.height) / height), img.height - 1) * srcRow;
      for (let x = 0; x < width; x++) {
        const i = row + xs[x]!;
        for (let k = 0; k < c; k++) dst[o++] = src[i + k]!;
      }
    }
    return out;
  }

  const tx = linearTaps(width, img.width);
  const ty = linearTaps(height, img.height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y]! * srcRow;
    const r1 = ty.i1[y]! * srcRow;
    const fy = ty.w[y]!;
    for (let x = 0; x < width; x++) {
      const c0 = tx.i0[x]! * c;
      const c1 = tx.i1[x]! * c;
      const fx = tx.w[x]!;
      for (let k = 0; k < c; k++) {
        const top = src[r0 + c0 + k]! + (src[r0 + c1 + k]! - src[r0 + c0 + k]!) * fx;
        const bottom = src[r1 + c0 + k]! + (src[r1 + c1 + k]! - src[r1 + c0 + k]!) * fx;
        // Values are within [0, 255]; +0.5 then truncation rounds half up.
        dst[o++] = (top + (bottom - top) * fy + 0.5) | 0;
      }
    }
  }
  return out;
}

/** The `rect` part of the image; it must lie inside the image. */
export function crop(img: Image, rect: Rect): Image {
  const { x, y } = rect ?? ({} as Rect);
  for (const [name, v] of [['x', x], ['y', y]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ImageError(`crop(): ${name} must be a non-negative integer, got ${String(v)}.`, { reason: 'invalid-argument', origin: img.origin });
    }
  }
  const width = checkPositive('crop', 'width', rect.width, img.origin);
  const height = checkPositive('crop', 'height', rect.height, img.origin);
  if (x + width > img.width || y + height > img.height) {
    throw new ImageError(
      `crop(): rectangle x=${x}, y=${y}, width=${width}, height=${height} does not fit inside the ${img.width}×${img.height} image` +
        ` (needs x + width <= ${img.width} and y + height <= ${img.height}).`,
      { reason: 'invalid-argument', origin: img.origin },
    );
  }
  if (x === 0 && y === 0 && width === img.width && height === img.height) return img;
  const out = createImage({ origin: img.origin, height, width, channelOrder: img.channelOrder });
  const c = img.channels;
  const rowBytes = width * c;
  for (let r = 0; r < height; r++) {
    const start = ((y + r) * img.width + x) * c;
    out.data.set(img.data.subarray(start, start + rowBytes), r * rowBytes);
  }
  return out;
}

/**
 * The central `size` part of the image (offsets rounded down when the margin is odd);
 * `size` must not exceed the image.
 */
export function centerCrop(img: Image, size: Size): Image {
  const width = checkPositive('centerCrop', 'width', size?.width, img.origin);
  const height = checkPositive('centerCrop', 'height', size?.height, img.origin);
  if (width > img.width || height > img.height) {
    throw new ImageError(
      `centerCrop(): ${width}×${height} is larger than the ${img.width}×${img.height} image. Resize first, e.g. resize(img, { width: ${Math.max(width, img.width)}, height: ${Math.max(height, img.height)} }).`,
      { reason: 'invalid-argument', origin: img.origin },
    );
  }
  return crop(img, { x: Math.floor((img.width - width) / 2), y: Math.floor((img.height - height) / 2), width, height });
}

/** Which way `flip` mirrors: OpenCV's flipCode 1, 0 and -1. */
export type FlipDirection = 'horizontal' | 'vertical' | 'both';

/**
 * The image mirrored: `'horizontal'` swaps left and right (OpenCV's `flip(img, 1)`),
 * `'vertical'` top and bottom (`0`), `'both'` is a half turn (`-1`).
 */
export function flip(img: Image, direction: FlipDirection = 'horizontal'): Image {
  if (direction !== 'horizontal' && direction !== 'vertical' && direction !== 'both') {
    throw new ImageError(`flip(): unknown direction ${JSON.stringify(direction)}. Valid directions: horizontal, vertical, both.`, { reason: 'invalid-argument', origin: img.origin });
  }
  const out = createImage({ origin: img.origin, height: img.height, width: img.width, channelOrder: img.channelOrder });
  const c = img.channels;
  const mirrorX = direction !== 'vertical';
  const mirrorY = direction !== 'horizontal';
  for (let y = 0; y < img.height; y++) {
    const sy = mirrorY ? img.height - 1 - y : y;
    for (let x = 0; x < img.width; x++) {
      const sx = mirrorX ? img.width - 1 - x : x;
      const from = (sy * img.width + sx) * c;
      const to = (y * img.width + x) * c;
      for (let k = 0; k < c; k++) out.data[to + k] = img.data[from + k]!;
    }
  }
  return out;
}
