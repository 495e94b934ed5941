/**
 * Remembers that a job type-checked, so the next `tsapply run` of an unchanged job
 * skips the compiler (about 2–4 s on a cold process, most of it parsing declaration
 * files such as apache-arrow's).
 *
 * A record is kept per entry file under `cacheDir()/typecheck/`, listing every file
 * the TypeScript program read (the job, the modules it imports — type-only imports
 * included, which esbuild erases and a bundle hash would miss — and every declaration
 * file) with its size and mtime. The record is trusted only while every one of those
 * files is unchanged and the compiler version is the same; any doubt means a fresh
 * check. Only successes are recorded: failures are always re-checked and re-reported.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir } from '@tsapply/common';

/**
 * The installed compiler's version, read from its package.json: importing `typescript`
 * itself costs about 0.5 s, which a cache hit exists to avoid.
 */
let compilerVersion: string | undefined;
function typescriptVersion(): string {
  compilerVersion ??= (createRequire(import.meta.url)('typescript/package.json') as { version: string }).version;
  return compilerVersion;
}

interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

interface TypecheckRecord {
  compiler: string;
  entry: string;
  files: FileStamp[];
}

function recordPath(entry: string): string {
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 32);
  return join(cacheDir(), 'typecheck', `${key}.json`);
}

function stamp(path: string): FileStamp | undefined {
  try {
    const s = statSync(path);
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

/** True when `entry` type-checked before and none of the files that check read has changed. */
export function typecheckIsCached(entry: string): boolean {
  let record: TypecheckRecord;
  try {
    record = JSON.parse(readFileSync(recordPath(entry), 'utf8')) as TypecheckRecord;
  } catch {
    return false;
  }
  if (record.compiler !== typescriptVersion() || record.entry !== entry || !Array.isArray(record.files)) return false;
  return record.files.every((f) => {
    const now = stamp(f.path);
    return now !== undefined && now.size === f.size && now.mtimeMs === f.mtimeMs;
  });
}

/** Records a successful check of `entry` over `files` (every file the program read). */
export function recordTypecheckSuccess(entry: string, files: readonly string[]): void {
  const stamps = files.map(stamp);
  if (stamps.some((s) => s === undefined)) return; // a file vanished meanwhile: don't trust this run
  const record: TypecheckRecord = { compiler: typescriptVersion(), entry, files: stamps as FileStamp[] };
  const path = recordPath(entry);
  try {
    mkdirSync(join(cacheDir(), 'typecheck'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, path);
  } catch {
    // The cache is an optimisation; a read-only cache folder must not fail the run.
  }
}
