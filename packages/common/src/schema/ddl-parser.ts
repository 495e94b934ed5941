/**
 * Spark DDL schema strings → Arrow schemas.
 *
 * Accepts what Spark's `StructType.fromDDL` accepts for the types tsapply supports:
 * `a string, b bigint NOT NULL COMMENT 'x', c array<struct<x: int, y: string>>`,
 * a top-level `struct<…>` form, backticked names (`` `my col` int ``), case-insensitive
 * type names and Spark's aliases. The Arrow side follows pyspark's Arrow mapping:
 * list items are named `element`, map entries `entries { key, value }`, timestamps
 * are microseconds (UTC for `timestamp`, no zone for `timestamp_ntz`).
 */
import * as arrow from 'apache-arrow';
import { DDLParseError } from '../errors.js';

/** Spark type names this parser knows, for error messages. */
export const VALID_DDL_TYPES = [
  'boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal(p,s)',
  'string', 'binary', 'date', 'timestamp', 'timestamp_ntz', 'array<T>', 'map<K,V>', 'struct<…>',
] as const;

const PRIMITIVES: Record<string, () => arrow.DataType> = {
  boolean: () => new arrow.Bool(),
  bool: () => new arrow.Bool(),
  tinyint: () => new arrow.Int8(),
  byte: () => new arrow.Int8(),
  smallint: () => new arrow.Int16(),
  short: () => new arrow.Int16(),
  int: () => new arrow.Int32(),
  integer: () => new arrow.Int32(),
  bigint: () => new arrow.Int64(),
  long: () => new arrow.Int64(),
  float: () => new arrow.Float32(),
  real: () => new arrow.Float32(),
  double: () => new arrow.Float64(),
  string: () => new arrow.Utf8(),
  binary: () => new arrow.Binary(),
  date: () => new arrow.DateDay(),
  timestamp: () => new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, 'UTC'),
  timestamp_ltz: () => new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, 'UTC'),
  timestamp_ntz: () => new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, null),
};
const DECIMAL_NAMES = new Set(['decimal', 'dec', 'numeric']);
const CHAR_NAMES = new Set(['varchar', 'char']);
/** Spark's widest decimal; Decimal128 holds 38 digits. */
const MAX_DECIMAL_PRECISION = 38;

type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  /** Identifier text (unquoted for backticks), punctuation char, string contents or digits. */
  text: string;
  /** 0-based character offset of the token's first character. */
  pos: number;
}

function tokenize(ddl: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = ddl.length;
  while (i < n) {
    const c = ddl[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const start = i;
    if (c === '`') {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) fail(ddl, start, 'a closing backtick "`"', `unterminated backticked name starting at position ${start}`);
        if (ddl[i] === '`') {
          if (ddl[i + 1] === '`') { text += '`'; i += 2; continue; } // `` escapes a backtick, like Spark
          i++;
          break;
        }
        text += ddl[i++];
      }
      tokens.push({ kind: 'quoted', text, pos: start });
    } else if (c === "'" || c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) fail(ddl, start, `a closing quote ${c}`, `unterminated string starting at position ${start}`);
        if (ddl[i] === '\\' && i + 1 < n) { text += ddl[i + 1]; i += 2; continue; }
        if (ddl[i] === c) { i++; break; }
        text += ddl[i++];
      }
      tokens.push({ kind: 'string', text, pos: start });
    } else if (/[A-Za-z0-9_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_]/.test(ddl[i]!)) i++;
      const text = ddl.slice(start, i);
      tokens.push({ kind: /^[0-9]+$/.test(text) ? 'number' : 'ident', text, pos: start });
    } else if ('<>(),:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: start });
      i++;
    } else {
      fail(ddl, start, 'a name, a type or one of < > ( ) , :', `unexpected character "${c}" at position ${start}`);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: n });
  return tokens;
}

/** Throws a DDLParseError; `detail` defaults to `expected X at position P`. */
function fail(ddl: string, position: number, expected: string, detail?: string): never {
  const text = detail ?? `expected ${expected} at position ${position}`;
  throw new DDLParseError(`Invalid schema "${ddl}": ${text}.`, {
    ddl,
    position,
    expected,
  });
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'end of input';
  if (t.kind === 'string') return `string '${t.text}'`;
  if (t.kind === 'quoted') return `\`${t.text}\``;
  return `"${t.text}"`;
}

