/**
 * JSON Lines (`jsonl`: one object per line, streamed) and JSON (`json`: one array of
 * objects, or one object, parsed whole) readers. Without `options.schema` (Spark DDL)
 * the whole input is scanned once to infer types (json-type-inference.ts), as Spark's
 * JSON reader does; with it, inference is skipped.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import * as arrow from 'apache-arrow';
import { parseDDL, rowsToRecordBatch } from '@tsapply/common';
import { InputError } from '../../errors.js';
import type { InputFile } from '../input-files.js';
import type { InputSource, ReaderOptions } from '../input-source.js';
import { coerceJsonValue, mergeTypes, sortedFields, typeOfValue, type JsonType } from './json-type-inference.js';

type JsonFormat = 'jsonl' | 'json';

interface ParsedRow {
  row: Record<string, unknown>;
  file: string;
  line: number;
}

async function* jsonlRows(file: InputFile): AsyncGenerator<ParsedRow> {
  const lines = createInterface({ input: createReadStream(file.path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new InputError(`Cannot read jsonl input "${file.path}": line ${line} is not valid JSON (${(e as Error).message}).`, {
        path: file.path,
        format: 'jsonl',
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`Cannot read jsonl input "${file.path}": line ${line} is not a JSON object; each line must hold one object.`, {
        path: file.path,
        format: 'jsonl',
      });
    }
    yield { row: value as Record<string, unknown>, file: file.path, line };
  }
}

async function* jsonRows(file: InputFile): AsyncGenerator<ParsedRow> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file.path, 'utf8'));
  } catch (e) {
    throw new InputError(`Cannot read json input "${file.path}": not valid JSON (${(e as Error).message}).`, { path: file.path, format: 'json' });
  }
  const items = Array.isArray(value) ? value : [value];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError(`Cannot read json input "${file.path}": element ${i} is not an object; the file must hold an array of objects.`, {
        path: file.path,
        format: 'json',
      });
    }
    yield { row: item as Record<string, unknown>, file: file.path, line: i };
  }
}

export async function readJson(
  format: JsonFormat,
  files: InputFile[],
  options: Record<string, unknown> | undefined,
  reader: ReaderOptions,
): Promise<InputSource> {
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'schema') throw new InputError(`Unknown ${format} input option "${key}". Valid options: schema.`, { format });
  }
  const rowsOf = format === 'jsonl' ? jsonlRows : jsonRows;
  const declared = options?.schema;
  let schema: arrow.Schema;
  let totalRows: number | undefined;
  if (typeof declared === 'string') {
    schema = parseDDL(declared);
  } else {
    let type: JsonType = { kind: 'struct', fields: new Map() };
    let n = 0;
    for (const file of files) {
      for await (const { row } of rowsOf(file)) {
        type = mergeTypes(type, typeOfValue(row));
        n++;
      }
    }
    totalRows = n;
    schema = new arrow.Schema(sortedFields((type as Extract<JsonType, { kind: 'struct' }>).fields));
    if (schema.fields.length === 0) {
      throw new InputError(`Cannot read ${format} input "${files[0]!.path}": it holds no rows with fields, so no schema can be inferred.`, {
        path: files[0]!.path,
        format,
      });
    }
  }
  const fields = schema.fields;
  async function* batches(): AsyncGenerator<arrow.RecordBatch> {
    let buf: Record<string, unknown>[] = [];
    for (const file of files) {
      for await (const { row } of rowsOf(file)) {
        const shaped: Record<string, unknown> = {};
        for (const f of fields) shaped[f.name] = coerceJsonValue(row[f.name], f.type);
        buf.push(shaped);
        if (buf.length >= reader.batchSize) {
          yield rowsToRecordBatch(buf, schema);
          buf = [];
        }
      }
    }
    if (buf.length > 0) yield rowsToRecordBatch(buf, schema);
  }
  return { schema, batches: batches(), totalRows, description: `${format} ${files[0]!.path}` };
}
