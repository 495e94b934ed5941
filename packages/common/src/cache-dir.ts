/** Where tsapply keeps cached payloads, bundles and managed tools. */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** `$TSAPPLY_CACHE_DIR` when set (resolved to an absolute path), else `~/.cache/tsapply`. Not created here. */
export function cacheDir(): string {
  const fromEnv = process.env.TSAPPLY_CACHE_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  return join(homedir(), '.cache', 'tsapply');
}

/**
 * The cache holds the user's code (payloads, bundles) and tools tsapply runs (Node
 * runtimes it ships): only the user may read or change it. Folders tsapply creates in it
 * are 0700 and its files 0600 (executables 0700).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) readable by the user only; an existing `dir` is made so too. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Writes `data` to `path` readable by the user only, under a temporary name renamed into
 * place, so a reader never sees half a file.
 */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
