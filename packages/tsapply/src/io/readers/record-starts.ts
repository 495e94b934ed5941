/**
 * Where the records of a CSV or JSON Lines file start, found by scanning its bytes
 * without parsing a field: what lets the worker threads read a file with a declared
 * schema in pieces (`splits`). Without a declared schema the inference pass parses
 * every record anyway and notes the same checkpoints as it goes; with one, that pass was
 * skipped and the driver read every row itself, so a CSV job ran at the speed of the
 * driver's one thread however many workers it had.
 *
 * The scan must cut the file exactly where the parser (csv-parse, `json-reader.ts`'s
 * lines) does, or a worker starting at a checkpoint would read other rows:
 * - CSV: a line break inside double quotes is data (`""` is a quote inside quotes, which
 *   the toggle handles by flipping twice); the record delimiter is the first line break
 *   outside quotes, `\n` or `\r\n`, as csv-parse discovers it (a file whose records end
 *   in a lone `\r` is not scanned: it has no splits and the driver reads it); a line with
 *   nothing on it is not a record (`skip_empty_lines`); a byte-order mark is not data;
 *   with a header, each file's first record is not a row.
 * - JSON Lines: every line whose text is not blank (`trim()`) is a record.
 * A record's checkpoint is the byte just past the previous record's line break, and the
 * lines before it, as the inference pass notes it.
 */
import { open } from 'node:fs/promises';
import { fileVersion, type InputFile } from '../input-files.js';
import { countRecord, type RecordStart, type TextFileSpan } from '../input-split.js';

const CHUNK = 1 << 20;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** The bytes of the file at `path`, chunk by chunk (one buffer, reused: use each chunk before the next). */
async function* chunksOf(path: string, from = 0): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let at = from; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, at);
      if (bytesRead === 0) return;
      at += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** A record found by a scan: its checkpoint (past the previous record's line break), and the line its text starts on (1-based). */
export interface ScannedRecord extends RecordStart {
  firstLine: number;
}

/**
 * Calls `onRecord` for each record of the CSV file at `path` from `from` (a checkpoint,
 * or the file's start) on, in order, until it returns false. Says `lone-cr` when the
 * records end in a lone `\r`, which the scan does not follow.
 */
async function scanCsv(path: string, from: RecordStart, onRecord: (record: ScannedRecord) => boolean | void): Promise<'done' | 'lone-cr'> {
  let crlf: boolean | undefined; // the record delimiter, once discovered
  let discovering = false; // a CR outside quotes before any delimiter: the next byte says whether it starts a CRLF
  let quoted = false;
  let previous = -1; // the byte before this one
  let lines = from.line;
  let start = from.byte; // the current record's checkpoint
  let startLine = from.line;
  let content = from.byte; // where the current line's content starts (past any line break, record or empty)
  let contentLine = from.line;
  let stopped = false;
  /** A line break from `breakStart`, the next line from `next`: the end of a record, or of an empty line. */
  const lineBreak = (breakStart: number, next: number) => {
    if (breakStart !== content) {
      stopped = onRecord({ byte: start, line: startLine, firstLine: contentLine + 1 }) === false;
      start = next;
      startLine = lines;
    }
    content = next;
    contentLine = lines;
  };
  let at = from.byte; // file offset of the chunk
  for await (const chunk of chunksOf(path, from.byte)) {
    let i = 0;
    if (at === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) content = i = 3; // byte-order mark
    for (; i < chunk.length && !stopped; i++) {
      const b = chunk[i]!;
      if (discovering) {
        if (b !== LF) return 'lone-cr';
        crlf = true;
        discovering = false;
      }
      if (b === QUOTE) quoted = !quoted;
      else if (b === LF) {
        lines++;
        if (!quoted) {
          crlf ??= false;
          if (!crlf) lineBreak(at + i, at + i + 1);
          else if (previous === CR) lineBreak(at + i - 1, at + i + 1);
        }
      } else if (b === CR && crlf === undefined && !quoted) discovering = true;
      previous = b;
    }
    if (stopped) return 'done';
    at += chunk.length;
  }
  if (discovering) return 'lone-cr';
  // A last record without a line break after it.
  if (content < at) lineBreak(at, at);
  return 'done';
}

/**
 * The record starts of a CSV file whose first row is input row `firstRow`, or
 * undefined when its records end in a lone `\r` (the driver then reads the input).
 */
export async function csvRecordStarts(file: InputFile, firstRow: number, header: boolean): Promise<TextFileSpan | undefined> {
  const span: TextFileSpan = { path: file.path, version: fileVersion(file), firstRow, rows: 0, points: [] };
  let headerPending = header;
  const ended = await scanCsv(file.path, { byte: 0, line: 0 }, ({ byte, line }) => {
    if (headerPending) headerPending = false;
    else countRecord(span, byte, line);
  });
  return ended === 'lone-cr' ? undefined : span;
}

/**
 * The line (1-based) where record `index` (0 is the first) from `from` on starts: for
 * messages about a bad value, so that reading the records need not track lines.
 * Undefined when the scan cannot follow the file.
 */
export async function csvRecordLine(path: string, from: RecordStart, index: number): Promise<number | undefined> {
  let k = 0;
  let line: number | undefined;
  await scanCsv(path, from, ({ firstLine }) => {
    if (k++ < index) return true;
    line = firstLine;
    return false;
  });
  return line;
}

/** True when `bytes` (one line, without its LF) hold only white space, as `String.prototype.trim` sees it. */
function isBlank(bytes: Buffer): boolean {
  let ascii = true;
  for (const b of bytes) {
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) continue;
    if (b < 0x80) return false;
    ascii = false;
  }
  return ascii || bytes.toString('utf8').trim() === '';
}

/** The record starts of a JSON Lines file whose first row is input row `firstRow`. */
export async function jsonlRecordStarts(file: InputFile, firstRow: number): Promise<TextFileSpan> {
  const span: TextFileSpan = { path: file.path, version: fileVersion(file), firstRow, rows: 0, points: [] };
  let lines = 0;
  let at = 0; // file offset of the chunk
  let rest: Buffer | undefined; // the start of a line the chunk cut
  for await (const chunk of chunksOf(file.path)) {
    const data = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    let lineStart = 0;
    for (let nl = data.indexOf(LF); nl >= 0; nl = data.indexOf(LF, lineStart)) {
      if (!isBlank(data.subarray(lineStart, nl))) countRecord(span, at + lineStart, lines);
      lines++;
      lineStart = nl + 1;
    }
    // The unfinished line is copied: the chunk's buffer is reused by the next read.
    rest = Buffer.from(data.subarray(lineStart));
    at += lineStart;
  }
  if (rest !== undefined && rest.length > 0 && !isBlank(rest)) countRecord(span, at, lines);
  return span;
}

/**
 * Every file's record starts by `scan`, each file's first row following the rows of those
 * before it. Undefined when a file cannot be scanned or, given `parsed` (each file's row
 * count by its parser), when the scan counts one differently: the input then has no
 * pieces and the driver reads it, so no row is lost to a scan that misread a file.
 */
export async function textFileSpans(
  files: readonly InputFile[],
  scan: (file: InputFile, firstRow: number) => Promise<TextFileSpan | undefined>,
  parsed?: readonly number[],
): Promise<TextFileSpan[] | undefined> {
  const spans: TextFileSpan[] = [];
  let rows = 0;
  for (const [i, file] of files.entries()) {
    const span = await scan(file, rows);
    if (span === undefined || (parsed !== undefined && span.rows !== parsed[i])) return undefined;
    spans.push(span);
    rows += span.rows;
  }
  return spans;
}
