/**
 * The one way tsapply checks the options object of a public function, in the spirit
 * of esbuild's `getFlag` / `checkForInvalidFlags`: `readOptions(where, raw, keys)`
 * refuses a non-object and every unknown key (listing the valid ones, in the order
 * given), then typed getters refuse wrong types with the option's name, the value and
 * what would be valid; `reject` throws a message of its own (a conflict between two
 * options) and `nested` reads an options object inside the options (`retry.maxRetries`).
 * Every message is an `InvalidOptionError` with `option` set.
 *
 * Options are checked once, at the public entry; what the getters return is trusted
 * from there on (internal code never re-checks per batch).
 *
 * @example
 * ```ts
 * const o = readOptions('runJob()', options, ['workers', 'quiet']);
 * const workers = o.positiveInteger('workers') ?? availableParallelism();
 * const quiet = o.boolean('quiet') ?? false;
 * ```
 */
import { InvalidOptionError } from '../errors.js';
import { closestName, didYouMean } from '../did-you-mean.js';
import { shownValue } from './shown-value.js';

export class OptionReader<K extends string = string> {
  /**
   * @param where the public function, as users call it (`runJob()`, `mapInArrow()`),
   *   used as `Invalid option in <where>`.
   * @param prefix how an option is named in type messages. @default 'options.'
   * @param path how an option is named in `InvalidOptionError.option` and in unknown-key
   *   messages, before its key: `retry.` for the keys of `options.retry`. @default ''
   */
  constructor(
    readonly where: string,
    private readonly raw: Readonly<Record<string, unknown>>,
    private readonly prefix = 'options.',
    private readonly path = '',
  ) {}

  /** The raw value (undefined when absent). */
  get(key: K): unknown {
    return this.raw[key];
  }

  /** True when the user gave the option (with any value other than undefined). */
  has(key: K): boolean {
    return this.raw[key] !== undefined;
  }

  /** Throws the standard message: `options.<key> must be <expected>, got <value>.` */
  fail(key: K, expected: string, value: unknown = this.raw[key]): never {
    throw new InvalidOptionError(`${this.prefix}${key} must be ${expected}, got ${shownValue(value)}.`, { option: `${this.path}${key}` });
  }

  /**
   * Throws `message` as the InvalidOptionError of `key`: for a check that needs more
   * than "must be <expected>" (a conflict between options, a range with a reason), or
   * whose wording users already rely on.
   */
  reject(key: K | (string & {}), message: string): never {
    throw new InvalidOptionError(message, { option: `${this.path}${key}` });
  }

  boolean(key: K): boolean | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(key, 'a boolean (true or false)');
    return v;
  }

  /** An integer ≥ 1. */
  positiveInteger(key: K): number | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) this.fail(key, 'a positive integer');
    return v;
  }

  /** An integer ≥ 0. */
  nonNegativeInteger(key: K): number | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(key, 'a non-negative integer');
    return v;
  }

  /** A finite number ≥ 0 (a duration, a factor). */
  nonNegativeNumber(key: K, what = 'a non-negative number'): number | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.fail(key, what);
    return v;
  }

  /** A string; an empty (or blank) one is refused unless `allowEmpty`. */
  string(key: K, what = 'a non-empty string', allowEmpty = false): string | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || (!allowEmpty && v.trim() === '')) this.fail(key, what);
    return v;
  }

  oneOf<T extends string>(key: K, valid: readonly T[]): T | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(valid as readonly string[]).includes(v)) this.fail(key, `one of ${valid.join(', ')}`);
    return v as T;
  }

  function<F extends (...args: never[]) => unknown>(key: K, what = 'a function'): F | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'function') this.fail(key, what);
    return v as F;
  }

  /** A writable stream (anything with a `write` method, like process.stdout). */
  writable(key: K): NodeJS.WritableStream | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || typeof (v as { write?: unknown }).write !== 'function') {
      this.fail(key, 'a writable stream (such as process.stdout or a file stream)');
    }
    return v as NodeJS.WritableStream;
  }

  /** A plain object (not null, not an array). */
  object(key: K, what = 'an object'): Record<string, unknown> | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, what);
    return v as Record<string, unknown>;
  }

  /**
   * The reader of a nested options object (`options.retry`), undefined when absent: its
   * unknown keys are refused as `"retry.maxRetrys". Valid options: retry.maxRetries, …`
   * and its values named `options.retry.maxRetries` in messages.
   */
  nested<S extends string>(key: K, keys: readonly S[], what = 'an object'): OptionReader<S> | undefined {
    const v = this.object(key, what);
    if (v === undefined) return undefined;
    const path = `${this.path}${key}.`;
    for (const k of Object.keys(v)) {
      if (!(keys as readonly string[]).includes(k)) {
        const meant = closestName(k, keys);
        throw new InvalidOptionError(`Invalid option in ${this.where}: "${path}${k}".${meant ? ` Did you mean "${path}${meant}"?` : ''} Valid options: ${keys.map((s) => path + s).join(', ')}.`, {
          option: `${path}${k}`,
        });
      }
    }
    return new OptionReader<S>(this.where, v, `${this.prefix}${key}.`, path);
  }
}

/**
 * Starts checking `raw` as the options of `where`: undefined means no options; anything
 * but a plain object (null, an array, a string…) and every key not in `keys` is refused.
 */
export function readOptions<K extends string>(where: string, raw: unknown, keys: readonly K[], prefix?: string): OptionReader<K> {
  if (raw === undefined) return new OptionReader<K>(where, {}, prefix);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidOptionError(`Invalid options in ${where}: expected an object, got ${shownValue(raw)}.`, { option: 'options' });
  }
  for (const key of Object.keys(raw)) {
    if (!(keys as readonly string[]).includes(key)) {
      throw new InvalidOptionError(`Invalid option in ${where}: "${key}".${didYouMean(key, keys)} Valid options: ${keys.join(', ')}.`, { option: key });
    }
  }
  return new OptionReader<K>(where, raw as Record<string, unknown>, prefix);
}
