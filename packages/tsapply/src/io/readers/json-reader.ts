/**
 * JSON Lines (`jsonl`: one object per line, streamed) and JSON (`json`: one array of
 * objects, or one object, parsed whole) readers. Without `options.schema` (Spark DDL)
 * the whole input is scanned once to infer types (json-type-inference.ts), as Spark's
 * JSON reader does; with it, inference is skipped.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { didYouMean, parseDDL, rowsToRecordBatch, toDDL } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputFile } from '../input-files.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { splitRecords, SPLIT_BATCHES, textSplits, type RecordStart, type TextFileSpan, type TextSplit } from '../input-split.js';
import { jsonlRecordStarts, textFileSpans } from './record-starts.js';
import { coerceJsonValue, mergeTypes, sortedFields, typeOfValue, type JsonType } from './json-type-inference.js';

type JsonFormat = 'jsonl' | 'json';

interface ParsedRow {
  row: Record<string, unknown>;
  file: string;
  line: number;
}

/** One line of a file and its line number. */
interface Line {
  text: string;
  line: number;
}

/**
 * The lines of `path` from byte `from` (the start of a line; `linesBefore` lines come
 * before it), split on LF with a CR before it dropped — what `readline` gives — as
 * arrays of the lines each read of the file finishes.
 */
async function* linesOf(path: string, from = 0, linesBefore = 0): AsyncGenerator<Line[]> {
  const stream = createReadStream(path, { start: from });
  let rest: Buffer | undefined; // bytes of an unfinished line
  let line = linesBefore;
  const textOf = (bytes: Buffer) => bytes.toString('utf8', 0, bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
      const lines: Line[] = [];
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        lines.push({ text: textOf(data.subarray(start, nl)), line: ++line });
        start = nl + 1;
      }
      rest = data.subarray(start);
      if (lines.length > 0) yield lines;
    }
    if (rest !== undefined && rest.length > 0) yield [{ text: textOf(rest), line: line + 1 }];
  } finally {
    stream.destroy();
  }
}

/** A JSON Lines record: the object on one line. */
function parseJsonLine(path: string, text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`Cannot read jsonl input "${path}": line ${line} is not valid JSON (${(e as Error).message}).`, { path, format: 'jsonl' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`Cannot read jsonl input "${path}": line ${line} is not a JSON object; each line must hold one object.`, { path, format: 'jsonl' });
  }
  return value as Record<string, unknown>;
}

/** The records of a JSON Lines file from `from` on (blank lines are not records), in arrays. */
async function* jsonlRecords(path: string, from: RecordStart = { byte: 0, line: 0 }): AsyncGenerator<ParsedRow[]> {
  for await (const lines of linesOf(path, from.byte, from.line)) {
    const records: ParsedRow[] = [];
    for (const { text, line } of lines) if (text.trim() !== '') records.push({ row: parseJsonLine(path, text, line), file: path, line });
    if (records.length > 0) yield records;
  }
}

async function* jsonlRows(file: InputFile): AsyncGenerator<ParsedRow[]> {
  yield* jsonlRecords(file.path);
}

async function* jsonRows(file: InputFile): AsyncGenerator<ParsedRow[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file.path, 'utf8'));
  } catch (e) {
    throw new InputError(`Cannot read json input "${file.path}": not valid JSON (${(e as Error).message}).`, { path: file.path, format: 'json' });
  }
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError(`Cannot read json input "${file.path}": element ${i} is not an object; the file must hold an array of objects.`, {
        path: file.path,
        format: 'json',
      });
    }
  });
  yield items.map((item: Record<string, unknown>, i) => ({ row: item, file: file.path, line: i }));
}

export async function readJson(
  format: JsonFormat,
  files: InputFile[],
  options: Record<string, unknown> | undefined,
  reader: ReaderOptions,
): Promise<InputSource> {
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'schema') throw new InputError(`Unknown ${format} input option "${key}".${didYouMean(key, ['schema'])} Valid options: schema.`, { format });
  }
  const rowsOf = format === 'jsonl' ? jsonlRows : jsonRows;
  const declared = options?.schema;
  let schema: arrow.Schema;
  let totalRows: number | undefined;
  let spans: TextFileSpan[] | undefined;
  if (typeof declared === 'string') {
    schema = parseDDL(declared);
    if (format === 'jsonl') {
      // No inference pass to count the records: a scan of the bytes finds where they start.
      spans = await textFileSpans(files, jsonlRecordStarts);
      totalRows = spans?.reduce((n, span) => n + span.rows, 0);
    }
  } else {
    let type: JsonType = { kind: 'struct', fields: new Map() };
    const fileRows: number[] = [];
    for (const file of files) {
      let rows = 0;
      for await (const records of rowsOf(file)) {
        for (const record of records) type = mergeTypes(type, typeOfValue(record.row));
        rows += records.length;
      }
      fileRows.push(rows);
    }
    // For JSON Lines, where records start, so worker threads can read the files in pieces (`splits`).
    if (format === 'jsonl') spans = await textFileSpans(files, jsonlRecordStarts, fileRows);
    totalRows = fileRows.reduce((sum, rows) => sum + rows, 0);
    schema = new arrow.Schema(sortedFields((type as Extract<JsonType, { kind: 'struct' }>).fields));
    if (schema.fields.length === 0) {
      throw new InputError(`Cannot read ${format} input "${files[0]!.path}": it holds no rows with fields, so no schema can be inferred.`, {
        path: files[0]!.path,
        format,
      });
    }
  }
  async function* rows(): AsyncGenerator<ParsedRow[]> {
    for (const file of files) yield* rowsOf(file);
  }
  const ddl = toDDL(schema);
  return {
    schema,
    batches: jsonBatches(rows(), schema, reader.batchSize),
    totalRows,
    // Worker threads read JSON Lines files themselves where their records were counted.
    ...(spans !== undefined
      ? {
          splits: (start: number, end: number, maxRows = Infinity) =>
            textSplits(spans, start, end, Math.min(maxRows, SPLIT_BATCHES * reader.batchSize), { kind: 'jsonl', schema: ddl }),
        }
      : {}),
    description: `${format} ${files[0]!.path}`,
  };
}

/** Parsed rows shaped to `schema`, as record batches of `batchSize` rows. */
async function* jsonBatches(input: AsyncIterable<ParsedRow[]>, schema: arrow.Schema, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const fields = schema.fields;
  let buf: Record<string, unknown>[] = [];
  for await (const records of input) for (const { row } of records) {
    const shaped: Record<string, unknown> = {};
    for (const f of fields) shaped[f.name] = coerceJsonValue(row[f.name], f.type);
    buf.push(shaped);
    if (buf.length >= batchSize) {
      yield rowsToRecordBatch(buf, schema);
      buf = [];
    }
  }
  if (buf.length > 0) yield rowsToRecordBatch(buf, schema);
}

/** The rows of a JSON Lines split (`read-split.ts`), in batches of `batchSize`. */
export async function* readJsonlSplit(split: TextSplit, batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const found = jsonlRecords(split.path, { byte: split.byte, line: split.line });
  yield* jsonBatches(splitRecords(found, split), parseDDL(split.schema), batchSize);
}
