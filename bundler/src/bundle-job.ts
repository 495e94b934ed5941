/**
 * Bundling a job (or one exported function, or a serializer module) into a single
 * CommonJS script plus its source map, with the dependency and native-addon report.
 * See `index.ts` for the contract the worker runtime relies on.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { build, type BuildFailure, type BuildResult, type Message } from 'esbuild';
import { fileNamedLike, TsapplyError } from '@tsapply/common';
import { resolveBundleOptions, type BundleOptions, type ResolvedBundleOptions } from './bundle-options.js';
import { packagesFromMetafile, type BundledPackage } from './dependencies.js';
import { BundleError, DisallowedImportError, type BundleProblem, type NativeAddon } from './errors.js';
import { displayPath, formatWarning, SYNTHETIC_ENTRY, toProblem, type MessageContext } from './esbuild-messages.js';
import { jobApiExports, jobPlugin, type JobPluginState } from './job-plugin.js';
import { filesWithEmptyImportMeta, importMetaPlugin } from './import-meta-plugin.js';
import { isFile, isInNodeModules, projectRoot } from './package-info.js';

/** What was bundled: a job file's default export, a named function export, or a serializer module. */
export type BundleKind = 'job' | 'function' | 'serializer';

/** The result of bundling. Everything but `entry`, `sourceRoot` and `buildMs` is independent of where the project lives. */
export interface JobBundle {
  kind: BundleKind;
  /** Absolute path of the bundled module on the driver. */
  entry: string;
  /** The export the bundle exposes: `'default'` for jobs and serializers. */
  exportName: string;
  /**
   * CommonJS module body (ES2022/node20 syntax, no top-level await). Its only export
   * is `exportName` (on `module.exports`); it expects `require`, `module`, `exports`,
   * `__filename` and `__dirname` from whoever evaluates it.
   */
  code: string;
  /**
   * Source map v3 (JSON) of `code`, with `sourcesContent`. Its `sources` are POSIX
   * paths relative to `sourceRoot` (e.g. `examples/weather.ts`,
   * `node_modules/date-fns/format.js`); the map's own `sourceRoot` field is empty.
   * `sourcesContent` is kept for the project's own files and null for node_modules files.
   */
  sourceMap: string;
  /**
   * Absolute folder that `sources` are relative to: the nearest folder at or above the
   * entry that holds a package.json (the project root), else the entry's folder.
   * Driver-side only; not part of the hash.
   */
  sourceRoot: string;
  /** SHA-256 (hex) of the UTF-8 `code`, one NUL byte, and the UTF-8 `sourceMap`. */
  sha256: string;
  /** Size of `code` in UTF-8 bytes. */
  bytes: number;
  /** npm packages inlined into the bundle, sorted by name. */
  packages: BundledPackage[];
  /**
   * Packages with native addons the job imports unconditionally. They are kept
   * external (required at run time from the job's node_modules), so the bundle only
   * runs where they are installed; see `assertNoNativeAddons`.
   */
  nativeAddons: NativeAddon[];
  /**
   * Native packages imported only by packages that declare them optional (e.g.
   * msgpackr → msgpackr-extract): kept external too, but the importer falls back to
   * JavaScript when they are missing, so they do not block shipping the bundle.
   */
  optionalNativeAddons: NativeAddon[];
  /** esbuild warnings about the user's own files, as `file:line:col: WARNING: text`. */
  warnings: string[];
  /** Wall-clock time spent bundling, in milliseconds. */
  buildMs: number;
}

/** Upper bound on re-runs after discovering packages that require `.node` files, or modules using `import.meta`. */
const MAX_PASSES = 3;
/** Output file name esbuild is told about; it is never written, it only anchors relative paths. */
const OUT_NAME = 'tsapply-bundle.js';

interface Target {
  kind: BundleKind;
  entry: string;
  exportName: string;
  fn: string;
  /** Source of the synthetic entry, given the module's import specifier; default: re-export `exportName`. */
  entrySource?: (specifier: string) => string;
  /** `entry` need not exist: it only anchors the in-memory `entrySource` (its folder resolves imports). */
  virtual?: boolean;
}

/**
 * Bundle a job file: its default export (the `defineJob({...})` object) and everything
 * it imports become one CommonJS script. Rejects with `BundleError` (every syntax
 * error, missing module or missing default export, with file:line:col) or
 * `DisallowedImportError` (driver-only imports).
 */
export async function bundleJob(entry: string, options?: BundleOptions): Promise<JobBundle> {
  return bundleTarget({ kind: 'job', entry, exportName: 'default', fn: 'bundleJob' }, options);
}

/**
 * Bundle one exported function of a module (for `df.mapInArrow(fn)`-style APIs): the
 * bundle's `module.exports[exportName]` is that function; other exports are
 * tree-shaken away.
 */
