/**
 * `ml.ImageTransformer`: MMLSpark's image pipeline stage in TypeScript — resize, crop,
 * centre crop, colour conversion, flip and normalisation to a float array — over a column
 * of Spark's ImageSchema structs (`spark.read.image(…)`), run on the executors as a
 * TypeScript stage (`TsTransformer`). Steps are added in order with chainable methods, as
 * in MMLSpark:
 *
 * ```ts
 * const prep = new ml.ImageTransformer({ inputCol: 'image', outputCol: 'pixels' })
 *   .resize(64, 64).centerCrop(56, 56).colorFormat('RGB').normalize({ scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
 * ```
 *
 * The output column holds ImageSchema structs (BGR, as Spark stores images), or, when the
 * last step is `normalize`, `array<float>` tensors in channel-first order. A null or
 * undecodable image gives null.
 */
import { image, InvalidOptionError, readOptions } from '@tsapply/common';
import { SparkUsageError, type DataFrame } from '@tsapply/spark-connect';
import { checkSaveOptions, Transformer, writeMetadata, type SaveOptions } from '@tsapply/spark-connect/ml';
import { SHIP_KEYS } from '../spark/apply-options.js';
import { transformImages, type ImageStageContext, type ImageStep } from './image-ops.js';
import { TsTransformer, type TsTransformerOptions } from './ts-transformer.js';

/** Options of `new ml.ImageTransformer(options)`: the columns, and how the stage ships (as for mapInArrow). */
export interface ImageTransformerOptions extends Omit<TsTransformerOptions, 'outputCols' | 'context' | 'init'> {
  /** The column of ImageSchema structs. @default 'image' */
  inputCol?: string;
  /** The column the stage adds (replacing one of the same name). @default 'transformed' */
  outputCol?: string;
}

const KEYS = ['inputCol', 'outputCol', 'serializer', ...SHIP_KEYS] as const;

function positiveInteger(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new InvalidOptionError(`${where}: ${name} must be a positive integer, got ${String(v)}.`, { option: name });
  return v;
}

function perChannel(where: string, name: string, v: unknown, fallback: number): number[] {
  const values = v === undefined ? [fallback] : typeof v === 'number' ? [v] : v;
  if (!Array.isArray(values) || values.length === 0 || values.length > 4 || values.some((x) => typeof x !== 'number' || !Number.isFinite(x) || (name === 'std' && x === 0))) {
    throw new InvalidOptionError(`${where}: ${name} must be a finite number or one per channel${name === 'std' ? ', none 0' : ''}, got ${JSON.stringify(v)}.`, { option: name });
  }
  return values as number[];
}

/** The class a saved ImageTransformer's metadata names. */
export const IMAGE_TRANSFORMER_CLASS = 'tsapply.ml.ImageTransformer';

export class ImageTransformer extends Transformer {
  readonly inputCol: string;
  readonly outputCol: string;
  private readonly steps: ImageStep[] = [];
  private readonly shipOptions: Record<string, unknown>;
  private stage: TsTransformer<ImageStageContext> | undefined;

  /** @param uid given when loading a saved stage. */
  constructor(options: ImageTransformerOptions = {}, uid?: string) {
    super('ImageTransformer', undefined, {}, uid);
    const o = readOptions('new ml.ImageTransformer()', options, KEYS);
    this.inputCol = o.string('inputCol', 'a column name') ?? 'image';
    this.outputCol = o.string('outputCol', 'a column name') ?? 'transformed';
    const given = options as Record<string, unknown>;
    this.shipOptions = Object.fromEntries(['serializer', ...SHIP_KEYS].filter((k) => given[k] !== undefined).map((k) => [k, given[k]]));
  }

  /** The steps, in order. */
  getSteps(): readonly ImageStep[] {
    return this.steps.map((s) => ({ ...s }));
  }

  /** Scales every image to `height` × `width` pixels (`'bilinear'` as OpenCV's INTER_LINEAR, or `'nearest'`). */
  resize(height: number, width: number, method: 'bilinear' | 'nearest' = 'bilinear'): this {
    const where = 'ImageTransformer.resize()';
    if (method !== 'bilinear' && method !== 'nearest') throw new InvalidOptionError(`${where}: method must be 'bilinear' or 'nearest', got ${JSON.stringify(method)}.`, { option: 'method' });
    return this.add({ op: 'resize', height: positiveInteger(where, 'height', height), width: positiveInteger(where, 'width', width), method });
  }

