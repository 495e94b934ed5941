/**
 * The one error class of the image helpers. It runs inside workers (user bundles carry
 * their own copy), so callers check it with `ImageError.is(e)` (or
 * `isTsapplyError(e) && e.code === 'IMAGE'`), never `instanceof`.
 */
import { TsapplyError, registerErrorClass, type TsapplyErrorOptions } from '../errors.js';

/** What was wrong, machine-readable. */
export type ImageErrorReason =
  /** `mode` is not one of the 8-bit OpenCV types Spark produces (0, 16, 24). */
  | 'unsupported-mode'
  /** `data` holds fewer bytes than `height * width * nChannels`. */
  | 'truncated-data'
  /** `data` is longer than the dimensions say, or `nChannels` / `channelOrder` disagree with `mode`. */
  | 'dimension-mismatch'
  /** The row is Spark's marker for a file that could not be decoded (height = width = -1). */
  | 'invalid-image'
  /** An argument of a helper is out of range (crop outside the image, size not a positive integer…). */
  | 'invalid-argument';

export class ImageError extends TsapplyError {
  static override readonly className = 'ImageError';
  static override readonly code = 'IMAGE';
  readonly reason: ImageErrorReason;
  /** `origin` of the image concerned, when known (a `file:` URI for images read from files). */
  readonly origin: string | undefined;

  constructor(message: string, fields: { reason: ImageErrorReason; origin?: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.reason = fields.reason;
    this.origin = fields.origin;
  }
}

// Errors cross from workers to the driver serialized; rebuild this class there.
registerErrorClass(ImageError);
