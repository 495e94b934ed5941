/**
 * Dispatches a job's `input` spec to the matching reader. File paths are resolved
 * against the job file's folder.
 */
import { resolve } from 'node:path';
import { didYouMean, type InputSpec } from '@tsapply/common';
import { InputError } from '../errors.js';
import { listInputFiles } from './input-files.js';
import type { InputSource, ReaderOptions } from './input-source.js';
import { readArrow } from './readers/arrow-reader.js';
import { readCsv } from './readers/csv-reader.js';
import { readJson } from './readers/json-reader.js';
import { readParquet } from './readers/parquet-reader.js';
import { readRange } from './readers/range-reader.js';
import { readRows } from './readers/rows-reader.js';
import { readTable } from './readers/table-reader.js';
import { readImage } from './readers/image-reader.js';
import { readBinaryFile } from './readers/binary-file-reader.js';

export const INPUT_FORMATS = ['csv', 'jsonl', 'json', 'parquet', 'arrow', 'image', 'binaryFile'] as const;

export interface OpenInputOptions extends ReaderOptions {
  /** Folder relative input paths are resolved against (the job file's folder). */
  readonly baseDir: string;
}

/** An input format neither engine reads, with the one likely meant; `more` adds an engine's own way out. */
export function unknownFormatError(format: unknown, more = ''): InputError {
  const given = String(format);
  return new InputError(`Unknown input format "${given}".${didYouMean(given, INPUT_FORMATS)} Valid formats: ${INPUT_FORMATS.join(', ')}${more || '.'}`, { format: given });
}

export async function openInput(spec: InputSpec, options: OpenInputOptions): Promise<InputSource> {
  if (typeof spec === 'function') {
    throw new InputError(
      'This job builds its input with a function, which only the Spark engine can run. Use a file, { range: n }, { rows: [...] } or { table } for the embedded engine.',
      { format: 'function' },
    );
  }
  if (spec === null || typeof spec !== 'object') {
    throw new InputError(`input must be an object such as { format: 'csv', path: '…' }, got ${String(spec)}.`, { format: 'unknown' });
  }
  if ('range' in spec) return readRange(spec.range, spec.numPartitions, options);
  if ('rows' in spec) return readRows(spec.rows, options);
  if ('table' in spec) return readTable(spec.table, options);
  const { format, path } = spec as { format: string; path: string; options?: Record<string, unknown> };
  if (!(INPUT_FORMATS as readonly string[]).includes(format)) {
    throw unknownFormatError(format);
  }
  if (typeof path !== 'string' || path === '') {
    throw new InputError(`input.path must be a non-empty string for format "${format}".`, { format });
  }
  const abs = resolve(options.baseDir, path);
  const opts = (spec as { options?: Record<string, unknown> }).options;
  // Image and binary-file inputs list files by Spark's own rules (globs, recursion, hidden names).
  if (format === 'image') return readImage(abs, opts, options);
  if (format === 'binaryFile') return readBinaryFile(abs, opts, options);
  const files = await listInputFiles(abs, format);
  switch (format) {
    case 'csv':
      return readCsv(files, opts, options);
    case 'jsonl':
    case 'json':
      return readJson(format, files, opts, options);
    case 'parquet':
      return readParquet(files, opts, options);
    default:
      return readArrow(files, opts, options);
  }
}
