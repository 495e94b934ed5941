/**
 * `Image`: decoded pixels with named channel order, and the conversions between it and
 * Spark's ImageSchema struct (`imageFromRow`, `imageToRow`). Pure JS, no Arrow: this runs
 * inside `apply` in workers.
 */
import { ImageError } from './errors.js';
import { MODE_CHANNELS, modeForChannels, openCvTypeName, type ImageRow } from './image-schema.js';

/**
 * Byte order of the channels of one pixel. ImageSchema rows are always `GRAY`, `BGR` or
 * `BGRA` (OpenCV's order); `toRGB` / `toRGBA` produce the `RGB` / `RGBA` orders most
 * JS libraries and models expect.
 */
export type ChannelOrder = 'GRAY' | 'BGR' | 'BGRA' | 'RGB' | 'RGBA';

/** Channels per pixel of each order. */
export const ORDER_CHANNELS: Readonly<Record<ChannelOrder, 1 | 3 | 4>> = { GRAY: 1, BGR: 3, BGRA: 4, RGB: 3, RGBA: 4 };

/** An 8-bit image: `height * width * channels` bytes, row-major, pixel-interleaved. */
export interface Image {
  /** Where the image came from (a `file:` URI for files; `''` when the row had none). */
  readonly origin: string;
  /** Rows of pixels. */
  readonly height: number;
  /** Pixels per row. */
  readonly width: number;
  readonly channels: 1 | 3 | 4;
  /** OpenCV type code: 0 (`CV_8UC1`), 16 (`CV_8UC3`) or 24 (`CV_8UC4`). */
  readonly mode: 0 | 16 | 24;
  readonly channelOrder: ChannelOrder;
  /** Pixel bytes; byte `(y * width + x) * channels + c` is channel `c` of pixel (x, y). */
  readonly data: Uint8Array;
}

/** What `createImage` and `imageToRow` accept: an `Image`, or the parts needed to make one. */
export interface ImageInit {
  origin?: string;
  height: number;
  width: number;
  channelOrder: ChannelOrder;
  /** Pixel bytes; zero-filled when omitted. */
  data?: Uint8Array;
}

const SUPPORTED_MODES = 'Supported: 0 (CV_8UC1), 16 (CV_8UC3), 24 (CV_8UC4)';

function where(origin: string | null | undefined): string {
  return origin ? ` of "${origin}"` : '';
}

function checkSize(name: string, value: unknown, origin: string | null | undefined): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ImageError(`Image${where(origin)} has ${name} ${String(value)}; it must be a positive integer.`, {
      reason: 'dimension-mismatch',
      origin: origin ?? undefined,
    });
  }
  return value;
}

function checkData(data: unknown, height: number, width: number, channels: number, origin: string | null | undefined): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new ImageError(`Image data${where(origin)} must be a Uint8Array, got ${data === null ? 'null' : typeof data}.`, {
      reason: 'dimension-mismatch',
      origin: origin ?? undefined,
    });
  }
  const expected = height * width * channels;
  if (data.length === expected) return data;
  const sizes = `expected ${height}*${width}*${channels} = ${expected} bytes (height*width*nChannels), got ${data.length}`;
  if (data.length < expected) {
    throw new ImageError(`Image data${where(origin)} is truncated: ${sizes}. Re-read the image, or fix the code that built the row.`, {
      reason: 'truncated-data',
      origin: origin ?? undefined,
    });
  }
  throw new ImageError(`Image data${where(origin)} does not match its dimensions: ${sizes}. Check height, width and nChannels.`, {
    reason: 'dimension-mismatch',
    origin: origin ?? undefined,
  });
}

/** Checks a mode code and returns its channel count. */
function channelsOfMode(mode: unknown, origin: string | null | undefined): 1 | 3 | 4 {
  const channels = typeof mode === 'number' ? MODE_CHANNELS[mode] : undefined;
  if (channels === undefined) {
    const name = typeof mode === 'number' ? openCvTypeName(mode) : undefined;
    throw new ImageError(`Unsupported image mode ${String(mode)}${name ? ` (${name}?)` : ''}. ${SUPPORTED_MODES}.`, {
      reason: 'unsupported-mode',
      origin: origin ?? undefined,
    });
  }
  return channels;
}

/**
 * True for Spark's marker row of a file it could not decode (`dropInvalid` false): height
 * and width -1. Accepts the struct or a whole row with an `image` column; null → true.
 */
