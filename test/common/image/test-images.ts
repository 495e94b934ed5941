/**
 * Test images with known pixels, written as real PNG/JPEG files, and the ImageSchema
 * row Spark produces for each (pixels in BGR(A) order, OpenCV mode codes).
 *
 * PNGs are encoded by a tiny encoder in this file (not pngjs) so the tests can produce
 * every PNG colour type and bit depth the decoders must handle — grey, grey+alpha,
 * palette (with and without tRNS), RGB, RGBA, 1/2/4/8/16-bit — independently of the
 * decoder under test. Reused by the Spark-vs-local pixel equality test: write the set
 * with `writeTestImages(dir)`, read `dir` with both engines, compare against `expected`.
 */
import { deflateSync, crc32 } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';

/** PNG colour types: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
export type PngColorType = 0 | 2 | 3 | 4 | 6;

export interface PngSpec {
  width: number;
  height: number;
  colorType: PngColorType;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  /** Raw samples, row-major, `channels(colorType)` per pixel (palette: one index per pixel). */
  samples: ArrayLike<number>;
  /** PLTE entries `[r, g, b]` (colour type 3). */
  palette?: ReadonlyArray<readonly [number, number, number]>;
  /** tRNS chunk payload: palette alphas (type 3), or the transparent grey / RGB sample values. */
  trns?: readonly number[];
}

