/**
 * Image helpers for code inside `apply`: Spark ImageSchema rows ⇄ typed-array pixels,
 * channel conversions, resize, crop, flip and float tensors. Pure JS (no Arrow, no native code), so they run
 * in every worker; user code reaches them as the `image` namespace of `tsapply`.
 *
 * @example
 * ```ts
 * import { defineJob, image } from 'tsapply';
 *
 * export default defineJob({
 *   input: { format: 'image', path: 'data/shapes/train', options: { recursiveFileLookup: true, dropInvalid: true } },
 *   schema: 'origin string, meanRed double',
 *   apply(batch) {
 *     return batch.toArray().map((row) => {
 *       const img = image.toRGB(image.resize(image.imageFromRow(row), { width: 32, height: 32 }));
 *       let sum = 0;
 *       for (let i = 0; i < img.data.length; i += 3) sum += img.data[i]!;
 *       return { origin: img.origin, meanRed: sum / (img.width * img.height) };
 *     });
 *   },
 * });
 * ```
 */
export {
  IMAGE_STRUCT_DDL,
  IMAGE_SCHEMA_DDL,
  BINARY_FILE_SCHEMA_DDL,
  OCV_TYPES,
  MODE_CHANNELS,
  modeForChannels,
  openCvTypeName,
} from './image-schema.js';
export type { ImageRow, BinaryFileRow } from './image-schema.js';
export { ImageError } from './errors.js';
export type { ImageErrorReason } from './errors.js';
export { imageFromRow, imageToRow, createImage, isInvalidImageRow, ORDER_CHANNELS } from './image.js';
export type { Image, ImageInit, ChannelOrder } from './image.js';
export { convertChannels, toRGB, toRGBA, toBGR, toBGRA, toGray } from './convert.js';
export { resize, crop, centerCrop, flip } from './geometry.js';
export type { ResizeMethod, Size, Rect, FlipDirection } from './geometry.js';
export { toTensor } from './tensor.js';
export type { TensorOptions } from './tensor.js';