export function isInvalidImageRow(row: unknown): boolean {
  if (row === null || typeof row !== 'object') return true;
  const r = row as Record<string, unknown>;
  const img = !('data' in r) && r.image !== undefined ? (r.image as Record<string, unknown> | null) : r;
  return img === null || typeof img !== 'object' || (img.height === -1 && img.width === -1);
}

function unwrap(row: unknown): Record<string, unknown> {
  if (row === null || typeof row !== 'object') {
    throw new ImageError(`imageFromRow() expects an ImageSchema struct or a row with an "image" column, got ${row === null ? 'null' : typeof row}.`, {
      reason: 'invalid-argument',
    });
  }
  const r = row as Record<string, unknown>;
  // A whole row of Spark's image source ({ image: {…} }) is accepted as well as the struct.
  if (!('data' in r) && r.image !== null && typeof r.image === 'object') return r.image as Record<string, unknown>;
  return r;
}

/**
 * An `Image` from one ImageSchema struct value (or a row whose `image` column holds one).
 * Channel order is `GRAY`, `BGR` or `BGRA` by `nChannels`, as Spark stores them. The
 * pixels are NOT copied: `data` is the row's own byte array.
 *
 * @throws ImageError for Spark's invalid-image rows, an unsupported mode, a `nChannels`
 *   that disagrees with `mode`, or `data` whose length is not `height*width*nChannels`.
 */
export function imageFromRow(row: unknown): Image {
  const r = unwrap(row);
  const origin = typeof r.origin === 'string' ? r.origin : '';
  if (r.height === -1 && r.width === -1) {
    throw new ImageError(
      `Image${where(origin)} is Spark's marker for a file that could not be decoded (height = width = -1). ` +
        `Read with dropInvalid: true to drop such rows, or skip them with isInvalidImageRow(row).`,
      { reason: 'invalid-image', origin },
    );
  }
  const channels = channelsOfMode(r.mode, origin);
  if (r.nChannels !== channels) {
    throw new ImageError(
      `Image${where(origin)} has nChannels ${String(r.nChannels)} but mode ${String(r.mode)} (${openCvTypeName(r.mode as number)}) has ${channels} channel${channels === 1 ? '' : 's'}.`,
      { reason: 'dimension-mismatch', origin },
    );
  }
  const height = checkSize('height', r.height, origin);
  const width = checkSize('width', r.width, origin);
  const data = checkData(r.data, height, width, channels, origin);
  return {
    origin,
    height,
    width,
    channels,
    mode: modeForChannels(channels),
    channelOrder: channels === 1 ? 'GRAY' : channels === 3 ? 'BGR' : 'BGRA',
    data,
  };
}

/**
 * A validated `Image` from its parts; `data` is zero-filled when omitted, and used as is
 * (not copied) when given.
 */
export function createImage(init: ImageInit): Image {
  const origin = init.origin ?? '';
  const channels = ORDER_CHANNELS[init.channelOrder];
  if (channels === undefined) {
    throw new ImageError(
      `Unknown channelOrder ${JSON.stringify(init.channelOrder)}. Valid values: ${Object.keys(ORDER_CHANNELS).join(', ')}.`,
      { reason: 'invalid-argument', origin },
    );
  }
  const height = checkSize('height', init.height, origin);
  const width = checkSize('width', init.width, origin);
  const data = init.data === undefined ? new Uint8Array(height * width * channels) : checkData(init.data, height, width, channels, origin);
  return { origin, height, width, channels, mode: modeForChannels(channels), channelOrder: init.channelOrder, data };
}

/**
 * The ImageSchema struct for an image, ready to return from `apply` in a column of type
 * `IMAGE_STRUCT_DDL`. Spark stores colour pixels as BGR(A), so `RGB` / `RGBA` images are
 * reordered (a copy); `GRAY`, `BGR`, `BGRA` data is used as is.
 */
export function imageToRow(img: Image | ImageInit): ImageRow {
  const image = createImage(img);
  let data = image.data;
  if (image.channelOrder === 'RGB' || image.channelOrder === 'RGBA') {
    data = new Uint8Array(data);
    const c = image.channels;
    for (let i = 0; i < data.length; i += c) {
      data[i] = image.data[i + 2]!;
      data[i + 2] = image.data[i]!;
    }
  }
  return { origin: image.origin, height: image.height, width: image.width, nChannels: image.channels, mode: image.mode, data };
}