const CHANNELS: Record<PngColorType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes a non-interlaced PNG (filter 0 on every line) from raw samples. */
export function encodePng(spec: PngSpec): Buffer {
  const { width, height, colorType, bitDepth, samples } = spec;
  const perPixel = CHANNELS[colorType];
  const lineBytes = Math.ceil((width * perPixel * bitDepth) / 8);
  const raw = Buffer.alloc((lineBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const line = y * (lineBytes + 1) + 1; // byte 0 of each line is the filter type (0 = none)
    let bit = 0;
    for (let i = 0; i < width * perPixel; i++) {
      const v = samples[y * width * perPixel + i]!;
      if (bitDepth === 16) {
        raw.writeUInt16BE(v, line + i * 2);
      } else if (bitDepth === 8) {
        raw[line + i] = v;
      } else {
        // Sub-byte samples are packed most significant bits first.
        raw[line + (bit >> 3)]! |= v << (8 - bitDepth - (bit & 7));
        bit += bitDepth;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (spec.palette) parts.push(chunk('PLTE', Uint8Array.from(spec.palette.flat())));
  if (spec.trns) {
    const t = colorType === 3 ? Uint8Array.from(spec.trns) : Buffer.alloc(spec.trns.length * 2);
    if (colorType !== 3) spec.trns.forEach((v, i) => (t as Buffer).writeUInt16BE(v, i * 2));
    parts.push(chunk('tRNS', t));
  }
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** The ImageSchema fields Spark produces for a file (origin aside). */
export interface ExpectedImage {
  height: number;
  width: number;
  nChannels: number;
  mode: number;
  /** BGR(A) / grey bytes, row-major. */
  data: number[];
}

export interface TestImage {
  /** File name inside the test folder. */
  name: string;
  bytes: Buffer;
  /**
   * What Spark (and the embedded reader) produce: the image; `'invalid'` for Spark's
   * invalid-image row (height = width = nChannels = mode = -1, empty data; dropped with
   * `dropInvalid`); `'no-row'` for a 0-byte file, which Spark never opens.
   */
  expected: ExpectedImage | 'invalid' | 'no-row';
}

const W = 3;
const H = 2;
/** RGB pixels of the 3×2 colour images, row-major: distinct values so swaps show. */
const RGB = [
  [255, 0, 0], [0, 255, 0], [0, 0, 255],
  [10, 20, 30], [200, 150, 100], [1, 128, 254],
] as const;
const ALPHA = [255, 0, 128, 1, 254, 77] as const;
const GREY = [0, 17, 128, 200, 254, 255] as const;
const GREY16 = [0, 300, 32768, 65535, 258, 1000] as const;

const bgr = (alpha: boolean): number[] =>
  RGB.flatMap(([r, g, b], i) => (alpha ? [b, g, r, ALPHA[i]!] : [b, g, r]));
const grey3 = (values: readonly number[]): number[] => values.flatMap((v) => [v, v, v]);

/** A 64×64 RGB pattern, for the damaged-file cases. */
function pattern64(): { png: Buffer; bgr: number[] } {
  const samples = Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251);
  const bgrData: number[] = [];
  for (let i = 0; i < samples.length; i += 3) bgrData.push(samples[i + 2]!, samples[i + 1]!, samples[i]!);
  return { png: encodePng({ width: 64, height: 64, colorType: 2, bitDepth: 8, samples }), bgr: bgrData };
}

/**
 * PNG cases with the ImageSchema values Spark 4.1.1 produced for them (checked with
 * `spark.read.format('image')`), covering every PNG colour type and bit depth and the
 * damaged files: Java ignores chunk CRCs and a missing IEND, a PNG cut inside its data
 * or header is invalid, text is invalid, an empty file gives no row.
 */
export function testImages(): TestImage[] {
  const palette = RGB.map(([r, g, b]) => [r, g, b] as const);
  const indices = [0, 1, 2, 3, 4, 5];
  const rgb8 = encodePng({ width: W, height: H, colorType: 2, bitDepth: 8, samples: RGB.flat() });
  const big = pattern64();
  const badCrc = Buffer.from(big.png);
  badCrc[badCrc.length - 13]! ^= 0xff; // last CRC byte of the IDAT chunk
  const img = (nChannels: 1 | 3 | 4, data: number[], height = H, width = W): ExpectedImage => ({
    height,
    width,
    nChannels,
    mode: nChannels === 1 ? 0 : nChannels === 3 ? 16 : 24,
    data,
  });
  return [
    { name: 'grey8.png', bytes: encodePng({ width: W, height: H, colorType: 0, bitDepth: 8, samples: GREY }), expected: img(1, [...GREY]) },
    // 16-bit grey: Spark keeps the LOW byte of each sample (raster sample cast to byte).
    { name: 'grey16.png', bytes: encodePng({ width: W, height: H, colorType: 0, bitDepth: 16, samples: GREY16 }), expected: img(1, GREY16.map((v) => v & 0xff)) },
    // 1- and 4-bit grey: Java gives them an RGB model, so 3 channels of the scaled value.
    { name: 'grey1.png', bytes: encodePng({ width: W, height: H, colorType: 0, bitDepth: 1, samples: [0, 1, 0, 1, 1, 0] }), expected: img(3, grey3([0, 255, 0, 255, 255, 0])) },
    { name: 'grey4.png', bytes: encodePng({ width: W, height: H, colorType: 0, bitDepth: 4, samples: [0, 5, 15, 7, 8, 1] }), expected: img(3, grey3([0, 85, 255, 119, 136, 17])) },
    { name: 'grey-trns.png', bytes: encodePng({ width: W, height: H, colorType: 0, bitDepth: 8, samples: GREY, trns: [128] }), expected: img(1, [...GREY]) },
    { name: 'grey-alpha8.png', bytes: encodePng({ width: W, height: H, colorType: 4, bitDepth: 8, samples: GREY.flatMap((g, i) => [g, ALPHA[i]!]) }), expected: img(1, [...GREY]) },
    {
      name: 'grey-alpha16.png',
      bytes: encodePng({ width: W, height: H, colorType: 4, bitDepth: 16, samples: GREY16.flatMap((g, i) => [g, ALPHA[i]! * 257]) }),
      expected: img(1, GREY16.map((v) => v & 0xff)),
    },
    { name: 'rgb8.png', bytes: rgb8, expected: img(3, bgr(false)) },
    {
      name: 'rgba8.png',
      bytes: encodePng({ width: W, height: H, colorType: 6, bitDepth: 8, samples: RGB.flatMap(([r, g, b], i) => [r, g, b, ALPHA[i]!]) }),
      expected: img(4, bgr(true)),
    },
    // RGB + tRNS: 4 channels, alpha 0 only on the transparent colour, whose RGB is kept.
    {
      name: 'rgb-trns.png',
      bytes: encodePng({ width: W, height: H, colorType: 2, bitDepth: 8, samples: RGB.flat(), trns: [0, 255, 0] }),
      expected: img(4, RGB.flatMap(([r, g, b], i) => [b, g, r, i === 1 ? 0 : 255])),
    },
    // v * 257 is the exact 16-bit form of an 8-bit value.
    { name: 'rgb16.png', bytes: encodePng({ width: W, height: H, colorType: 2, bitDepth: 16, samples: RGB.flat().map((v) => v * 257) }), expected: img(3, bgr(false)) },
    // 16-bit colour is scaled with rounding: round(v * 255 / 65535).
    {
      name: 'rgb16-rounding.png',
      bytes: encodePng({
        width: W, height: H, colorType: 2, bitDepth: 16,
        samples: [1, 127, 128, 129, 255, 256, 32767, 32768, 65534, 65535, 383, 384, 385, 640, 641, 642, 12345, 54321],
      }),
      expected: img(3, [0, 0, 0, 1, 1, 1, 255, 128, 127, 1, 1, 255, 2, 2, 1, 211, 48, 2]),
    },
    {
      name: 'rgba16.png',
      bytes: encodePng({ width: W, height: H, colorType: 6, bitDepth: 16, samples: RGB.flatMap(([r, g, b], i) => [r, g, b, ALPHA[i]!].map((v) => v * 257)) }),
      expected: img(4, bgr(true)),
    },
    { name: 'palette.png', bytes: encodePng({ width: W, height: H, colorType: 3, bitDepth: 8, samples: indices, palette }), expected: img(3, bgr(false)) },
    {
      name: 'palette-trns.png',
      bytes: encodePng({ width: W, height: H, colorType: 3, bitDepth: 8, samples: indices, palette, trns: [...ALPHA] }),
      expected: img(4, bgr(true)),
    },
    {
      name: 'palette2.png',
      bytes: encodePng({ width: W, height: H, colorType: 3, bitDepth: 2, samples: [0, 1, 2, 3, 0, 1], palette: [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 9, 9]] }),
      expected: img(3, [0, 0, 255, 0, 255, 0, 255, 0, 0, 9, 9, 9, 0, 0, 255, 0, 255, 0]),
    },
    // A palette of greys is still a colour image to Java: 3 channels.
    {
      name: 'palette-grey.png',
      bytes: encodePng({ width: W, height: H, colorType: 3, bitDepth: 8, samples: [0, 1, 2, 0, 1, 2], palette: [[0, 0, 0], [128, 128, 128], [255, 255, 255]] }),
      expected: img(3, grey3([0, 128, 255, 0, 128, 255])),
    },
    { name: 'bad-crc.png', bytes: badCrc, expected: img(3, big.bgr, 64, 64) },
    { name: 'no-iend.png', bytes: big.png.subarray(0, big.png.length - 12), expected: img(3, big.bgr, 64, 64) },
    { name: 'cut-in-data.png', bytes: big.png.subarray(0, Math.floor(big.png.length * 0.6)), expected: 'invalid' },
    { name: 'cut-in-header.png', bytes: rgb8.subarray(0, 40), expected: 'invalid' },
    { name: 'not-an-image.png', bytes: Buffer.from('this is text, not a PNG\n'), expected: 'invalid' },
    { name: 'empty.png', bytes: Buffer.alloc(0), expected: 'no-row' },
  ];
}

/** Writes `testImages()` into `dir` (created if needed) and returns them. */
export function writeTestImages(dir: string, images: TestImage[] = testImages()): TestImage[] {
  mkdirSync(dir, { recursive: true });
  for (const img of images) writeFileSync(join(dir, img.name), img.bytes);
  return images;
}

/** A baseline JPEG of a `width`×`height` image filled by `rgbAt(x, y)` (quality 95). */
export function encodeJpeg(width: number, height: number, rgbAt: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgbAt(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return jpeg.encode({ data, width, height }, 95).data;
}