export async function bundleModuleFunction(modulePath: string, exportName: string, options?: BundleOptions): Promise<JobBundle> {
  return bundleTarget({ kind: 'function', entry: modulePath, exportName, fn: 'bundleModuleFunction' }, options);
}

/**
 * Bundle a module through an entry written by the caller, e.g. one that imports two
 * exports of `modulePath` and default-exports a job made of them. `entrySource` gets
 * the import specifier of `modulePath` and returns JavaScript; the entry exists only
 * in memory, so nothing is written beside the user's module. The bundle's export is
 * the entry's default export.
 */
export async function bundleGeneratedEntry(
  modulePath: string,
  entrySource: (specifier: string) => string,
  options?: BundleOptions,
): Promise<JobBundle> {
  return bundleTarget({ kind: 'job', entry: modulePath, exportName: 'default', fn: 'bundleGeneratedEntry', entrySource }, options);
}

/**
 * Bundle code that exists only in memory, such as the module tsapply generates for a
 * captured closure. `anchor` is an absolute path that stands for the code's file and
 * need not exist: its folder resolves bare imports and locates the project root (the
 * base of the source map's paths), it names the job in messages, and it is the file a
 * worker's `require` resolves externals from. An inline source map at the end of
 * `source` (`//# sourceMappingURL=data:…`) is chained into the bundle's map. The
 * bundle's export is the code's default export.
 */
export async function bundleEntrySource(anchor: string, source: string, options?: BundleOptions): Promise<JobBundle> {
  return bundleTarget({ kind: 'job', entry: anchor, exportName: 'default', fn: 'bundleEntrySource', entrySource: () => source, virtual: true }, options);
}

/**
 * Bundle a custom serializer module (`--serializer ./my-serializer.ts`), whose default
 * export is `{ id, serialize, deserialize }`, so its code can travel in the payload.
 */
