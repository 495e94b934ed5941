/**
 * Options of `bundleJob()` and friends: the public (all optional) form, defaults,
 * and validation done once at the public entry.
 */
import { TsapplyError } from '@tsapply/common';

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

function invalid(message: string): TsapplyError {
  return new TsapplyError(message, 'INVALID_OPTION');
}

/** Validates `options` (unknown keys and wrong types are errors, never ignored) and fills defaults. */
export function resolveBundleOptions(options: BundleOptions | undefined, fn: string): ResolvedBundleOptions {
  if (options === undefined) return { ...DEFAULTS, cwd: process.cwd() };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`Invalid options in ${fn}(): expected an object, got ${options === null ? 'null' : typeof options}.`);
  }
  for (const key of Object.keys(options)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw invalid(`Invalid option in ${fn}(): "${key}". Valid options: ${KEYS.join(', ')}.`);
    }
  }
  const { minify = DEFAULTS.minify, external = DEFAULTS.external, cwd = process.cwd() } = options;
  if (typeof minify !== 'boolean') throw invalid(`options.minify must be a boolean, got ${typeof minify}.`);
  if (!Array.isArray(external) || external.some((e) => typeof e !== 'string' || e === '')) {
    throw invalid('options.external must be an array of non-empty strings (package names or import specifiers).');
  }
  if (typeof cwd !== 'string' || cwd === '') throw invalid('options.cwd must be a non-empty string (a folder path).');
  return { minify, external: [...external], cwd };
}
