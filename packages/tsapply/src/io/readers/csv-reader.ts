/**
 * Streaming CSV reader (csv-parse). Without a declared input schema it makes one
 * inference pass over the whole input first, as Spark's `inferSchema=true` does
 * (see csv-type-inference.ts), then a second pass that builds record batches.
 * `options.schema` (Spark DDL) skips inference; `options.inferSchema: false` reads
 * every column as string. Column names follow Spark's rules (csv-header.ts): headerless
 * files get `_c0`, `_c1`, …; empty and repeated header names are renamed as Spark
 * renames them.
 */
import { createReadStream } from 'node:fs';
import * as arrow from 'apache-arrow';
import { parse } from 'csv-parse';
import { columnsToRecordBatch, didYouMean, parseDDL, isTsapplyError, toDDL } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputFile } from '../input-files.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { splitRecords, SPLIT_BATCHES, textSplits, type RecordStart, type TextFileSpan, type TextSplit } from '../input-split.js';
import { checkUniqueColumns, csvColumnNames } from './csv-header.js';
import { finalType, inferField, type CsvType } from './csv-type-inference.js';
import { bufferedBatches } from './buffered-batches.js';
import { csvRecordLine, csvRecordStarts, textFileSpans } from './record-starts.js';
import { isBadValue, textConverter, type TextConverter } from './text-values.js';

export interface CsvReadOptions {
  /** First line holds column names. @default true */
  header?: boolean;
  /** Field delimiter, one character. @default ',' */
  delimiter?: string;
  /** Infer column types (Spark's rules) when no `schema` is given. @default true */
  inferSchema?: boolean;
  /** Declared input schema as Spark DDL; skips inference. */
  schema?: string;
}

const KNOWN_OPTIONS = new Set(['header', 'delimiter', 'inferSchema', 'schema']);

interface Record_ {
  fields: string[];
  /** The file, for messages. */
  path: string;
  /** Where its reading started, and how many records came before it from there (a header counts). */
  from: RecordStart;
  index: number;
}

/**
 * The records of the file at `path`, from `from` (where a record starts; the file's
 * start by default) on, as arrays of those parsed at a time. Where each one is in the
 * file is not tracked (csv-parse's `info` made reading twice as slow): a message that
 * needs its line asks `lineOf`.
 */
async function* records(path: string, opts: Required<Pick<CsvReadOptions, 'delimiter'>>, from: RecordStart = { byte: 0, line: 0 }): AsyncGenerator<Record_[]> {
  const source = createReadStream(path, { start: from.byte });
  const parser = source.pipe(parse({ delimiter: opts.delimiter, bom: true, skip_empty_lines: true, relax_column_count: true }));
  let index = 0;
  try {
    for await (const parsed of bufferedBatches<string[]>(parser)) yield parsed.map((fields) => ({ fields, path, from, index: index++ }));
  } catch (e) {
    if (isTsapplyError(e)) throw e;
    // csv-parse counts lines from where this reading started (a worker's checkpoint):
    // name the line of the file where the record it refused starts. Its error says how
    // many records it had parsed (more than were read from it, a chunk at a time).
    let message = (e as Error).message;
    const parsed = (e as { records?: unknown }).records;
    const line = / at line \d+/.test(message) && typeof parsed === 'number' ? await csvRecordLine(path, from, parsed) : undefined;
    if (line !== undefined) message = message.replace(/ at line \d+/, ` at line ${line}`);
    throw new InputError(`Cannot read csv input "${path}": ${message}`, { path, format: 'csv' }, { cause: e });
  } finally {
    // A split stops reading mid-file: close the file too, not just the parser.
    source.destroy();
    parser.destroy();
  }
}

/** "line N" of a record for a message, or "record N" (from 1) where the scan cannot follow the file. */
async function lineOf(record: Record_): Promise<string> {
  const line = await csvRecordLine(record.path, record.from, record.index);
  return line !== undefined ? `line ${line}` : `record ${record.index + 1}`;
}

function csvTypeToArrow(t: CsvType): arrow.DataType {
  switch (t.kind) {
    case 'int':
      return new arrow.Int32();
    case 'bigint':
      return new arrow.Int64();
    case 'decimal':
      return new arrow.Decimal(0, t.precision, 128);
    case 'double':
      return new arrow.Float64();
    case 'date':
      return new arrow.DateDay();
    case 'timestamp':
      return new arrow.TimestampMicrosecond('UTC');
    case 'boolean':
      return new arrow.Bool();
    default:
      return new arrow.Utf8();
  }
}

