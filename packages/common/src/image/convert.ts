/**
 * Channel conversions: `toRGB`, `toRGBA`, `toBGR`, `toBGRA`, `toGray`.
 *
 * Semantics follow OpenCV's `cvtColor` for 8-bit images, so features computed here match
 * what OpenCV-based (Python) pipelines compute from the same ImageSchema rows:
 * - colour → grey: `Y = 0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601 luma), evaluated in
 *   OpenCV's 14-bit fixed point, `Y = (4899 R + 9617 G + 1868 B + 8192) >> 14`, which gives
 *   exactly OpenCV's integer result. Alpha is ignored (not premultiplied).
 * - grey → colour: the grey value in every colour channel.
 * - adding alpha: 255 (opaque); dropping alpha: discarded, colours unchanged.
 * Each function returns its input unchanged (same object) when it already has the
 * requested order, and a new image with new `data` otherwise.
 */
import { createImage, ORDER_CHANNELS, type ChannelOrder, type Image } from './image.js';

/** Fixed-point BT.601 weights with 14 fractional bits (they sum to 1 << 14). */
const R_WEIGHT = 4899;
const G_WEIGHT = 9617;
const B_WEIGHT = 1868;
const SHIFT = 14;
const HALF = 1 << (SHIFT - 1);

/** Byte offsets of red, green, blue inside a pixel of each colour order. */
const RGB_OFFSETS: Record<'BGR' | 'BGRA' | 'RGB' | 'RGBA', readonly [number, number, number]> = {
  BGR: [2, 1, 0],
  BGRA: [2, 1, 0],
  RGB: [0, 1, 2],
  RGBA: [0, 1, 2],
};

function hasAlpha(order: ChannelOrder): boolean {
  return order === 'BGRA' || order === 'RGBA';
}

/** Converts `img` to any channel order. */
export function convertChannels(img: Image, to: ChannelOrder): Image {
  if (img.channelOrder === to) return img;
  const toChannels = ORDER_CHANNELS[to];
  const out = createImage({ origin: img.origin, height: img.height, width: img.width, channelOrder: to });
  const src = img.data;
  const dst = out.data;
  const pixels = img.height * img.width;
  const inC = img.channels;

  if (to === 'GRAY') {
    const [r, g, b] = RGB_OFFSETS[img.channelOrder as keyof typeof RGB_OFFSETS];
    for (let p = 0, i = 0; p < pixels; p++, i += inC) {
      dst[p] = (src[i + r]! * R_WEIGHT + src[i + g]! * G_WEIGHT + src[i + b]! * B_WEIGHT + HALF) >> SHIFT;
    }
    return out;
  }

  const [tr, tg, tb] = RGB_OFFSETS[to];
  const alphaOut = hasAlpha(to);
  if (img.channelOrder === 'GRAY') {
    for (let p = 0, o = 0; p < pixels; p++, o += toChannels) {
      const v = src[p]!;
      dst[o] = v;
      dst[o + 1] = v;
      dst[o + 2] = v;
      if (alphaOut) dst[o + 3] = 255;
    }
    return out;
  }

  const [r, g, b] = RGB_OFFSETS[img.channelOrder];
  const alphaIn = hasAlpha(img.channelOrder);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += inC, o += toChannels) {
    dst[o + tr] = src[i + r]!;
    dst[o + tg] = src[i + g]!;
    dst[o + tb] = src[i + b]!;
    if (alphaOut) dst[o + 3] = alphaIn ? src[i + 3]! : 255;
  }
  return out;
}

/** The image with RGB channel order (3 channels; alpha dropped, grey replicated). */
export function toRGB(img: Image): Image {
  return convertChannels(img, 'RGB');
}

/** The image with RGBA channel order (4 channels; alpha 255 when the input has none). */
export function toRGBA(img: Image): Image {
  return convertChannels(img, 'RGBA');
}

/** The image with BGR channel order, as Spark stores 3-channel images. */
export function toBGR(img: Image): Image {
  return convertChannels(img, 'BGR');
}

/** The image with BGRA channel order, as Spark stores 4-channel images. */
export function toBGRA(img: Image): Image {
  return convertChannels(img, 'BGRA');
}

/** One grey channel: BT.601 luma in OpenCV's fixed point (see the module doc). */
export function toGray(img: Image): Image {
  return convertChannels(img, 'GRAY');
}