class Parser {
  private i = 0;
  constructor(private readonly ddl: string, private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }
  private expectPunct(text: string, expected = `"${text}"`): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== text) this.unexpected(expected);
    this.i++;
  }
  unexpected(expected: string): never {
    const t = this.peek();
    return fail(this.ddl, t.pos, expected, `expected ${expected} at position ${t.pos} but found ${describe(t)}`);
  }
  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  /** Top level: `col type, …` or `struct<…>`. */
  parseSchema(): arrow.Field[] {
    if (this.isKeyword('struct') && this.isPunct('<', 1)) {
      this.i += 2;
      const fields = this.parseFields('>');
      this.expectPunct('>', '">" closing struct<');
      if (this.peek().kind !== 'end') this.unexpected('end of input after struct<…>');
      return fields;
    }
    const fields = this.parseFields(null);
    if (this.peek().kind !== 'end') this.unexpected('"," between columns');
    return fields;
  }

  /** Comma-separated `name [:] type [NOT NULL] [COMMENT '…']`, until `closer` (or end of input). */
  private parseFields(closer: string | null): arrow.Field[] {
    const fields: arrow.Field[] = [];
    const seen = new Map<string, number>();
    if (closer !== null && this.isPunct(closer)) return fields; // struct<> is valid in Spark
    for (;;) {
      const nameTok = this.peek();
      if (nameTok.kind !== 'ident' && nameTok.kind !== 'quoted' && nameTok.kind !== 'number') {
        this.unexpected(closer === null ? 'a column name' : 'a field name');
      }
      this.i++;
      const name = nameTok.text;
      if (seen.has(name)) {
        fail(this.ddl, nameTok.pos, 'a unique name',
          `duplicate ${closer === null ? 'column' : 'field'} name "${name}" at position ${nameTok.pos}`);
      }
      seen.set(name, nameTok.pos);
      if (this.isPunct(':')) this.i++;
      const type = this.parseType();
      let nullable = true;
      for (;;) {
        if (this.isKeyword('not') && this.isKeyword('null', 1)) {
          this.i += 2;
          nullable = false;
        } else if (this.isKeyword('comment')) {
          this.i++;
          if (this.peek().kind !== 'string') this.unexpected("a quoted comment after COMMENT");
          this.i++; // comments are accepted and dropped
        } else break;
      }
      fields.push(new arrow.Field(name, type, nullable));
      if (this.isPunct(',')) { this.i++; continue; }
      return fields;
    }
  }

  parseType(): arrow.DataType {
    const t = this.peek();
    if (t.kind !== 'ident') this.unexpected('a type');
    const lower = t.text.toLowerCase();
    this.i++;
    const primitive = PRIMITIVES[lower];
    if (primitive) return primitive();
    if (DECIMAL_NAMES.has(lower)) return this.parseDecimalArgs(t);
    if (CHAR_NAMES.has(lower)) {
      // varchar(n) / char(n) are strings in Arrow; the length limit is not enforced.
      this.expectPunct('(', `"(" and a length after ${lower}`);
      if (this.peek().kind !== 'number') this.unexpected(`a length for ${lower}(n)`);
      this.i++;
      this.expectPunct(')');
      return new arrow.Utf8();
    }
    if (lower === 'array') {
      this.expectPunct('<', '"<" after array');
      const elem = this.parseType();
      this.expectPunct('>', '">" closing array<');
      return new arrow.List(new arrow.Field('element', elem, true));
    }
    if (lower === 'map') {
      this.expectPunct('<', '"<" after map');
      const key = this.parseType();
      this.expectPunct(',', '"," between map key and value types');
      const value = this.parseType();
      this.expectPunct('>', '">" closing map<');
      const entries = new arrow.Struct([new arrow.Field('key', key, false), new arrow.Field('value', value, true)]);
      return new arrow.Map_(new arrow.Field('entries', entries, false), false);
    }
    if (lower === 'struct') {
      this.expectPunct('<', '"<" after struct');
      const fields = this.parseFields('>');
      this.expectPunct('>', '">" closing struct<');
      return new arrow.Struct(fields);
    }
    return fail(
      this.ddl,
      t.pos,
      'a type',
      `unknown type "${t.text}" at position ${t.pos}. Valid types: ${VALID_DDL_TYPES.join(', ')}`,
    );
  }

  private parseDecimalArgs(nameTok: Token): arrow.DataType {
    if (!this.isPunct('(')) return new arrow.Decimal(0, 10, 128); // Spark's default decimal(10,0)
    this.i++;
    const pTok = this.peek();
    if (pTok.kind !== 'number') this.unexpected('a precision in decimal(p,s)');
    this.i++;
    let scale = 0;
    if (this.isPunct(',')) {
      this.i++;
      const sTok = this.peek();
      if (sTok.kind !== 'number') this.unexpected('a scale in decimal(p,s)');
      this.i++;
      scale = Number(sTok.text);
    }
    this.expectPunct(')', '")" closing decimal(');
    const precision = Number(pTok.text);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      fail(this.ddl, pTok.pos, `a precision from 1 to ${MAX_DECIMAL_PRECISION}`,
        `decimal precision ${precision} at position ${pTok.pos} is out of range (1 to ${MAX_DECIMAL_PRECISION})`);
    }
    if (scale > precision) {
      fail(this.ddl, nameTok.pos, 'a scale no larger than the precision',
        `decimal scale ${scale} at position ${nameTok.pos} is larger than its precision ${precision}`);
    }
    return new arrow.Decimal(scale, precision, 128);
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }
}

/** Parse a Spark DDL schema (`'a string, b bigint'` or `'struct<a: string>'`) into an Arrow schema. */
export function parseDDL(ddl: string): arrow.Schema {
  if (typeof ddl !== 'string') {
    throw new DDLParseError(`Invalid schema: expected a Spark DDL string like "a string, b bigint", got ${typeof ddl}.`, {
      ddl: String(ddl),
      position: 0,
      expected: 'a DDL string',
    });
  }
  const parser = new Parser(ddl, tokenize(ddl));
  return new arrow.Schema(parser.parseSchema());
}

/** Parse a single Spark DDL type (`'array<int>'`, `'decimal(10,2)'`) into an Arrow type. */
export function parseDDLType(ddl: string): arrow.DataType {
  const parser = new Parser(ddl, tokenize(ddl));
  const type = parser.parseType();
  if (!parser.atEnd()) parser.unexpected('end of input after the type');
  return type;
}
