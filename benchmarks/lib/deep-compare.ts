/**
 * Correctness oracles for round trips: a deep comparison that names the first place two
 * values differ (types included: a Float64Array that comes back as an Array, a Date that
 * comes back as a string, a Map that comes back as `{}` are all differences), and the
 * JSON projection of a value — what `JSON.parse(JSON.stringify(v))` must give — written
 * independently of JSON itself, so JSON-based serializers are checked against the types
 * JSON can represent rather than against themselves.
 */

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  if (Array.isArray(v)) return 'Array';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (v instanceof Date) return 'Date';
  if (v instanceof Map) return 'Map';
  if (v instanceof Set) return 'Set';
  if (v instanceof ArrayBuffer) return 'ArrayBuffer';
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || proto === Object.prototype ? 'object' : (v.constructor?.name ?? 'object');
}

function preview(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (ArrayBuffer.isView(v)) return `${kind(v)}(${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength})`;
  if (v instanceof Map || v instanceof Set) return `${kind(v)}(${v.size})`;
  if (typeof v === 'object' && v !== null) return `${kind(v)} with ${Object.keys(v).length} keys`;
  return String(v);
}

/** The path of the first difference between `expected` and `actual`, or undefined when they are deep-equal. */
export function findDifference(expected: unknown, actual: unknown, path = 'value'): string | undefined {
  const ke = kind(expected);
  const ka = kind(actual);
  if (ke !== ka) return `${path}: expected ${preview(expected)}, got ${preview(actual)}`;
  if (typeof expected !== 'object' || expected === null) {
    return Object.is(expected, actual) ? undefined : `${path}: expected ${preview(expected)}, got ${preview(actual)}`;
  }
  if (expected instanceof Date) {
    const a = actual as Date;
    return Object.is(expected.getTime(), a.getTime()) ? undefined : `${path}: expected ${preview(expected)}, got ${preview(a)}`;
  }
  if (ArrayBuffer.isView(expected) || expected instanceof ArrayBuffer) {
    const e = expected instanceof ArrayBuffer ? new Uint8Array(expected) : (expected as unknown as ArrayLike<unknown>);
    const a = actual instanceof ArrayBuffer ? new Uint8Array(actual) : (actual as unknown as ArrayLike<unknown>);
    if (e.length !== a.length) return `${path}: expected length ${e.length}, got ${a.length}`;
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(e[i], a[i])) return `${path}[${i}]: expected ${preview(e[i])}, got ${preview(a[i])}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    if (expected.length !== a.length) return `${path}: expected length ${expected.length}, got ${a.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = findDifference(expected[i], a[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected instanceof Map) {
    const a = actual as Map<unknown, unknown>;
    if (expected.size !== a.size) return `${path}: expected a Map of ${expected.size} entries, got ${a.size}`;
    for (const [k, v] of expected) {
      if (!a.has(k)) return `${path}: missing key ${preview(k)}`;
      const d = findDifference(v, a.get(k), `${path}.get(${preview(k)})`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected instanceof Set) {
    const a = actual as Set<unknown>;
    if (expected.size !== a.size) return `${path}: expected a Set of ${expected.size} values, got ${a.size}`;
    for (const v of expected) if (!a.has(v)) return `${path}: missing value ${preview(v)}`;
    return undefined;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const ek = Object.keys(e);
  const ak = Object.keys(a);
  if (ek.length !== ak.length) {
    const missing = ek.filter((k) => !Object.hasOwn(a, k));
    const extra = ak.filter((k) => !Object.hasOwn(e, k));
    return `${path}: keys differ (missing ${JSON.stringify(missing.slice(0, 5))}, extra ${JSON.stringify(extra.slice(0, 5))})`;
  }
  for (const k of ek) {
    if (!Object.hasOwn(a, k)) return `${path}: missing key ${JSON.stringify(k)}`;
    const d = findDifference(e[k], a[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/**
 * What a JSON round trip can give back for `value`: typed arrays become objects keyed
 * "0", "1", …; Map and Set become `{}`; Date becomes its ISO string; undefined and
 * functions disappear from objects (and become null in arrays); NaN and ±Infinity
 * become null; -0 becomes 0. A bigint cannot be represented: JSON.stringify throws, and
 * so does this function.
 */
export function jsonProjection(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (typeof value === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  if (typeof value !== 'object') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => jsonProjection(v) ?? null);
  if (value instanceof Map || value instanceof Set) return {};
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const out: Record<string, unknown> = {};
    const arr = value as unknown as ArrayLike<number>;
    for (let i = 0; i < arr.length; i++) out[String(i)] = jsonProjection(arr[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = jsonProjection(v);
    if (p !== undefined) out[k] = p;
  }
  return out;
}