export async function bundleSerializerModule(path: string, options?: BundleOptions): Promise<JobBundle> {
  return bundleTarget({ kind: 'serializer', entry: path, exportName: 'default', fn: 'bundleSerializerModule' }, options);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The real path of a folder, or the path itself when it does not exist. */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

async function bundleTarget(target: Target, options: BundleOptions | undefined): Promise<JobBundle> {
  const started = performance.now();
  const opts = resolveBundleOptions(options, target.fn);
  if (typeof target.entry !== 'string' || target.entry === '') {
    throw BundleError.fromFields({
      entry: String(target.entry),
      problems: [{ kind: 'not-found', text: `${target.fn}() needs a file path, got ${JSON.stringify(target.entry)}.` }],
    });
  }
  if (!IDENTIFIER.test(target.exportName)) {
    throw BundleError.fromFields({
      entry: target.entry,
      problems: [{ kind: 'missing-export', text: `Export name ${JSON.stringify(target.exportName)} is not a JavaScript identifier.` }],
    });
  }
  const requested = resolve(opts.cwd, target.entry);
  if (!target.virtual && !isFile(requested)) {
    const shown = displayPath(requested, opts.cwd);
    throw new BundleError(`Cannot bundle ${shown}: file not found (resolved to ${requested}).${nearbyFile(requested, opts.cwd)}`, {
      entry: shown,
      problems: [{ kind: 'not-found', text: `File not found: ${shown} (resolved to ${requested}).` }],
    });
  }
  const entry = target.virtual ? join(realDir(dirname(requested)), basename(requested)) : realpathSync(requested);
  const root = projectRoot(dirname(entry));
  const ctx: MessageContext = {
    workingDir: root,
    cwd: opts.cwd,
    entryDisplay: displayPath(entry, opts.cwd),
    exportName: target.exportName,
    kind: target.kind,
    jobApiExports: await jobApiExports(),
  };

  let forcedNative = new Map<string, string>();
  let importMeta = new Set<string>();
  for (let pass = 1; ; pass++) {
    const state: JobPluginState = { native: new Map(), lateNative: new Map() };
    const result = await runEsbuild(target, entry, root, opts, { forcedNative, importMeta }, state, ctx);
    const newlyNative = [...state.lateNative].filter(([dir]) => !forcedNative.has(dir));
    const newlyMeta = filesWithEmptyImportMeta(result.warnings, root).filter((file) => !importMeta.has(file));
    if ((newlyNative.length > 0 || newlyMeta.length > 0) && pass < MAX_PASSES) {
      // A package required a .node file its manifest did not announce: bundle again
      // with it external, so the bundle never holds a path into the driver's disk.
      forcedNative = new Map([...forcedNative, ...newlyNative]);
      // Modules that use import.meta: bundle again giving them their own (import-meta-plugin.ts).
      importMeta = new Set([...importMeta, ...newlyMeta]);
      continue;
    }
    return assemble(target, entry, root, result, state, ctx, started);
  }
}

async function runEsbuild(
  target: Target,
  entry: string,
  root: string,
  opts: ResolvedBundleOptions,
  found: { forcedNative: ReadonlyMap<string, string>; importMeta: ReadonlySet<string> },
  state: JobPluginState,
  ctx: MessageContext,
): Promise<BuildResult<{ metafile: true; write: false }>> {
  // The entry is a one-line re-export of the wanted export: esbuild then checks that
  // the export exists (a job without a default export fails here, with a clear
  // message) and tree-shakes everything else the module exports.
  const rel = relative(root, entry).split(sep).join('/');
  try {
    return await build({
      stdin: {
        contents: target.entrySource
          ? target.entrySource(JSON.stringify(`./${rel}`))
          : `export { ${target.exportName} } from ${JSON.stringify(`./${rel}`)};\n`,
        resolveDir: root,
        sourcefile: SYNTHETIC_ENTRY,
        loader: 'js',
      },
      absWorkingDir: root,
      outfile: join(root, OUT_NAME),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'external',
      sourcesContent: true,
      minify: opts.minify,
      metafile: true,
      write: false,
      logLevel: 'silent',
      // Binary assets cannot be inlined meaningfully; a .node file is handled by the plugin.
      plugins: [jobPlugin({ forcedNative: found.forcedNative, external: opts.external }, state), ...importMetaPlugin(found.importMeta)],
    });
  } catch (e) {
    const failure = e as Partial<BuildFailure>;
    if (!Array.isArray(failure.errors)) throw e;
    throw toBundleError(failure.errors, ctx);
  }
}

function toBundleError(errors: Message[], ctx: MessageContext): BundleError {
  const problems: BundleProblem[] = [];
  const seen = new Set<string>();
  for (const m of errors) {
    const p = toProblem(m, ctx);
    // esbuild reports the same unresolved import once per importing site; keep each site once.
    const key = `${p.kind}|${p.file}|${p.line}|${p.column}|${p.text}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  }
  if (problems.length > 0 && problems.every((p) => p.kind === 'disallowed-import')) {
    return DisallowedImportError.fromFields({ entry: ctx.entryDisplay, problems });
  }
  return BundleError.fromFields({ entry: ctx.entryDisplay, problems });
}

function assemble(
  target: Target,
  entry: string,
  root: string,
  result: BuildResult<{ metafile: true; write: false }>,
  state: JobPluginState,
  ctx: MessageContext,
  started: number,
): JobBundle {
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (!js || !map) throw new TsapplyError(`esbuild produced no ${js ? 'source map' : 'code'} for ${ctx.entryDisplay}`, { code: 'BUNDLE_FAILED' });
  const code = js.text;
  const sourceMap = trimSourceMap(map.text);
  const sha256 = createHash('sha256').update(code, 'utf8').update('\0').update(sourceMap, 'utf8').digest('hex');

  const natives = [...state.native.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const strip = ({ name, version, reason }: NativeAddon): NativeAddon => ({ name, version, reason });
  const warnings = result.warnings
    // Warnings inside dependencies are their authors' business and cannot be acted on here.
    .filter((w) => !w.location || !isInNodeModules(resolve(root, w.location.file)))
    .map((w) => formatWarning(w, ctx));

  return {
    kind: target.kind,
    entry,
    exportName: target.exportName,
    code,
    sourceMap,
    sourceRoot: root,
    sha256,
    bytes: Buffer.byteLength(code, 'utf8'),
    packages: packagesFromMetafile(result.metafile, root, root),
    nativeAddons: natives.filter((n) => !n.optional).map(strip),
    optionalNativeAddons: natives.filter((n) => n.optional).map(strip),
    warnings,
    buildMs: Math.round(performance.now() - started),
  };
}

/**
 * Drops `sourcesContent` of files inside node_modules: they are most of a map's size
 * (every file of a package esbuild looked at, even fully tree-shaken ones), and a
 * worker needs only positions to map a stack. The user's own sources keep their
 * content, so error reports can show the offending line.
 */
function trimSourceMap(text: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourcesContent?: (string | null)[] };
  if (!map.sourcesContent) return text;
  map.sourcesContent = map.sourcesContent.map((content, i) =>
    map.sources[i]!.split('/').includes('node_modules') ? null : content,
  );
  return JSON.stringify(map);
}

/** ` Did you mean examples/weather-stats.ts?` when a file beside a missing one has a close name (a typo), else ''. */
function nearbyFile(requested: string, cwd: string): string {
  const meant = fileNamedLike(requested);
  return meant === undefined ? '' : ` Did you mean ${displayPath(meant, cwd)}?`;
}
