/**
 * Checks a captured value that is data (not a function) and takes its snapshot.
 *
 * Accepted, as for a job's `context` (what the serializers round-trip exactly):
 * primitives but symbols, plain objects and arrays, Map, Set, Date, RegExp, Error,
 * ArrayBuffer, typed arrays and Buffer. Functions inside plain objects, arrays and Map
 * values are accepted too: they are captured as code and put back in place on the
 * worker. Everything else is refused with the path of the offending part, its kind
 * and what to do instead — class instances (their methods would be lost), streams,
 * sockets and other EventEmitters, Promises, generator objects, WeakMap/WeakSet/
 * WeakRef, symbols, and cycles (the serializers cannot encode them).
 *
 * The snapshot (`structuredClone`) is what ships: a change the user makes after the
 * call never reaches a job already submitted.
 */

export interface ValueProblem {
  /** `rates`, `config.client`, `lookup.get("k")`. */
  path: string;
  /** `an instance of class Model`, `a stream or socket (Socket)`, … */
  kind: string;
  /** Why, and what to do instead. */
  advice: string;
}

export interface NestedFunction {
  /** Keys from the value's root to the function (Map keys for Map values). */
  path: (string | number)[];
  /** The display path, e.g. `handlers.add`. */
  display: string;
  fn: Function;
}

export interface CheckedValue {
  problem?: ValueProblem;
  functions: NestedFunction[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const TYPED_ARRAY_PROTO = Object.getPrototypeOf(Int8Array.prototype) as object;
const GENERATOR_PROTO = Object.getPrototypeOf(function* () {}.prototype) as object;
const ASYNC_GENERATOR_PROTO = Object.getPrototypeOf(async function* () {}.prototype) as object;

function className(v: object): string {
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'an anonymous class';
}

function isData(v: object): boolean {
  return (
    v instanceof Date || v instanceof RegExp || v instanceof ArrayBuffer ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView) && Object.getPrototypeOf(Object.getPrototypeOf(v)) === TYPED_ARRAY_PROTO) ||
    (ArrayBuffer.isView(v) && Buffer.isBuffer(v))
  );
}

function isGeneratorObject(v: object): boolean {
  let p = Object.getPrototypeOf(v) as object | null;
  for (let i = 0; p && i < 3; i++, p = Object.getPrototypeOf(p) as object | null) if (p === GENERATOR_PROTO || p === ASYNC_GENERATOR_PROTO) return true;
  return false;
}

const IN_INIT = 'create it in init() on the worker (its result is ctx.state), or pass plain data in the context option';

/** The kind and advice for a value that is not data, or undefined when it is plain data. */
function refusal(v: object, place: string): Omit<ValueProblem, 'path'> | undefined {
  if (v instanceof Promise || typeof (v as { then?: unknown }).then === 'function') {
    return { kind: 'a Promise', advice: `A Promise cannot travel to ${place}: await it before the call and capture its result, or create it in init() on the worker.` };
  }
  if (isGeneratorObject(v)) {
    return { kind: 'a generator object', advice: 'Its progress cannot be copied: capture the values it yields ([...gen]) or the generator function itself.' };
  }
  if (v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) {
    return { kind: `a ${className(v)}`, advice: `The entries of a ${className(v)} cannot be read, so it cannot be copied: use a Map or Set, or build it in init() on the worker.` };
  }
  const o = v as { on?: unknown; pipe?: unknown; emit?: unknown };
  if (typeof o.on === 'function' && (typeof o.pipe === 'function' || typeof o.emit === 'function')) {
    return { kind: `a stream, socket or client (${className(v)})`, advice: `It is tied to this process and cannot travel to ${place}: ${IN_INIT}.` };
  }
  return undefined;
}

function mapKeyText(k: unknown): string | undefined {
  if (typeof k === 'string') return JSON.stringify(k);
  if (typeof k === 'number' || typeof k === 'boolean') return String(k);
  if (typeof k === 'bigint') return `${k}n`;
  return undefined;
}

