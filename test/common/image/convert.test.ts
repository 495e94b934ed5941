import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createImage, toRGB, toRGBA, toBGR, toBGRA, toGray, imageFromRow } from './image-api.js';

// Two pixels: pure red and an arbitrary colour, stored BGR as Spark does.
const bgr = () => createImage({ origin: 'o', height: 1, width: 2, channelOrder: 'BGR', data: Uint8Array.from([0, 0, 255, 30, 20, 10]) });
const bgra = () => createImage({ origin: 'o', height: 1, width: 2, channelOrder: 'BGRA', data: Uint8Array.from([0, 0, 255, 7, 30, 20, 10, 200]) });
const gray = () => createImage({ origin: 'o', height: 1, width: 3, channelOrder: 'GRAY', data: Uint8Array.from([0, 128, 255]) });

describe('channel conversions', () => {
  it('toRGB swaps BGR, drops alpha, replicates grey', () => {
    assert.deepEqual([...toRGB(bgr()).data], [255, 0, 0, 10, 20, 30]);
    assert.deepEqual([...toRGB(bgra()).data], [255, 0, 0, 10, 20, 30]);
    assert.deepEqual([...toRGB(gray()).data], [0, 0, 0, 128, 128, 128, 255, 255, 255]);
    const img = toRGB(bgr());
    assert.equal(img.channelOrder, 'RGB');
    assert.equal(img.channels, 3);
    assert.equal(img.mode, 16);
    assert.equal(img.origin, 'o');
  });

  it('toRGBA keeps alpha or adds 255', () => {
    assert.deepEqual([...toRGBA(bgra()).data], [255, 0, 0, 7, 10, 20, 30, 200]);
    assert.deepEqual([...toRGBA(bgr()).data], [255, 0, 0, 255, 10, 20, 30, 255]);
    assert.deepEqual([...toRGBA(gray()).data], [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    assert.equal(toRGBA(bgr()).mode, 24);
  });

  it('toBGR / toBGRA go back to Spark order', () => {
    assert.deepEqual([...toBGR(toRGB(bgr())).data], [...bgr().data]);
    assert.deepEqual([...toBGRA(toRGBA(bgra())).data], [...bgra().data]);
    assert.deepEqual([...toBGRA(bgr()).data], [0, 0, 255, 255, 30, 20, 10, 255]);
  });

  it("toGray uses BT.601 luma in OpenCV's fixed point", () => {
    // (4899 R + 9617 G + 1868 B + 8192) >> 14: red 255 → 76; (R10, G20, B30) → 18.
    assert.deepEqual([...toGray(bgr()).data], [76, 18]);
    assert.deepEqual([...toGray(bgra()).data], [76, 18]);
    const white = createImage({ height: 1, width: 4, channelOrder: 'RGB', data: Uint8Array.from([255, 255, 255, 0, 255, 0, 0, 0, 255, 1, 1, 1]) });
    // white 255, green 150 (OpenCV: 149.685 → 150), blue 29, (1,1,1) → 1
    assert.deepEqual([...toGray(white).data], [255, 150, 29, 1]);
    assert.equal(toGray(white).channelOrder, 'GRAY');
    assert.equal(toGray(white).mode, 0);
  });

  it('returns the same image when it already has the order', () => {
    const img = bgr();
    assert.equal(toBGR(img), img);
    const g = gray();
    assert.equal(toGray(g), g);
  });

  it('works on a row straight from Spark', () => {
    const img = imageFromRow({ origin: 'x', height: 1, width: 1, nChannels: 3, mode: 16, data: Uint8Array.from([1, 2, 3]) });
    assert.deepEqual([...toRGB(img).data], [3, 2, 1]);
  });
});
