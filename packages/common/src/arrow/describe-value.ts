/**
 * Short, human-readable previews of JS values for error messages:
 * `string "abc"`, `number 1.5`, `bigint 12n`, `Date 2024-01-01T00:00:00.000Z`, `array [1, 2]`.
 */

const MAX_PREVIEW = 40;

function clip(s: string): string {
  return s.length > MAX_PREVIEW ? s.slice(0, MAX_PREVIEW - 1) + '…' : s;
}

/** The JS type name used in messages: `null`, `number`, `string`, `array`, `Date`, `Map`, `object`, a class name… */
export function jsTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  const t = typeof v;
  if (t !== 'object') return t;
  if (Array.isArray(v)) return 'array';
  const proto = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype) return 'object';
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

function shortJSON(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}

/** `<type> <preview>`, e.g. `string "abc"` or `number 9007199254740992`. */
export function describeValue(v: unknown): string {
  const type = jsTypeName(v);
  switch (type) {
    case 'null':
    case 'undefined':
      return type;
    case 'string':
      return `string ${clip(JSON.stringify(v))}`;
    case 'number':
    case 'boolean':
      return `${type} ${String(v)}`;
    case 'bigint':
      return `bigint ${String(v)}n`;
    case 'symbol':
      return `symbol ${String(v)}`;
    case 'function':
      return `function ${(v as { name?: string }).name || '(anonymous)'}`;
    case 'Date':
      return `Date ${Number.isNaN((v as Date).getTime()) ? 'Invalid Date' : (v as Date).toISOString()}`;
    case 'array':
      return `array ${clip(shortJSON(v))}`;
    case 'object':
      return `object ${clip(shortJSON(v))}`;
    case 'Map':
      return `Map(${(v as Map<unknown, unknown>).size})`;
    case 'Set':
      return `Set(${(v as Set<unknown>).size})`;
    default:
      if (ArrayBuffer.isView(v)) return `${type}(${(v as unknown as ArrayLike<unknown>).length ?? (v as DataView).byteLength})`;
      return `${type} instance`;
  }
}