/** Checks `value` (captured as `name`, to travel to `place`) and lists the functions inside it. */
export function checkCapturedValue(value: unknown, name: string, place: string): CheckedValue {
  const functions: NestedFunction[] = [];
  const ancestors = new Map<object, string>();
  const done = new WeakSet<object>();

  function visit(v: unknown, path: (string | number)[], display: string, container: 'plain' | 'set' | 'mapKey'): ValueProblem | undefined {
    if (typeof v === 'symbol') return { path: display, kind: 'a symbol', advice: 'Symbols cannot be serialized: use a string.' };
    if (typeof v === 'function') {
      if (container !== 'plain') {
        return { path: display, kind: 'a function', advice: `Functions can be captured as variables, object properties, array items and Map values, not as ${container === 'set' ? 'Set members' : 'Map keys'}: keep them in a plain object or an array.` };
      }
      functions.push({ path, display, fn: v });
      return undefined;
    }
    if (typeof v !== 'object' || v === null) return undefined;
    if (done.has(v)) return undefined;
    const earlier = ancestors.get(v);
    if (earlier !== undefined) {
      return { path: display, kind: `circular data (it refers back to ${earlier})`, advice: 'The serializers cannot encode cycles: break the cycle, or build the structure in init() on the worker.' };
    }
    if (isData(v)) {
      done.add(v);
      return undefined;
    }
    const bad = refusal(v, place);
    if (bad) return { path: display, ...bad };
    ancestors.set(v, display);
    let found: ValueProblem | undefined;
    if (v instanceof Error) {
      found = undefined;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length && !found; i++) found = visit(v[i], [...path, i], `${display}[${i}]`, 'plain');
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        found = visit(k, path, `${display}.keys()`, 'mapKey');
        if (!found) {
          const keyText = mapKeyText(k);
          if (typeof x === 'function' && keyText === undefined) {
            found = { path: `${display}.get(…)`, kind: 'a function', advice: 'A function stored in a Map under an object key cannot be put back on the worker: use string or number keys.' };
          } else found = visit(x, [...path, k as string | number], `${display}.get(${keyText ?? '…'})`, 'plain');
        }
        if (found) break;
      }
    } else if (v instanceof Set) {
      for (const x of v) if ((found = visit(x, path, `${display}.values()`, 'set'))) break;
    } else {
      const proto = Object.getPrototypeOf(v) as object | null;
      if (proto !== Object.prototype && proto !== null) {
        const cls = className(v);
        found = {
          path: display,
          kind: `an instance of class ${cls}`,
          advice: `It would arrive as a plain object without its class and methods: capture plain data and rebuild the ${cls} in init() on the worker, or pass the data in the context option.`,
        };
      } else {
        const symbolKey = Object.getOwnPropertySymbols(v).find((s) => Object.prototype.propertyIsEnumerable.call(v, s));
        if (symbolKey !== undefined) {
          found = { path: `${display}[${String(symbolKey)}]`, kind: 'a symbol key', advice: 'Symbol-keyed properties are dropped by serialization: use a string key.' };
        }
        for (const key of Object.keys(v)) {
          if (found) break;
          found = visit((v as Record<string, unknown>)[key], [...path, key], IDENTIFIER.test(key) ? `${display}.${key}` : `${display}[${JSON.stringify(key)}]`, 'plain');
        }
      }
    }
    ancestors.delete(v);
    if (!found) done.add(v);
    return found;
  }

  const problem = visit(value, [], name, 'plain');
  return problem ? { problem, functions } : { functions };
}

/**
 * The snapshot that ships: a deep copy of `value` in which every function listed in
 * `functions` is replaced by null (the generated code puts the captured function back).
 */
export function snapshotValue(value: unknown, functions: readonly NestedFunction[]): unknown {
  if (functions.length === 0) return structuredClone(value);
  const copies = new Map<object, unknown>();
  const copyOf = (container: object): unknown => {
    let c = copies.get(container);
    if (c === undefined) {
      c = Array.isArray(container) ? container.slice() : container instanceof Map ? new Map(container) : { ...container };
      copies.set(container, c);
    }
    return c;
  };
  const root = copyOf(value as object);
  for (const { path } of functions) {
    let original = value as Record<string | number, unknown> | Map<unknown, unknown>;
    let copy = root as Record<string | number, unknown> | Map<unknown, unknown>;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const child = original instanceof Map ? original.get(key) : original[key];
      const next = last ? null : copyOf(child as object);
      if (copy instanceof Map) copy.set(key, next);
      else copy[key] = next;
      original = child as typeof original;
      copy = next as typeof copy;
    }
  }
  return structuredClone(root);
}
