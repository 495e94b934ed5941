/**
 * Decodes PNG and JPEG bytes into Spark ImageSchema fields exactly as Spark's
 * `ImageSchema.decode` does (javax.imageio + `java.awt` colour models), with pngjs and
 * jpeg-js. The rules, each checked against Spark 4.1.1 on PNGs of every colour type:
 *
 * - Spark treats an image as grey (1 channel, mode 0) when its Java colour space is grey,
 *   as 4-channel BGRA (mode 24) when its colour model has alpha, else 3-channel BGR (16).
 * - PNG grey 8/16-bit and grey+alpha → 1 channel; the alpha is dropped. Spark takes the
 *   raw sample cast to a byte, so a 16-bit grey sample keeps only its LOW byte
 *   (`300` → `44`), not a scaled value.
 * - PNG grey 1/2/4-bit → Java gives them an RGB colour model: 3 channels, each the
 *   sample scaled to 0–255 (`round(v * 255 / (2^depth - 1))`).
 * - PNG RGB → 3 channels; with a tRNS chunk → 4 channels, alpha 0 on the transparent
 *   colour (its RGB kept) and 255 elsewhere. RGBA → 4 channels.
 * - PNG palette → 3 channels, or 4 when tRNS gives some entry an alpha below 255.
 * - 16-bit colour samples are scaled: `round(v * 255 / 65535)`.
 * - JPEG: 1 component → 1 channel; 3 → BGR. jpeg-js's IDCT and chroma upsampling differ
 *   from Java's, so JPEG pixels can differ from Spark's by a few levels (PNG pixels are
 *   identical). 4-component (CMYK) JPEGs make Java throw an IOException, which fails
 *   Spark's whole read; here they are refused with a clear error too.
 * - Bytes no decoder accepts (text, a PNG or JPEG cut off before its last pixel) are an
 *   invalid image: `undefined` here (Spark: `None`). Chunk CRC errors and a missing
 *   `IEND` chunk are tolerated, as Java tolerates them.
 * - GIF, BMP and TIFF, which Java also decodes, are refused with an error rather than
 *   turned into rows that would differ from Spark's.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { UnsupportedImageFormat } from '../../errors.js';

/** The ImageSchema fields of a decoded image (origin aside). */
export interface DecodedImage {
  height: number;
  width: number;
  nChannels: 1 | 3 | 4;
  mode: 0 | 16 | 24;
  /** Grey, BGR or BGRA bytes, row-major. */
  data: Uint8Array;
}

// A file in an image format Spark decodes but this decoder does not (or that fails Spark's read).
export { UnsupportedImageFormat };

const MODE = { 1: 0, 3: 16, 4: 24 } as const;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** 16-bit → 8-bit as Java's colour models scale: round half up of v * 255 / 65535. */
function scale16(v: number): number {
  return Math.floor((v * 255) / 65535 + 0.5);
}

function result(height: number, width: number, nChannels: 1 | 3 | 4, data: Uint8Array): DecodedImage {
  return { height, width, nChannels, mode: MODE[nChannels], data };
}

interface PngDecoded {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  /** RGBA samples, raw (not rescaled): Uint16Array for 16-bit images. */
  data: ArrayLike<number>;
  /** Palette entries `[r, g, b, a]` (colour type 3). */
  palette?: number[][];
  /** Raw sample(s) of the tRNS transparent colour (colour types 0 and 2). */
  transColor?: number[];
}

/** The IEND chunk (length 0, type, CRC): appended when a file lacks it, as Java needs none. */
const IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function readPng(bytes: Uint8Array): PngDecoded {
  // skipRescale: keep raw samples; Java's rules differ per colour type (see module doc).
  // checkCRC off: Java's PNG reader ignores chunk CRCs, so Spark decodes such files.
  return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    skipRescale: true,
    checkCRC: false,
  }) as unknown as PngDecoded;
}

