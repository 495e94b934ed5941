/**
 * The steps of an `ml.ImageTransformer`, as data (they travel in the stage's context),
 * and `transformImages`, the function the stage ships: it is EXPORTED so tsapply ships
 * this module as it is, bundled with the image helpers it imports, and runs each image
 * of a batch through the steps on the executors (or in the embedded engine's workers).
 */
import { image, type ApplyContext, type Batch } from '@tsapply/common/job-api';

export type ImageStep =
  | { op: 'resize'; height: number; width: number; method: image.ResizeMethod }
  | { op: 'crop'; x: number; y: number; height: number; width: number }
  | { op: 'centerCrop'; height: number; width: number }
  | { op: 'colorFormat'; format: image.ChannelOrder }
  | { op: 'flip'; direction: image.FlipDirection }
  | { op: 'toTensor'; scale: number; mean: number[]; std: number[] };

export interface ImageStageContext {
  inputCol: string;
  outputCol: string;
  steps: ImageStep[];
}

/** One image through the steps: an ImageSchema struct, or a float array after `toTensor`. */
export function runSteps(img: image.Image, steps: readonly ImageStep[]): image.ImageRow | Float32Array {
  let current = img;
  for (const step of steps) {
    switch (step.op) {
      case 'resize':
        current = image.resize(current, step, step.method);
        break;
      case 'crop':
        current = image.crop(current, step);
        break;
      case 'centerCrop':
        current = image.centerCrop(current, step);
        break;
      case 'colorFormat':
        current = image.convertChannels(current, step.format);
        break;
      case 'flip':
        current = image.flip(current, step.direction);
        break;
      case 'toTensor':
        return image.toTensor(current, step);
    }
  }
  return image.imageToRow(current);
}

/** The stage's function: the transformed image of every row; null for a null or undecodable image. */
export function transformImages(batch: Batch, ctx: ApplyContext<ImageStageContext>): Record<string, unknown[]> {
  const { inputCol, outputCol, steps } = ctx.context;
  const images = batch.values(inputCol);
  const out = new Array<unknown>(images.length);
  for (let i = 0; i < images.length; i++) {
    const row = images[i];
    out[i] = image.isInvalidImageRow(row) ? null : runSteps(image.imageFromRow(row), steps);
  }
  return { [outputCol]: out };
}
