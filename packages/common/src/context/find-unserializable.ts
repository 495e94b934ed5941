/**
 * Find the first value inside a job's `context` that cannot be shipped to workers, and
 * name its path (`context.model.predict`, `context.items[3]`, `context.lookup.get("k")`).
 *
 * Accepted: primitives except symbols (string, number, boolean, bigint, null, undefined),
 * plain objects and arrays, Date, RegExp, Error, Map, Set, ArrayBuffer, typed arrays and
 * Buffer — what the serializers round-trip exactly. Refused: functions, symbols (as values
 * or keys), Promises, WeakMap/WeakSet/WeakRef, streams, sockets and other EventEmitters,
 * circular references, and instances of any other class — their methods and prototype
 * would be lost, so the worker would get a different value than the driver had.
 */

export interface UnserializableValue {
  /** Path from the root, e.g. `context.model.predict`. */
  path: string;
  /** Short kind, e.g. `function`, `class instance (Model)`, `circular reference`. */
  kind: string;
  /** A sentence saying why it cannot be shipped and what to do instead. */
  reason: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function mapKeyText(k: unknown): string {
  if (typeof k === 'string') return JSON.stringify(k);
  if (typeof k === 'bigint') return `${k}n`;
  if (typeof k === 'number' || typeof k === 'boolean' || k === null || k === undefined) return String(k);
  if (k instanceof Date) return `Date(${Number.isNaN(k.getTime()) ? 'NaN' : JSON.stringify(k.toISOString())})`;
  return '…';
}

const TYPED_ARRAY_PROTO = Object.getPrototypeOf(Int8Array.prototype) as object;

function isEventEmitterLike(v: object): boolean {
  const o = v as { on?: unknown; pipe?: unknown; emit?: unknown };
  return typeof o.on === 'function' && (typeof o.pipe === 'function' || typeof o.emit === 'function');
}

function className(v: object): string {
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'anonymous class';
}

/** Which non-plain object types are accepted as-is (their contents are data, not code). */
function isShippableBuiltin(v: object): boolean {
  return (
    v instanceof Date || v instanceof RegExp || v instanceof ArrayBuffer ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView) && Object.getPrototypeOf(Object.getPrototypeOf(v)) === TYPED_ARRAY_PROTO) ||
    (ArrayBuffer.isView(v) && Buffer.isBuffer(v))
  );
}

/** Path and reason of the first value that cannot be shipped, or undefined when all of it can. */
export function describeUnserializable(value: unknown, rootName = 'context'): UnserializableValue | undefined {
  const ancestors = new Map<object, string>(); // objects on the current path → their path
  const done = new WeakSet<object>(); // fully checked (shared references are fine)

  function visit(v: unknown, path: string): UnserializableValue | undefined {
    switch (typeof v) {
      case 'function':
        return { path, kind: 'function', reason: 'Functions cannot be shipped to workers; import the code in the job module instead, or build it in init().' };
      case 'symbol':
        return { path, kind: 'symbol', reason: 'Symbols cannot be serialized; use a string.' };
      case 'object':
        break;
      default:
        return undefined;
    }
    if (v === null) return undefined;
    const obj = v as object;
    if (done.has(obj)) return undefined;
    const earlier = ancestors.get(obj);
    if (earlier !== undefined) {
      return { path, kind: 'circular reference', reason: `It refers back to ${earlier}; the serializers cannot encode cycles. Break the cycle or rebuild it in init().` };
    }
    if (isShippableBuiltin(obj)) {
      done.add(obj);
      return undefined;
    }
    if (obj instanceof Promise || typeof (obj as { then?: unknown }).then === 'function') {
      return { path, kind: 'Promise', reason: 'A Promise cannot be shipped; await it before submitting the job, or create it in init().' };
    }
    if (obj instanceof WeakMap || obj instanceof WeakSet || (typeof WeakRef !== 'undefined' && obj instanceof WeakRef)) {
      return { path, kind: className(obj), reason: `A ${className(obj)} cannot be serialized; use a Map or Set.` };
    }
    if (isEventEmitterLike(obj)) {
      return { path, kind: `stream or socket (${className(obj)})`, reason: 'Streams, sockets and other EventEmitters are tied to this process; open them in init() on the worker instead.' };
    }
    ancestors.set(obj, path);
    let found: UnserializableValue | undefined;
    if (obj instanceof Error) {
      found = undefined; // message and name are shipped; a stack is just text
    } else if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length && !found; i++) found = visit(obj[i], `${path}[${i}]`);
    } else if (obj instanceof Map) {
      let i = 0;
      for (const [k, x] of obj) {
        found = visit(k, `${path}.keys()[${i}]`) ?? visit(x, `${path}.get(${mapKeyText(k)})`);
        if (found) break;
        i++;
      }
    } else if (obj instanceof Set) {
      let i = 0;
      for (const x of obj) {
        found = visit(x, `${path}.values()[${i}]`);
        if (found) break;
        i++;
      }
    } else {
      const proto = Object.getPrototypeOf(obj);
      if (proto !== Object.prototype && proto !== null) {
        const name = className(obj);
        found = {
          path,
          kind: `class instance (${name})`,
          reason: `An instance of ${name} would arrive as a plain object without its methods or prototype. ` +
            `Ship plain data and rebuild the ${name} in init().`,
        };
      } else {
        const symbolKey = Object.getOwnPropertySymbols(obj).find((s) => Object.prototype.propertyIsEnumerable.call(obj, s));
        if (symbolKey !== undefined) {
          found = { path: `${path}[${String(symbolKey)}]`, kind: 'symbol key', reason: 'Symbol-keyed properties are dropped by serialization; use a string key.' };
        }
        for (const key of Object.keys(obj)) {
          if (found) break;
          found = visit((obj as Record<string, unknown>)[key], propPath(path, key));
        }
      }
    }
    ancestors.delete(obj);
    if (!found) done.add(obj);
    return found;
  }

  return visit(value, rootName);
}

/** Path of the first value inside `value` that cannot be shipped to workers, e.g. `'context.model.predict'`. */
export function findUnserializable(value: unknown, rootName = 'context'): string | undefined {
  return describeUnserializable(value, rootName)?.path;
}