/** Opens a CSV input (one file or a directory of part files). */
export async function readCsv(files: InputFile[], options: Record<string, unknown> | undefined, reader: ReaderOptions): Promise<InputSource> {
  for (const key of Object.keys(options ?? {})) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new InputError(`Unknown csv input option "${key}".${didYouMean(key, KNOWN_OPTIONS)} Valid options: ${[...KNOWN_OPTIONS].join(', ')}.`, { format: 'csv' });
    }
  }
  const o = (options ?? {}) as CsvReadOptions;
  const header = o.header ?? true;
  const delimiter = o.delimiter ?? ',';
  const first = files[0]!;

  let schema: arrow.Schema;
  let totalRows: number | undefined;
  let spans: TextFileSpan[] | undefined;
  const scan = (file: InputFile, firstRow: number) => csvRecordStarts(file, firstRow, header);
  if (o.schema !== undefined) {
    schema = parseDDL(o.schema);
    checkUniqueColumns(schema.fields.map((f) => f.name), first.path, 'schema');
    // No inference pass to count the records: a scan of the bytes finds where they start.
    spans = await textFileSpans(files, scan);
    totalRows = spans?.reduce((n, span) => n + span.rows, 0);
  } else {
    // Pass 1: column names (and types, unless inferSchema is false) over every file.
    let names: string[] | undefined;
    let types: CsvType[] = [];
    const fileRows: number[] = [];
    for (const file of files) {
      let isFirst = true;
      let rows = 0;
      for await (const parsed of records(file.path, { delimiter })) {
        for (const { fields } of parsed) {
          if (isFirst) {
            isFirst = false;
            if (!names) {
              names = csvColumnNames(fields, header);
              checkUniqueColumns(names, file.path, 'header');
              types = names.map(() => ({ kind: 'null' }) as CsvType);
            }
            if (header) continue;
          }
          rows++;
          if (o.inferSchema === false) continue;
          for (let i = 0; i < types.length; i++) types[i] = inferField(types[i]!, fields[i]);
        }
      }
      fileRows.push(rows);
    }
    // Where records start, so worker threads can read the files in pieces (`splits`).
    spans = await textFileSpans(files, scan, fileRows);
    if (!names) {
      throw new InputError(`Cannot read csv input "${first.path}": the file is empty (no header line).`, { path: first.path, format: 'csv' });
    }
    schema = new arrow.Schema(names.map((n, i) => new arrow.Field(n, csvTypeToArrow(finalType(types[i]!)), true)));
    totalRows = fileRows.reduce((n, rows) => n + rows, 0);
  }

  const converters = csvConverters(schema, first.path);

  async function* dataRecords(): AsyncGenerator<Record_[]> {
    for (const file of files) {
      let isFirst = header;
      for await (const parsed of records(file.path, { delimiter })) {
        yield isFirst ? parsed.slice(1) : parsed;
        isFirst = false;
      }
    }
  }

  const ddl = toDDL(schema);
  return {
    schema,
    batches: csvBatches(dataRecords(), schema, converters, reader.batchSize),
    totalRows,
    // Worker threads read the files themselves where their records were counted.
    ...(spans !== undefined
      ? {
          splits: (start: number, end: number, maxRows = Infinity) =>
            textSplits(spans, start, end, Math.min(maxRows, SPLIT_BATCHES * reader.batchSize), { kind: 'csv', schema: ddl, delimiter }),
        }
      : {}),
    description: `csv ${first.path}`,
  };
}

/** One converter per column of `schema`; refuses a type CSV cannot hold. */
function csvConverters(schema: arrow.Schema, path: string): TextConverter[] {
  return schema.fields.map((f) => {
    const c = textConverter(f.type);
    if (!c) {
      throw new InputError(
        `Cannot read csv input "${path}": column "${f.name}" is declared as ${String(f.type)}, which CSV cannot hold. ` +
          `Use boolean, int, bigint, float, double, string, date, timestamp or decimal.`,
        { path, format: 'csv' },
      );
    }
    return c;
  });
}

/** Data records (no header) as record batches of `schema`, `batchSize` rows at a time. */
async function* csvBatches(
  input: AsyncIterable<Record_[]>,
  schema: arrow.Schema,
  converters: TextConverter[],
  batchSize: number,
): AsyncGenerator<arrow.RecordBatch> {
  const names = schema.fields.map((f) => f.name);
  let columns: unknown[][] = names.map(() => []);
  let n = 0;
  const flush = () => {
    const cols: Record<string, unknown[]> = {};
    names.forEach((name, i) => (cols[name] = columns[i]!));
    const batch = columnsToRecordBatch(cols, schema);
    columns = names.map(() => []);
    n = 0;
    return batch;
  };
  for await (const parsed of input) for (const record of parsed) {
    const { fields, path } = record;
    for (let i = 0; i < names.length; i++) {
      const text = fields[i];
      if (text === undefined || text === '') {
        columns[i]!.push(null);
        continue;
      }
      try {
        columns[i]!.push(converters[i]!(text));
      } catch (e) {
        if (!isBadValue(e)) throw e;
        throw new InputError(
          `Cannot read csv input "${path}": ${await lineOf(record)}, column "${names[i]}": ${e.message}. ` +
            `Fix the data or declare the column as string in input.options.schema.`,
          { path, format: 'csv' },
        );
      }
    }
    if (++n >= batchSize) yield flush();
  }
  if (n > 0) yield flush();
}

/** The rows of a CSV split (`read-split.ts`), in batches of `batchSize`. */
export async function* readCsvSplit(split: TextSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const schema = parseDDL(split.schema);
  const found = records(split.path, { delimiter: split.delimiter ?? ',' }, { byte: split.byte, line: split.line });
  yield* csvBatches(splitRecords(found, split), schema, csvConverters(schema, split.path), batchSize);
}
