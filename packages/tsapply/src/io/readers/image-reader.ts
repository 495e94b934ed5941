/**
 * `input: { format: 'image', path, options }` — Spark's image data source on the embedded
 * engine: one row per file, a single column `image` of Spark's ImageSchema struct
 * (`origin` = URL-encoded `file:///…` URI, `height`, `width`, `nChannels`, `mode`,
 * `data` = BGR(A)/grey bytes), decoded as Spark decodes (see image-decode.ts) and listed
 * as Spark lists (see spark-file-listing.ts).
 *
 * Invalid files (not an image, cut off, …): with `dropInvalid: false` (Spark's default)
 * a row `{ origin, height: -1, width: -1, nChannels: -1, mode: -1, data: <empty> }`;
 * with `dropInvalid: true` no row. Empty (0-byte) files produce no row at all, as in
 * Spark, which never opens them. An empty folder gives no rows (the schema is fixed).
 */
import { readFile } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { IMAGE_SCHEMA_DDL, parseDDL, rowsToRecordBatch } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { decodeImage, UnsupportedImageFormat } from './image-decode.js';
import { listSparkFiles, parseSourceOptions, toFileUri } from './spark-file-listing.js';

export interface ImageReadOptions {
  /** Drop files that cannot be decoded instead of keeping Spark's invalid-image row. @default false */
  dropInvalid?: boolean;
  /** Read files in nested folders too (and infer no partition columns). @default false */
  recursiveFileLookup?: boolean;
  /** Hadoop glob the file NAME must match, e.g. `*.png`. */
  pathGlobFilter?: string;
}


/** Flush a batch early once it holds this many pixel bytes, so large images stay bounded. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;

const REFUSED = {
  sampleRatio:
    "Spark's image data source (Spark 3.0+) has no sampleRatio option (it belonged to the removed ImageSchema.readImages) and silently ignores it. " +
    'Sample after reading instead, e.g. in apply(), or select files with pathGlobFilter.',
  dropImageFailures: 'this Spark 2.x option is called dropInvalid in Spark 3.0+.',
};

/**
 * `input.options` of an image input, checked as the embedded reader reads them (unknown
 * and refused keys are errors); the Spark path passes the result to Spark's reader.
 */
export function imageReadOptions(options: Record<string, unknown> | undefined): ImageReadOptions {
  return parseSourceOptions('image', options, { dropInvalid: 'boolean', recursiveFileLookup: 'boolean', pathGlobFilter: 'string' }, REFUSED) as ImageReadOptions;
}

/** Opens an image input. `absPath`: a file, a folder, or a Hadoop glob. */
export async function readImage(absPath: string, options: Record<string, unknown> | undefined, reader: ReaderOptions): Promise<InputSource> {
  const o = imageReadOptions(options);
  const dropInvalid = o.dropInvalid ?? false;
  const files = (await listSparkFiles(absPath, 'image', o)).filter((f) => f.bytes > 0);
  const schema: arrow.Schema = parseDDL(IMAGE_SCHEMA_DDL);

  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    let rows: { image: Record<string, unknown> }[] = [];
    let bytes = 0;
    for (const file of files) {
      const origin = toFileUri(file.path);
      let content: Buffer;
      try {
        content = await readFile(file.path);
      } catch (e) {
        throw new InputError(`Cannot read image input "${file.path}": ${(e as Error).message}`, { path: file.path, format: 'image' }, { cause: e });
      }
      let decoded;
      try {
        decoded = decodeImage(content);
      } catch (e) {
        if (!(e instanceof UnsupportedImageFormat)) throw e;
        throw new InputError(`Cannot read image input "${file.path}": it is a ${e.formatName} file. ${e.hint}.`, { path: file.path, format: 'image' });
      }
      if (decoded === undefined) {
        if (dropInvalid) continue;
        rows.push({ image: { origin, height: -1, width: -1, nChannels: -1, mode: -1, data: new Uint8Array(0) } });
      } else {
        rows.push({ image: { origin, ...decoded } });
        bytes += decoded.data.length;
      }
      if (rows.length >= reader.batchSize || bytes >= MAX_BATCH_BYTES) {
        yield rowsToRecordBatch(rows, schema);
        rows = [];
        bytes = 0;
      }
    }
    if (rows.length > 0) yield rowsToRecordBatch(rows, schema);
  }

  return {
    schema,
    batches: batches(),
    totalRows: dropInvalid ? undefined : files.length,
    description: `image ${absPath} (${files.length} file${files.length === 1 ? '' : 's'})`,
  };
}
