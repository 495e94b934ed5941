/**
 * Spark's image and binaryFile schemas and the OpenCV type codes of ImageSchema.
 *
 * Spark's image data source (`spark.read.format('image')`, Spark ≥ 2.4,
 * `org.apache.spark.ml.image.ImageSchema`) produces one column `image` of type
 * `struct<origin:string,height:int,width:int,nChannels:int,mode:int,data:binary>`:
 * - `origin`: where the image came from; for files the URL-encoded `file:` URI
 *   (`file:/data/a%20b.png`).
 * - `height`, `width`: pixels; `nChannels`: 1, 3 or 4.
 * - `mode`: the OpenCV type code, `CV_8UC1` = 0, `CV_8UC3` = 16, `CV_8UC4` = 24
 *   (8 bits per channel; OpenCV packs depth in bits 0–2 and `channels - 1` above them).
 * - `data`: `height * width * nChannels` bytes, row-major, pixel-interleaved, channels
 *   in OpenCV's order: grey, BGR, or BGRA.
 * A file Spark could not decode (with `dropInvalid` false, the default) becomes a row
 * with its `origin`, `height = width = nChannels = mode = -1` and empty `data`.
 */

/** The image struct type as Spark DDL (the type of Spark's `image` column). */
export const IMAGE_STRUCT_DDL = 'struct<origin:string,height:int,width:int,nChannels:int,mode:int,data:binary>';

/** Spark's image data source schema: a single column `image` holding `IMAGE_STRUCT_DDL`. */
export const IMAGE_SCHEMA_DDL = `image ${IMAGE_STRUCT_DDL}`;

/**
 * Spark's binaryFile data source schema: `path` (the file's `file:` URI), `modificationTime`
 * (millisecond precision), `length` (bytes), `content` (the whole file).
 */
export const BINARY_FILE_SCHEMA_DDL = 'path string, modificationTime timestamp, length bigint, content binary';

/** The OpenCV type codes Spark's ImageSchema produces (`ImageSchema.ocvTypes`). */
export const OCV_TYPES = {
  /** Spark's marker for an image that could not be decoded. */
  Undefined: -1,
  CV_8UC1: 0,
  CV_8UC3: 16,
  CV_8UC4: 24,
} as const;

/** Number of channels of each supported mode. */
export const MODE_CHANNELS: Readonly<Record<number, 1 | 3 | 4>> = { 0: 1, 16: 3, 24: 4 };

/** Supported mode for a channel count. */
export function modeForChannels(channels: 1 | 3 | 4): 0 | 16 | 24 {
  return channels === 1 ? 0 : channels === 3 ? 16 : 24;
}

const DEPTH_NAMES = ['8U', '8S', '16U', '16S', '32S', '32F', '64F', '16F'];

/**
 * OpenCV's name for a type code, e.g. `17` → `CV_8SC3` (depth = bits 0–2, channels - 1 =
 * the bits above). Used to make "unsupported mode" messages recognisable.
 */
export function openCvTypeName(mode: number): string | undefined {
  if (!Number.isInteger(mode) || mode < 0 || mode >= 8 * 512) return undefined;
  return `CV_${DEPTH_NAMES[mode & 7]}C${(mode >> 3) + 1}`;
}

/** The fields of one Spark ImageSchema struct value (one `image` cell). */
export interface ImageRow {
  origin: string | null;
  height: number;
  width: number;
  nChannels: number;
  mode: number;
  data: Uint8Array;
}

/** One row of Spark's binaryFile source. */
export interface BinaryFileRow {
  path: string;
  modificationTime: Date;
  length: bigint;
  content: Uint8Array;
}
