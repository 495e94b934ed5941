/**
 * Finding the npm package a file belongs to, and reading its package.json.
 *
 * Every lookup is cached for the life of the process: bundling touches the same
 * directories hundreds of times (once per input file), and package.json files do not
 * change while a driver is running.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** The fields of a package.json the bundler looks at. */
export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  gypfile?: boolean;
  napi?: unknown;
  binary?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts?: Record<string, string>;
}

/** An installed package: its root folder (absolute, real path) and manifest. */
export interface PackageInfo {
  dir: string;
  name: string;
  version: string;
  json: PackageJson;
}

const manifestCache = new Map<string, PackageJson | null>();
const ownerCache = new Map<string, PackageInfo | null>();

/** The parsed package.json in `dir`, or null when there is none (or it is not JSON). */
export function readManifest(dir: string): PackageJson | null {
  let cached = manifestCache.get(dir);
  if (cached === undefined) {
    try {
      cached = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    } catch {
      cached = null;
    }
    manifestCache.set(dir, cached);
  }
  return cached;
}

/**
 * The package that owns `file`: the nearest folder at or above it whose package.json
 * has a `name`. Nested manifests without a name (`{"type": "module"}` in an `esm/`
 * folder, common in dual packages) are skipped, so files of such a package are
 * attributed to the package itself.
 */
export function owningPackage(file: string): PackageInfo | null {
  return ownerOfDir(dirname(file));
}

function ownerOfDir(dir: string): PackageInfo | null {
  const cached = ownerCache.get(dir);
  if (cached !== undefined) return cached;
  const json = readManifest(dir);
  let result: PackageInfo | null;
  if (json && typeof json.name === 'string' && json.name !== '') {
    result = { dir, name: json.name, version: typeof json.version === 'string' ? json.version : '0.0.0', json };
  } else {
    const parent = dirname(dir);
    result = parent === dir ? null : ownerOfDir(parent);
  }
  ownerCache.set(dir, result);
  return result;
}

/** True when `file` lies inside some `node_modules` folder. */
export function isInNodeModules(file: string): boolean {
  return file.split(sep).includes('node_modules');
}

/**
 * The folder source paths are made relative to: the nearest folder at or above
 * `entryDir` holding a package.json (the user's project root), else `entryDir` itself.
 */
export function projectRoot(entryDir: string): string {
  for (let dir = entryDir; ; ) {
    if (isFile(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return entryDir;
    dir = parent;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The package name of a bare import specifier (`lodash/fp` → `lodash`,
 * `@scope/pkg/sub` → `@scope/pkg`), or undefined for relative/absolute paths.
 */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[A-Za-z]:[\\/]/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0];
}