function decodePng(bytes: Uint8Array): DecodedImage | undefined {
  let png: PngDecoded;
  try {
    png = readPng(bytes);
  } catch {
    // pngjs insists on IEND; Java decodes a file that ends right after its image data.
    const tail = bytes.subarray(bytes.length - 8, bytes.length - 4);
    if (tail.length === 4 && Buffer.from(tail).toString('latin1') === 'IEND') return undefined;
    try {
      png = readPng(Buffer.concat([bytes, Uint8Array.from(IEND)]));
    } catch {
      return undefined;
    }
  }
  const { width, height, depth, colorType, data: src } = png;
  const pixels = width * height;
  const trns = png.transColor;

  if ((colorType === 0 && depth >= 8) || colorType === 4) {
    const out = new Uint8Array(pixels);
    for (let p = 0; p < pixels; p++) {
      // pngjs zeroes a tRNS-transparent grey pixel; its sample was the tRNS value.
      const v = trns && src[p * 4 + 3] === 0 && colorType === 0 ? trns[0]! : src[p * 4]!;
      out[p] = v & 0xff; // Java: raster sample cast to byte (16-bit keeps the low byte)
    }
    return result(height, width, 1, out);
  }

  if (colorType === 0) {
    // 1/2/4-bit grey: Java builds an RGB image; every channel is the scaled sample.
    const max = (1 << depth) - 1;
    const out = new Uint8Array(pixels * 3);
    for (let p = 0; p < pixels; p++) {
      const v = Math.floor((src[p * 4]! * 255) / max + 0.5);
      out[p * 3] = v;
      out[p * 3 + 1] = v;
      out[p * 3 + 2] = v;
    }
    return result(height, width, 3, out);
  }

  const toByte = depth === 16 ? scale16 : (v: number) => v;
  let channels: 3 | 4;
  if (colorType === 3) channels = png.palette!.some((entry) => entry[3]! < 255) ? 4 : 3;
  else channels = colorType === 6 || trns !== undefined ? 4 : 3;

  const out = new Uint8Array(pixels * channels);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 4, o += channels) {
    let r = src[i]!;
    let g = src[i + 1]!;
    let b = src[i + 2]!;
    const a = src[i + 3]!;
    if (trns !== undefined && colorType === 2 && a === 0) {
      // pngjs zeroes all four samples of the transparent colour; Java keeps its RGB.
      r = trns[0]!;
      g = trns[1]!;
      b = trns[2]!;
    }
    out[o] = toByte(b);
    out[o + 1] = toByte(g);
    out[o + 2] = toByte(r);
    if (channels === 4) out[o + 3] = colorType === 3 ? a : toByte(a);
  }
  return result(height, width, channels, out);
}

/** Number of components in the first SOF segment of a JPEG, or undefined if none is found. */
function jpegComponents(bytes: Uint8Array): number | undefined {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): byte 9 of the segment is Nf.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[i + 9];
    if (marker === 0xda || marker === 0xd9) return undefined;
    i += 2 + length;
  }
  return undefined;
}

function decodeJpeg(bytes: Uint8Array): DecodedImage | undefined {
  const components = jpegComponents(bytes);
  if (components === 4) {
    throw UnsupportedImageFormat.fromFields({
      formatName: 'CMYK JPEG',
      hint: "Spark's Java decoder cannot read 4-component (CMYK/YCCK) JPEGs either; the read would fail on Spark. Convert the file to RGB",
    });
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  } catch {
    return undefined;
  }
  const { width, height, data: rgb } = decoded;
  const pixels = width * height;
  if (components === 1) {
    const out = new Uint8Array(pixels);
    for (let p = 0; p < pixels; p++) out[p] = rgb[p * 3]!;
    return result(height, width, 1, out);
  }
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels * 3; p += 3) {
    out[p] = rgb[p + 2]!;
    out[p + 1] = rgb[p + 1]!;
    out[p + 2] = rgb[p]!;
  }
  return result(height, width, 3, out);
}

/**
 * Decodes one file's bytes. `undefined` means Spark's "invalid image" (its decoder
 * returned nothing); `UnsupportedImageFormat` is thrown for formats Spark decodes
 * differently or not at all without failing.
 */
export function decodeImage(bytes: Uint8Array): DecodedImage | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return decodePng(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return decodeJpeg(bytes);
  const other = startsWith(bytes, [0x47, 0x49, 0x46, 0x38])
    ? 'GIF'
    : startsWith(bytes, [0x42, 0x4d])
      ? 'BMP'
      : startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])
        ? 'TIFF'
        : undefined;
  if (other) {
    throw UnsupportedImageFormat.fromFields({
      formatName: other,
      hint: `Spark decodes ${other} images, the embedded engine decodes only PNG and JPEG. Convert the file, exclude it with options.pathGlobFilter, or run on Spark (--remote)`,
    });
  }
  return undefined;
}
