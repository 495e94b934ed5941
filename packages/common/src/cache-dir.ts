/** Where tsapply keeps cached payloads, bundles and managed tools. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$TSAPPLY_CACHE_DIR` when set (resolved to an absolute path), else `~/.cache/tsapply`. Not created here. */
export function cacheDir(): string {
  const fromEnv = process.env.TSAPPLY_CACHE_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  return join(homedir(), '.cache', 'tsapply');
}
