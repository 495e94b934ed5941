/**
 * `mapInArrow` and `applyInArrow` return a Promise of their DataFrame, not the DataFrame:
 * they bundle the function and upload it (and may infer the schema) first. PySpark users
 * chain straight on, `df.mapInArrow(fn, schema).collect()`, and JavaScript's own answer,
 * `….collect is not a function`, does not say why. The Promise they get carries each
 * DataFrame method name, and calling one says to await first. The Promise is still a
 * plain Promise: awaiting it is unchanged.
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

let methods: string[] | undefined;

/** `pending`, with each DataFrame method name on it throwing a TypeError that says to await `what()` first. */
export function pendingDataFrame(pending: Promise<DataFrame>, what: string): Promise<DataFrame> {
  methods ??= dataFrameMethods();
  for (const name of methods) {
    Object.defineProperty(pending, name, {
      value: () => {
        throw new TypeError(
          `${what}() returns a Promise of its DataFrame, not the DataFrame: it bundles and ships your function first. ` +
            `Await it before .${name}(): const df = await ….${what}(fn, schema); then df.${name}(…).`,
        );
      },
      enumerable: false,
      configurable: true,
    });
  }
  return pending;
}