  /** Keeps the `height` × `width` rectangle whose top-left pixel is (`x`, `y`). */
  crop(x: number, y: number, height: number, width: number): this {
    const where = 'ImageTransformer.crop()';
    for (const [name, v] of [['x', x], ['y', y]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidOptionError(`${where}: ${name} must be a non-negative integer, got ${String(v)}.`, { option: name });
    }
    return this.add({ op: 'crop', x, y, height: positiveInteger(where, 'height', height), width: positiveInteger(where, 'width', width) });
  }

  /** Keeps the central `height` × `width` part. */
  centerCrop(height: number, width: number): this {
    const where = 'ImageTransformer.centerCrop()';
    return this.add({ op: 'centerCrop', height: positiveInteger(where, 'height', height), width: positiveInteger(where, 'width', width) });
  }

  /** Converts the channels: `'GRAY'`, `'BGR'`, `'BGRA'`, `'RGB'` or `'RGBA'`. */
  colorFormat(format: 'GRAY' | 'BGR' | 'BGRA' | 'RGB' | 'RGBA'): this {
    if (typeof format !== 'string' || !(format in image.ORDER_CHANNELS)) {
      throw new InvalidOptionError(`ImageTransformer.colorFormat(): format must be one of ${Object.keys(image.ORDER_CHANNELS).join(', ')}, got ${JSON.stringify(format)}.`, { option: 'format' });
    }
    return this.add({ op: 'colorFormat', format });
  }

  /** Mirrors every image: `'horizontal'` (left ⇄ right), `'vertical'` (top ⇄ bottom) or `'both'`. */
  flip(direction: 'horizontal' | 'vertical' | 'both' = 'horizontal'): this {
    if (direction !== 'horizontal' && direction !== 'vertical' && direction !== 'both') {
      throw new InvalidOptionError(`ImageTransformer.flip(): direction must be 'horizontal', 'vertical' or 'both', got ${JSON.stringify(direction)}.`, { option: 'direction' });
    }
    return this.add({ op: 'flip', direction });
  }

  /**
   * The last step: every image as `array<float>`, channel-first, each value
   * `(byte * scale - mean[c]) / std[c]` (one value for all channels, or one per channel).
   */
  normalize(options: { scale?: number; mean?: number | number[]; std?: number | number[] } = {}): this {
    const where = 'ImageTransformer.normalize()';
    const o = readOptions(where, options, ['scale', 'mean', 'std']);
    const scale = o.get('scale') ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new InvalidOptionError(`${where}: scale must be a finite number, got ${String(scale)}.`, { option: 'scale' });
    return this.add({ op: 'toTensor', scale, mean: perChannel(where, 'mean', o.get('mean'), 0), std: perChannel(where, 'std', o.get('std'), 1) });
  }

  private add(step: ImageStep): this {
    if (this.stage !== undefined) {
      throw new SparkUsageError(`ImageTransformer ${this.uid} has already transformed data, so its steps are fixed. Create a new ImageTransformer for other steps.`);
    }
    if (this.steps.at(-1)?.op === 'toTensor') {
      throw new InvalidOptionError(`ImageTransformer.${step.op === 'toTensor' ? 'normalize' : step.op}(): normalize() must be the last step (it turns the image into floats).`, { option: step.op });
    }
    this.steps.push(step);
    return this;
  }

  /** The output column as Spark DDL. */
  get outputCols(): string {
    const type = this.steps.at(-1)?.op === 'toTensor' ? 'array<float>' : image.IMAGE_STRUCT_DDL;
    return `\`${this.outputCol.replace(/`/g, '``')}\` ${type}`;
  }

  /** The TypeScript stage that runs the steps, made when the stage first transforms data (its steps are then fixed). */
  private tsStage(): TsTransformer<ImageStageContext> {
    this.stage ??= new TsTransformer<ImageStageContext>(transformImages, {
      outputCols: this.outputCols,
      context: { inputCol: this.inputCol, outputCol: this.outputCol, steps: this.getSteps() as ImageStep[] },
      ...this.shipOptions,
    });
    return this.stage;
  }

  override transformAsync(dataset: DataFrame): Promise<DataFrame> {
    return Promise.resolve().then(() => this.tsStage().transformAsync(dataset));
  }

  transform(dataset: DataFrame): DataFrame {
    if (this.stage === undefined) {
      throw new SparkUsageError(
        `ImageTransformer ${this.uid}.transform(): the stage has not seen an input in this session yet. Call \`await stage.transformAsync(df)\` (or fit it in a Pipeline) once; transform(df) then works on DataFrames with the same columns.`,
      );
    }
    return this.stage.transform(dataset);
  }

  /** A TypeScript stage is saved by tsapply itself (Spark has no class for it): see `save`. */
  override get savable(): boolean {
    return true;
  }

  /**
   * Saves the stage as its steps, in Spark's layout (`path/metadata`, one JSON line, written
   * by the server), alone or inside a PipelineModel; `ml.load(spark, path)` reads it back.
   */
  override async save(path: string, options: SaveOptions = {}): Promise<void> {
    const where = 'ImageTransformer.save()';
    const { session, overwrite } = checkSaveOptions(where, path, options, undefined);
    await writeMetadata(where, session, path, { class: IMAGE_TRANSFORMER_CLASS, uid: this.uid, inputCol: this.inputCol, outputCol: this.outputCol, steps: this.getSteps() }, overwrite);
  }

  /** @internal The stage a saved metadata line describes; each step is checked again as if added by hand. */
  static fromSaved(fields: { uid: string; inputCol?: unknown; outputCol?: unknown; steps?: unknown }, where: string): ImageTransformer {
    const stage = new ImageTransformer({ inputCol: fields.inputCol as string, outputCol: fields.outputCol as string }, fields.uid);
    if (!Array.isArray(fields.steps)) throw new SparkUsageError(`${where}: the saved ImageTransformer ${fields.uid} has no list of steps; save it again.`);
    for (const step of fields.steps as ImageStep[]) {
      switch (step?.op) {
        case 'resize':
          stage.resize(step.height, step.width, step.method);
          break;
        case 'crop':
          stage.crop(step.x, step.y, step.height, step.width);
          break;
        case 'centerCrop':
          stage.centerCrop(step.height, step.width);
          break;
        case 'colorFormat':
          stage.colorFormat(step.format);
          break;
        case 'flip':
          stage.flip(step.direction);
          break;
        case 'toTensor':
          stage.normalize({ scale: step.scale, mean: step.mean, std: step.std });
          break;
        default:
          throw new SparkUsageError(`${where}: the saved ImageTransformer ${fields.uid} has an unknown step ${JSON.stringify(step)}; it was saved by another tsapply version or changed by hand.`);
      }
    }
    return stage;
  }

  override toString(): string {
    return `ImageTransformer: uid=${this.uid}, ${this.inputCol} → ${this.outputCol}, steps=${this.steps.map((s) => s.op).join(', ') || 'none'}`;
  }
}
