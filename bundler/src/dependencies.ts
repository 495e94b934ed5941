/**
 * Dependency inference: which npm packages (name@version) a bundle really contains
 * and how many bytes each contributes, read from esbuild's metafile. Only code that
 * survived tree-shaking counts, so a package imported for a single function shows
 * that function's size, not the package's install size.
 */
import { relative, resolve, isAbsolute } from 'node:path';
import type { Metafile } from 'esbuild';
import { owningPackage } from './package-info.js';

/** One npm package inlined into a bundle. */
export interface BundledPackage {
  name: string;
  version: string;
  /** Bytes of this package's code in the bundle (after tree-shaking, before minification of the whole). */
  bytes: number;
}

/** True when `dir` is `root` or one of its ancestors: files owned by it are the user's own code. */
function isAncestorOrSelf(dir: string, root: string): boolean {
  const rel = relative(dir, root);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Packages in the bundle, sorted by name then version. A package whose code was
 * entirely tree-shaken away (0 bytes) is not listed: the bundle does not use it.
 */
export function packagesFromMetafile(metafile: Metafile, workingDir: string, projectRoot: string): BundledPackage[] {
  const byKey = new Map<string, BundledPackage>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      // Inputs of other namespaces are written `namespace:path`; only files belong to packages.
      if (/^[a-z-]+:/i.test(input) && !/^[a-z]:[\\/]/i.test(input)) continue;
      const pkg = owningPackage(resolve(workingDir, input));
      if (!pkg || isAncestorOrSelf(pkg.dir, projectRoot)) continue;
      const key = `${pkg.name}@${pkg.version}`;
      const entry = byKey.get(key);
      if (entry) entry.bytes += bytesInOutput;
      else byKey.set(key, { name: pkg.name, version: pkg.version, bytes: bytesInOutput });
    }
  }
  return [...byKey.values()]
    .filter((p) => p.bytes > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}
