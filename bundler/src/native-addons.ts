/**
 * Native addon detection: does an installed npm package need a compiled `.node`
 * binary? Such a package cannot be inlined into a bundle (esbuild cannot bundle
 * machine code, and the binary is built for the driver's OS/CPU), so the bundler keeps
 * it external and reports it. Detection reads only the package's manifest and a few
 * well-known folders; it never runs the package's code.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NativeAddonError, type NativeAddon } from './errors.js';
import { isDirectory, isFile, type PackageInfo } from './package-info.js';

/** Packages whose only job is to locate and load a `.node` binary at run time. */
const BINARY_LOADERS = [
  'node-gyp-build',
  'node-gyp-build-optional-packages',
  'prebuild-install',
  'bindings',
  '@mapbox/node-pre-gyp',
  'node-pre-gyp',
  '@neon-rs/load',
];

const PLATFORMS = ['linux', 'darwin', 'win32', 'windows', 'freebsd', 'android', 'openharmony', 'sunos', 'aix'];
const ARCHES = ['x64', 'arm64', 'ia32', 'arm', 's390x', 'ppc64', 'riscv64', 'loong64', 'universal', 'x86_64', 'aarch64'];

/**
 * A napi-rs / prebuildify style platform package name, e.g. `lz4-napi-linux-x64-gnu`
 * or `@msgpackr-extract/msgpackr-extract-darwin-arm64`: it names an OS and a CPU.
 */
function isPlatformPackageName(name: string): boolean {
  const tokens = name.toLowerCase().split(/[-/_.@]/);
  return tokens.some((t) => PLATFORMS.includes(t)) && tokens.some((t) => ARCHES.includes(t));
}

/** `.node` files directly in `dir`, sorted. */
function nodeFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.node'))
      .sort();
  } catch {
    return [];
  }
}

const reasonCache = new Map<string, string | null>();

/**
 * Why `pkg` is a native addon package, or undefined when it looks like plain
 * JavaScript. The first matching rule wins, checked from the most to the least direct
 * evidence; the result is cached per package folder.
 */
export function nativeAddonReason(pkg: PackageInfo): string | undefined {
  let reason = reasonCache.get(pkg.dir);
  if (reason === undefined) {
    reason = detect(pkg) ?? null;
    reasonCache.set(pkg.dir, reason);
  }
  return reason ?? undefined;
}

function detect(pkg: PackageInfo): string | undefined {
  const { json, dir } = pkg;
  if (typeof json.main === 'string' && json.main.endsWith('.node')) return `its entry point ${json.main} is a .node binary`;
  const shipped = [
    ...nodeFilesIn(dir),
    ...nodeFilesIn(join(dir, 'build', 'Release')).map((f) => `build/Release/${f}`),
  ];
  if (shipped.length > 0) return `ships the .node binary ${shipped[0]}`;
  if (isDirectory(join(dir, 'prebuilds'))) return 'ships prebuilt .node binaries in prebuilds/';
  if (json.gypfile === true || isFile(join(dir, 'binding.gyp'))) return 'builds a .node addon with node-gyp from binding.gyp';
  const deps = { ...json.dependencies, ...json.optionalDependencies };
  const loader = BINARY_LOADERS.find((l) => l in deps);
  if (loader) return `loads a .node binary through ${loader}`;
  const platformPackages = Object.keys(json.optionalDependencies ?? {}).filter(isPlatformPackageName).sort();
  if (platformPackages.length > 0) {
    // Named by their common prefix, so the text is the same on every OS.
    const n = platformPackages.length;
    return `ships a .node binary in ${n} per-platform package${n === 1 ? '' : 's'} ${commonPrefix(platformPackages)}*`;
  }
  if (json.napi !== undefined) return 'is a napi-rs .node addon';
  if (typeof json.scripts?.install === 'string' && /node-gyp|prebuild|node-pre-gyp/.test(json.scripts.install)) {
    return `builds a .node binary on install: "${json.scripts.install}"`;
  }
  return undefined;
}

function commonPrefix(names: string[]): string {
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** How a native addon entered the bundle, as recorded while bundling. */
export interface DetectedNativeAddon extends NativeAddon {
  /**
   * True when every import of it came from a package that declares it optional
   * (`optionalDependencies`, or an optional peer): such packages load it inside a
   * try/catch and fall back to JavaScript (msgpackr → msgpackr-extract), so the job
   * still works where the binary is absent.
   */
  optional: boolean;
}

/**
 * Throws one `NativeAddonError` naming every (non-optional) native addon of the
 * bundle, e.g. before shipping it to Spark executors, which only receive the bundle.
 * `where` completes "cannot be bundled and shipped to …".
 */
export function assertNoNativeAddons(bundle: { nativeAddons: readonly NativeAddon[] }, where = 'Spark executors'): void {
  if (bundle.nativeAddons.length > 0) {
    throw NativeAddonError.fromFields({ addons: bundle.nativeAddons.map(({ name, version, reason }) => ({ name, version, reason })), where });
  }
}
