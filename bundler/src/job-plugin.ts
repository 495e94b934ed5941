/**
 * The esbuild plugin that decides, for every bare import in a job, whether it is
 * - `tsapply` / `tsapply/job`: aliased to `@tsapply/common/job-api`, the light
 *   job-side API (`defineJob` and friends), so a bundle never drags in the driver
 *   (gRPC, esbuild, piscina…);
 * - a driver-only module (`esbuild`, `@grpc/grpc-js`, other `tsapply/…` entry points…):
 *   refused with an error at the import's location (all of them are collected and
 *   reported together, as a `DisallowedImportError`);
 * - a package with a native addon: kept external (so a worker that has the job's
 *   node_modules can still `require` it) and recorded;
 * - anything else: left to esbuild's normal resolution.
 */
import { createRequire, isBuiltin } from 'node:module';
import type { Plugin, PluginBuild } from 'esbuild';
import { DISALLOWED_MODULES } from './errors.js';
import type { DetectedNativeAddon } from './native-addons.js';
import { nativeAddonReason } from './native-addons.js';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isInNodeModules, owningPackage, packageNameOf } from './package-info.js';

/** Marker passed through `build.resolve` so the plugin does not handle its own lookups. */
const INNER = Symbol('tsapply-inner-resolve');

/** `detail` attached to disallowed-import errors, so they can be told apart from esbuild's. */
export interface DisallowedDetail {
  tsapplyDisallowed: string;
}

let jobApiFile: string | undefined;

/** Absolute path of the built `@tsapply/common/job-api` module that `tsapply` is aliased to. */
export function jobApiPath(): string {
  jobApiFile ??= createRequire(import.meta.url).resolve('@tsapply/common/job-api');
  return jobApiFile;
}

let apiExports: Promise<string[]> | undefined;

/** Names the job-side API exports at run time (types excluded), sorted. */
export function jobApiExports(): Promise<string[]> {
  apiExports ??= import(pathToFileURL(jobApiPath()).href).then(
    (m: Record<string, unknown>) => Object.keys(m).sort(),
    () => ['defineJob'],
  );
  return apiExports;
}

/** What the plugin learned during one build. */
export interface JobPluginState {
  /** Native addon packages by folder; `optional` is cleared by any non-optional import. */
  native: Map<string, DetectedNativeAddon>;
  /**
   * Packages found to `require()` a `.node` file while being bundled, although their
   * manifest did not say so. The build is repeated with them treated as native.
   */
  lateNative: Map<string, string>;
}

export interface JobPluginOptions {
  /** Package folders to treat as native (→ reason) in addition to the manifest rules (from a previous pass). */
  forcedNative: ReadonlyMap<string, string>;
  /** Extra specifiers (or package names) the user asked to keep external. */
  external: readonly string[];
}

function isDisallowed(specifier: string): boolean {
  if (specifier.startsWith('tsapply/') && specifier !== 'tsapply/job') return true;
  return DISALLOWED_MODULES.some((m) => specifier === m || specifier.startsWith(`${m}/`));
}

/** True when the importing package declares `name` as optional: it must cope with its absence. */
function importerTreatsAsOptional(importer: string, name: string): boolean {
  const pkg = importer ? owningPackage(importer) : null;
  if (!pkg) return false;
  return (
    (pkg.json.optionalDependencies !== undefined && name in pkg.json.optionalDependencies) ||
    pkg.json.peerDependenciesMeta?.[name]?.optional === true
  );
}

export function jobPlugin(options: JobPluginOptions, state: JobPluginState): Plugin {
  return {
    name: 'tsapply-job',
    setup(build: PluginBuild) {
      // Bare specifiers only: relative and absolute paths are the job's own files.
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.[INNER]) return undefined;
        const spec = args.path;
        if (isBuiltin(spec)) return { path: spec, external: true };
        if (spec === 'tsapply' || spec === 'tsapply/job') return { path: jobApiPath() };
        if (isDisallowed(spec)) {
          const detail: DisallowedDetail = { tsapplyDisallowed: spec };
          return { errors: [{ text: `"${spec}" is driver-only and cannot be imported by a job`, detail }] };
        }
        const name = packageNameOf(spec);
        if (name === undefined) return undefined;
        if (options.external.includes(spec) || options.external.includes(name)) return { path: spec, external: true };

        const resolved = await build.resolve(spec, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { [INNER]: true },
        });
        // Unresolvable: let esbuild report it (or ignore it inside a try/catch require).
        if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return undefined;
        const pkg = owningPackage(resolved.path);
        if (!pkg || pkg.name !== name) return undefined;
        const reason = nativeAddonReason(pkg) ?? options.forcedNative.get(pkg.dir);
        if (reason === undefined) return undefined;

        const optional = importerTreatsAsOptional(args.importer, name);
        const seen = state.native.get(pkg.dir);
        if (seen) seen.optional &&= optional;
        else state.native.set(pkg.dir, { name: pkg.name, version: pkg.version, reason, optional });
        // Keep the specifier as written: at run time it resolves from the job's folder.
        return { path: spec, external: true };
      });

      // A `.node` file reached while bundling a package the manifest rules missed.
      build.onResolve({ filter: /\.node$/ }, async (args) => {
        if (args.pluginData?.[INNER]) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { [INNER]: true },
        });
        if (resolved.errors.length > 0) return undefined;
        const pkg = owningPackage(args.importer);
        if (pkg && isInNodeModules(pkg.dir) && !state.lateNative.has(pkg.dir)) {
          state.lateNative.set(pkg.dir, `requires the .node file ${relative(pkg.dir, resolved.path).split(sep).join('/')}`);
        }
        return { path: resolved.path, external: true };
      });
    },
  };
}
