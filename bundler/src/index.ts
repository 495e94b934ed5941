/**
 * `@tsapply/bundler` — turns a user's TypeScript job into one self-contained
 * CommonJS script plus a source map, and reports what went into it. Driver-only:
 * workers never import this package.
 *
 * ```ts
 * import { bundleJob, assertNoNativeAddons, assertTypechecks } from '@tsapply/bundler';
 *
 * await assertTypechecks('examples/weather.ts');       // TypecheckError: file:line:col for each error
 * const bundle = await bundleJob('examples/weather.ts'); // BundleError / DisallowedImportError
 * console.log(bundle.sha256, bundle.bytes, bundle.packages); // [{ name: 'date-fns', version: '4.4.0', bytes: 44731 }]
 * assertNoNativeAddons(bundle, 'Spark executors');      // NativeAddonError naming every native package
 * ```
 *
 * ## What a bundle is
 * - `code` is a CommonJS module body for Node 20 (esbuild: platform node, target
 *   node20, format cjs, no top-level await). Evaluate it with the five CommonJS
 *   parameters (`exports, require, module, __filename, __dirname`), e.g.
 *   `vm.compileFunction(code, [...params], { filename })`, which adds no wrapper line,
 *   so stack positions are the bundle's own. Its only export is
 *   `module.exports[bundle.exportName]` (`default` for jobs and serializers).
 * - `import … from 'tsapply'` (and `'tsapply/job'`) inside a job is aliased to
 *   `@tsapply/common/job-api` (`defineJob` and other worker-safe helpers), so bundles
 *   stay small and never contain the driver. Driver-only modules (`esbuild`,
 *   `@grpc/grpc-js`, `piscina`, `@tsapply/bundler`, `@tsapply/spark-connect`,
 *   `@tsapply/spark-local`, other `tsapply/…` entry points) are refused at bundle
 *   time with one `DisallowedImportError` listing each import with file:line:col.
 * - External at run time (resolved by the evaluator's `require`): Node built-ins,
 *   packages with native addons, and `options.external`. Locally, give the bundle
 *   `createRequire(bundle.entry)` so they resolve like the job's own imports.
 * - `packages` lists every npm package inlined (name, version, bytes after
 *   tree-shaking); `nativeAddons` the native packages the job needs (kept external);
 *   `optionalNativeAddons` native packages that their importer declares optional
 *   (msgpackr → msgpackr-extract) and loads in a try/catch — they never block.
 *
 * ## Source paths (the contract with the worker runtime)
 * The source map's `sources` are POSIX paths RELATIVE TO `bundle.sourceRoot`: the
 * nearest folder at or above the entry that holds a package.json (the project root;
 * else the entry's own folder). Examples: `examples/weather.ts`,
 * `node_modules/date-fns/format.js`, `packages/common/src/job-definition.ts` (the
 * job API, through its own source map), and `__tsapply_entry__.js` (a one-line
 * synthetic entry with no user code). The map's own `sourceRoot` field is empty, and
 * `sourcesContent` holds the project's files (null for node_modules files).
 * A worker maps a bundle position `(line, column)` (1-based, as in V8 stacks) with
 * `originalPositionFor({ line, column: column - 1 })` and reports
 * `${source}:${line}:${column + 1}` with `source` AS WRITTEN — that is exactly the
 * path a user sees when running from the project root (`examples/weather.ts:12:7`).
 * The driver, which knows `sourceRoot`, may re-relativise for another cwd:
 * `path.relative(cwd, path.resolve(bundle.sourceRoot, source))`.
 * Because every path is relative, `code`, `sourceMap` and `sha256` do not depend on
 * where the project is checked out, and the same job bundled twice has the same
 * `sha256`.
 *
 * ## Type-check
 * `typecheckJob` / `assertTypechecks` check a job with the user's nearest tsconfig.json
 * (`tsconfig.ts` explains which one; `onConfig` reports it), else tsapply's strict
 * defaults. A missing declaration file (TS7016) never fails a check; a tsconfig.json
 * TypeScript rejects is a `TsconfigError` naming the file.
 *
 * ## Errors
 * All extend `TsapplyError` from `@tsapply/common`. `BundleError` lists every problem
 * esbuild found (syntax errors, missing modules with the `npm install` to run, a
 * missing default export, top-level await) as `file:line:col: ERROR: …` with the
 * source line and a caret; `problems` carries them as data.
 *
 * Measured on this shared 2-core machine: bundling a job that uses date-fns and
 * simple-statistics takes ~450 ms in a fresh process and ~270 ms warm; a job using
 * only 'tsapply' ~30 ms warm. `typecheckJob` costs 2–4.5 s for the first job in a
 * process (parsing ~290 declaration files, 3.1 MB, mostly apache-arrow's, which the
 * job types reference, plus lib and @types/node) and 0.35–0.9 s afterwards, because
 * declaration files are cached per process.
 */
export { bundleJob, bundleEntrySource, bundleGeneratedEntry, bundleModuleFunction, bundleSerializerModule } from './bundle-job.js';
export type { JobBundle, BundleKind } from './bundle-job.js';
export type { BundleOptions } from './bundle-options.js';
export type { BundledPackage } from './dependencies.js';
export { assertNoNativeAddons } from './native-addons.js';
export { importMetaOf } from './import-meta-plugin.js';
export { formatBundleReport, formatBytes } from './bundle-report.js';
export type { BundleReportOptions } from './bundle-report.js';
export { typecheckJob, assertTypechecks } from './typecheck.js';
export type { TypecheckOptions } from './typecheck.js';
export type { TsconfigChoice } from './tsconfig.js';
export {
  BundleError,
  DisallowedImportError,
  NativeAddonError,
  TypecheckError,
  TsconfigError,
  DISALLOWED_MODULES,
  formatProblem,
  formatDiagnostic,
} from './errors.js';
export type { BundleProblem, BundleProblemKind, NativeAddon, Diagnostic } from './errors.js';
