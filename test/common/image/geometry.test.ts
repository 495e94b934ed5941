import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTsapplyError } from '@tsapply/common';
import { createImage, resize, crop, centerCrop, flip, toTensor, type Image } from './image-api.js';

const gray2x2 = () => createImage({ height: 2, width: 2, channelOrder: 'GRAY', data: Uint8Array.from([0, 100, 200, 40]) });

/** Rows of a grey image as arrays, for readable assertions. */
function rows(img: Image): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < img.height; y++) out.push([...img.data.subarray(y * img.width * img.channels, (y + 1) * img.width * img.channels)]);
  return out;
}

function throwsMessage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => isTsapplyError(e) && (e as Error).message === message);
}

describe('resize', () => {
  it('bilinear 2×2 → 4×4 with aligned pixel centres (as OpenCV INTER_LINEAR)', () => {
    // Source x (and y) = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    // E.g. (1, 1): top = 0.75·0 + 0.25·100 = 25, bottom = 0.75·200 + 0.25·40 = 160,
    // 0.75·25 + 0.25·160 = 58.75 → 59.
    assert.deepEqual(rows(resize(gray2x2(), { width: 4, height: 4 })), [
      [0, 25, 75, 100],
      [50, 59, 76, 85],
      [150, 126, 79, 55],
      [200, 160, 80, 40],
    ]);
  });

  it('nearest 2×2 → 4×3', () => {
    assert.deepEqual(rows(resize(gray2x2(), { width: 4, height: 3 }, 'nearest')), [
      [0, 0, 100, 100],
      [0, 0, 100, 100],
      [200, 200, 40, 40],
    ]);
  });

  it('bilinear 4×4 → 2×2 averages each 2×2 block', () => {
    const img = createImage({ height: 4, width: 4, channelOrder: 'GRAY', data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]) });
    assert.deepEqual(rows(resize(img, { width: 2, height: 2 })), [
      [25, 45],
      [105, 125],
    ]);
  });

  it('keeps channels and their order', () => {
    const img = createImage({ origin: 'o', height: 1, width: 2, channelOrder: 'BGR', data: Uint8Array.from([0, 10, 20, 100, 110, 120]) });
    const out = resize(img, { width: 4, height: 1 });
    assert.equal(out.channelOrder, 'BGR');
    assert.equal(out.origin, 'o');
    assert.deepEqual([...out.data], [0, 10, 20, 25, 35, 45, 75, 85, 95, 100, 110, 120]);
  });

  it('rejects bad sizes and methods', () => {
    throwsMessage(() => resize(gray2x2(), { width: 0, height: 2 }), 'resize(): width must be a positive integer, got 0.');
    throwsMessage(() => resize(gray2x2(), { width: 2, height: 1.5 }), 'resize(): height must be a positive integer, got 1.5.');
    throwsMessage(() => resize(gray2x2(), { width: 2, height: 2 }, 'cubic' as never), 'resize(): unknown method "cubic". Valid methods: bilinear, nearest.');
  });
});

describe('crop', () => {
  const img3 = () => createImage({ height: 3, width: 3, channelOrder: 'GRAY', data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) });

  it('cuts a rectangle', () => {
    assert.deepEqual(rows(crop(img3(), { x: 1, y: 1, width: 2, height: 2 })), [
      [5, 6],
      [8, 9],
    ]);
    const rgb = createImage({ height: 1, width: 3, channelOrder: 'RGB', data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) });
    assert.deepEqual([...crop(rgb, { x: 2, y: 0, width: 1, height: 1 }).data], [7, 8, 9]);
  });

  it('centerCrop takes the middle, rounding the offset down', () => {
    assert.deepEqual(rows(centerCrop(img3(), { width: 1, height: 1 })), [[5]]);
    assert.deepEqual(rows(centerCrop(img3(), { width: 2, height: 2 })), [
      [1, 2],
      [4, 5],
    ]);
  });

  it('rejects rectangles outside the image', () => {
    throwsMessage(
      () => crop(img3(), { x: 2, y: 0, width: 2, height: 1 }),
      'crop(): rectangle x=2, y=0, width=2, height=1 does not fit inside the 3×3 image (needs x + width <= 3 and y + height <= 3).',
    );
    throwsMessage(() => crop(img3(), { x: -1, y: 0, width: 1, height: 1 }), 'crop(): x must be a non-negative integer, got -1.');
    throwsMessage(
      () => centerCrop(img3(), { width: 4, height: 2 }),
      'centerCrop(): 4×2 is larger than the 3×3 image. Resize first, e.g. resize(img, { width: 4, height: 3 }).',
    );
  });
});

describe('flip', () => {
  const img = () => createImage({ height: 2, width: 3, channelOrder: 'GRAY', data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });

  it('mirrors left and right, top and bottom, or both (OpenCV flipCode 1, 0, -1)', () => {
    assert.deepEqual(rows(flip(img())), [[3, 2, 1], [6, 5, 4]]);
    assert.deepEqual(rows(flip(img(), 'vertical')), [[4, 5, 6], [1, 2, 3]]);
    assert.deepEqual(rows(flip(img(), 'both')), [[6, 5, 4], [3, 2, 1]]);
  });

  it('keeps every channel of a pixel together', () => {
    const bgr = createImage({ height: 1, width: 2, channelOrder: 'BGR', data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    assert.deepEqual([...flip(bgr).data], [4, 5, 6, 1, 2, 3]);
  });

  it('refuses an unknown direction', () => {
    throwsMessage(() => flip(img(), 'sideways' as never), 'flip(): unknown direction "sideways". Valid directions: horizontal, vertical, both.');
  });
});

describe('toTensor', () => {
  it('channel-first floats, scaled, minus the mean, over the deviation, per channel', () => {
    // Two pixels (B, G, R): (10, 20, 30) and (40, 50, 60).
    const bgr = createImage({ height: 1, width: 2, channelOrder: 'BGR', data: Uint8Array.from([10, 20, 30, 40, 50, 60]) });
    assert.deepEqual([...toTensor(bgr)], [10, 40, 20, 50, 30, 60]);
    const t = toTensor(bgr, { scale: 0.1, mean: [1, 2, 3], std: 2 });
    assert.deepEqual([...t], [0, 1.5, 0, 1.5, 0, 1.5]);
  });

  it('refuses a mean or std of the wrong length, and a zero std', () => {
    const gray = createImage({ height: 1, width: 1, channelOrder: 'GRAY' });
    throwsMessage(() => toTensor(gray, { mean: [1, 2] }), 'toTensor(): mean has 2 values for a 1-channel image; give one, or one per channel.');
    throwsMessage(() => toTensor(gray, { std: 0 }), 'toTensor(): std must hold finite numbers other than 0, got 0.');
  });
});
