/**
 * Options of `bundleJob()` and friends: the public (all optional) form, defaults,
 * and validation done once at the public entry.
 */
import { readOptions } from '@tsapply/common';

export interface BundleOptions {
  /**
   * Minify the bundle: smaller payloads, same behaviour; stack traces are still mapped
   * back to the original source through the source map.
   * @default false
   */
  minify?: boolean;
  /**
   * Package names (or exact import specifiers) to leave out of the bundle and
   * `require()` at run time instead; the worker must be able to resolve them.
   * Node built-ins and native addon packages are always external.
   * @default []
   */
  external?: readonly string[];
  /**
   * Folder a relative entry path is resolved against, and that file paths in error
   * messages and warnings are shown relative to. Does not affect the bundle's
   * content (whose paths are relative to the project root).
   * @default process.cwd()
   */
  cwd?: string;
}

/** The defaulted form used internally. */
export interface ResolvedBundleOptions {
  minify: boolean;
  external: readonly string[];
  cwd: string;
}

const DEFAULTS: Omit<ResolvedBundleOptions, 'cwd'> = { minify: false, external: [] };
const KEYS = ['minify', 'external', 'cwd'] as const;

/**
 * Validates `options` once with the shared toolkit (unknown keys and wrong types are
 * InvalidOptionErrors, never ignored) and fills defaults.
 */
export function resolveBundleOptions(options: BundleOptions | undefined, fn: string): ResolvedBundleOptions {
  const o = readOptions(`${fn}()`, options, KEYS);
  const minify = o.get('minify') ?? DEFAULTS.minify;
  if (typeof minify !== 'boolean') o.reject('minify', `options.minify must be a boolean, got ${typeof minify}.`);
  const external = o.get('external') ?? DEFAULTS.external;
  if (!Array.isArray(external) || external.some((e) => typeof e !== 'string' || e === '')) {
    o.reject('external', 'options.external must be an array of non-empty strings (package names or import specifiers).');
  }
  const cwd = o.get('cwd') ?? process.cwd();
  if (typeof cwd !== 'string' || cwd === '') o.reject('cwd', 'options.cwd must be a non-empty string (a folder path).');
  return { minify: minify as boolean, external: [...(external as string[])], cwd: cwd as string };
}
