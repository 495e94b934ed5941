/**
 * The self-contained Node worker script shipped to Spark executors.
 *
 * esbuild bundles `@tsapply/worker-runtime`'s stdio process entry (`process/main`)
 * with everything it imports — apache-arrow, msgpackr, lz4js, the source-map reader —
 * into ONE CommonJS file. Nothing from `node_modules` is needed on an executor and
 * nothing depends on the driver's platform: native accelerators (`lz4-napi`,
 * `msgpackr-extract`) are left external, and both libraries fall back to pure JS when
 * `require` cannot find them. So a driver on macOS can run jobs on Linux executors.
 *
 * The file is named by its content hash (`tsapply-worker-<16 hex>.cjs`, `.cjs` so
 * Node runs it as CommonJS wherever it lands) and cached in
 * `cacheDir()/worker-bundles/`, next to an external source map for our own debugging
 * (the map is not shipped). Building takes a few hundred milliseconds and happens at
 * most once per driver process.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { cacheDir, readOptions, TsapplyError, writePrivateFile } from '@tsapply/common';

export interface WorkerBundle {
  /** `tsapply-worker-<16 hex>.cjs`: the artifact name under `files/` on Spark. */
  fileName: string;
  /** The script itself. */
  bytes: Uint8Array;
  /** sha256 hex of `bytes` (the shim verifies it before running the file). */
  sha256: string;
  /** Absolute path of the cached copy (runnable with `node <path>`). */
  path: string;
  /** Absolute path of its source map (not shipped). */
  sourceMapPath: string;
}

export interface WorkerBundleOptions {
  /** Folder to cache bundles in. @default join(cacheDir(), 'worker-bundles') */
  cacheDir?: string;
}

/** Packages with native binaries: never bundled; their users fall back to pure JS without them. */
const NATIVE_EXTERNALS = ['lz4-napi', '@antoniomuso/lz4-napi-*', 'msgpackr-extract', '@msgpackr-extract/*', '*.node'];

/**
 * Pure-JS packages that `@tsapply/common` loads lazily through `createRequire(import.meta.url)`
 * (the LZ4 and zstd fallbacks). esbuild cannot see through `createRequire`, so without
 * help they would be missing on executors; `lazyRequirePlugin` bundles them.
 */
const LAZY_PURE_JS = ['lz4js', 'fzstd'];

const memo = new Map<string, Promise<WorkerBundle>>();

/** Builds (or reuses) the worker bundle. Rejects with esbuild's messages when bundling fails. */
export function buildWorkerBundle(options: WorkerBundleOptions = {}): Promise<WorkerBundle> {
  let dir: string;
  try {
    dir = readOptions('buildWorkerBundle()', options, ['cacheDir']).string('cacheDir', 'a folder path') ?? join(cacheDir(), 'worker-bundles');
  } catch (e) {
    return Promise.reject(e);
  }
  let pending = memo.get(dir);
  if (pending === undefined) {
    pending = build(dir);
    memo.set(dir, pending);
    pending.catch(() => memo.delete(dir));
  }
  return pending;
}

/** Absolute path of the compiled stdio entry inside the installed `@tsapply/worker-runtime`. */
export function workerEntryPath(): string {
  const require = createRequire(import.meta.url);
  // The package's exports map hides package.json, so find its folder via the lookup paths.
  for (const base of require.resolve.paths('@tsapply/worker-runtime') ?? []) {
    const entry = join(base, '@tsapply', 'worker-runtime', 'dist', 'process', 'main.js');
    if (existsSync(entry)) return entry;
  }
  throw new TsapplyError(
    "Cannot find @tsapply/worker-runtime's dist/process/main.js. Install tsapply's dependencies " +
      '(npm install) and build it (npm run build) before running on Spark.',
    { code: 'INSTALL_INCOMPLETE' },
  );
}

async function build(dir: string): Promise<WorkerBundle> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [workerEntryPath()],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    // Error classes name themselves from the constructor (`new.target.name`): keep names.
    keepNames: true,
    legalComments: 'none',
    sourcemap: 'external',
    outfile: 'tsapply-worker.cjs',
    write: false,
    logLevel: 'silent',
    external: NATIVE_EXTERNALS,
    plugins: [lazyRequirePlugin()],
    // ESM sources use import.meta.url; in a CommonJS bundle it is the script's own URL.
    define: { 'import.meta.url': '__tsapplyImportMetaUrl' },
    banner: { js: 'var __tsapplyImportMetaUrl=require("url").pathToFileURL(__filename).href;' },
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.cjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (code === undefined || map === undefined) throw new TsapplyError('esbuild produced no worker bundle output.', { code: 'WORKER_BUNDLE' });
  const bytes = code.contents;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = `tsapply-worker-${sha256.slice(0, 16)}.cjs`;
  const path = join(dir, fileName);
  const sourceMapPath = `${path}.map`;
  if (!existsSync(path)) {
    writePrivateFile(sourceMapPath, map.contents);
    writePrivateFile(path, bytes);
  }
  return { fileName, bytes, sha256, path, sourceMapPath };
}

/**
 * Gives `@tsapply/common`'s modules a `node:module` whose `createRequire()` returns a
 * require that serves `LAZY_PURE_JS` packages from the bundle (statically required here,
 * so esbuild includes them) and defers everything else — native addons, optional
 * packages — to Node's real resolution at run time, where their absence is handled.
 */
function lazyRequirePlugin(): Plugin {
  const NAMESPACE = 'tsapply-lazy-require';
  const isCommon = (path: string): boolean => /[\\/](?:@tsapply[\\/]common|packages[\\/]common)[\\/]/.test(path);
  return {
    name: 'tsapply-lazy-require',
    setup(build) {
      build.onResolve({ filter: /^(?:node:)?module$/ }, (args) => {
        if (args.namespace === NAMESPACE || !isCommon(args.importer)) return undefined;
        return { path: 'node:module', namespace: NAMESPACE, pluginData: { resolveDir: dirname(args.importer) } };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const resolveDir = (args.pluginData as { resolveDir: string }).resolveDir;
        const fromCommon = createRequire(join(resolveDir, 'index.js'));
        const available = LAZY_PURE_JS.filter((name) => {
          try {
            fromCommon.resolve(name);
            return true;
          } catch {
            return false;
          }
        });
        const table = available.map((n) => `${JSON.stringify(n)}: () => require(${JSON.stringify(n)})`).join(',\n  ');
        const contents = `const real = require('node:module');
const bundled = {
  ${table}
};
function createRequire(from) {
  const req = real.createRequire(from);
  const wrapped = (id) => (Object.prototype.hasOwnProperty.call(bundled, id) ? bundled[id]() : req(id));
  wrapped.resolve = req.resolve;
  wrapped.cache = req.cache;
  return wrapped;
}
module.exports = { ...real, createRequire };
`;
        return { contents, loader: 'js', resolveDir };
      });
    },
  };
}
