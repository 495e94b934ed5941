/**
 * `mapInArrow` and `applyInArrow` return a Promise of their DataFrame, not the DataFrame:
 * they bundle the function and upload it (and may infer the schema) first. PySpark users
 * chain straight on, `df.mapInArrow(fn, schema).collect()`, and JavaScript's own answer,
 * `….collect is not a function`, does not say why. The Promise they get inherits each
 * DataFrame method name, and calling one says to await first. It is still a native
 * Promise (its prototype's prototype is Promise.prototype): awaiting it is unchanged.
 */
import { DataFrame } from '@tsapply/spark-connect';

/** Every method a DataFrame has, up its prototype chain, that a Promise does not. */
function dataFrameMethods(): string[] {
  const names = new Set<string>();
  for (let p: object | null = DataFrame.prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === 'constructor' || name in Promise.prototype) continue;
      if (typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** Which call made the pending Promise, for the message. */
const MADE_BY = Symbol('tsapply.pendingDataFrame.madeBy');

let prototype: object | undefined;

/**
 * Promise.prototype with each DataFrame method name on it, throwing: built once, shared by
 * every pending Promise (a call then only re-points one object's prototype).
 */
function pendingPrototype(): object {
  if (prototype) return prototype;
  const proto = Object.create(Promise.prototype) as object;
  for (const name of dataFrameMethods()) {
    Object.defineProperty(proto, name, {
      value: function notYetADataFrame(this: { [MADE_BY]: string }): never {
        const what = this[MADE_BY];
        throw new TypeError(
          `${what}() returns a Promise of its DataFrame, not the DataFrame: it bundles and ships your function first. ` +
            `Await it before .${name}(): const df = await ….${what}(fn, schema); then df.${name}(…).`,
        );
      },
      enumerable: false,
      configurable: true,
    });
  }
  return (prototype = proto);
}

/** `pending`, whose DataFrame method names throw a TypeError that says to await `what()` first. */
export function pendingDataFrame(pending: Promise<DataFrame>, what: string): Promise<DataFrame> {
  Object.setPrototypeOf(pending, pendingPrototype());
  Object.defineProperty(pending, MADE_BY, { value: what });
  return pending;
}
