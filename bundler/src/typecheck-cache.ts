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
 *
 * The tsconfig.json the check used is part of the record in two ways: every config
 * file TypeScript read to choose and parse it (the nearest ones, their `extends`
 * chains, referenced projects) is stamped like the job's files, and the tsconfig.json
 * files found walking up from the job are listed — so editing, adding or removing one
 * (a new tsconfig.json nearer the job) means a fresh check.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cacheDir, writePrivateFile } from '@tsapply/common';
import { tsconfigsAbove, type JobTsconfig, type TsconfigChoice } from './tsconfig.js';

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

/** Bumped when the record's meaning changes, so older records are simply not trusted. */
const RECORD_FORMAT = 2;

interface TypecheckRecord {
  format: number;
  compiler: string;
  entry: string;
  /** The tsconfig.json used (null: tsapply's defaults) and the solution-style ones passed over. */
  tsconfig: string | null;
  skipped: string[];
  /** The tsconfig.json files the walk up from the job looked at (see JobTsconfig.walked). */
  walked: string[];
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

/** The same tsconfig.json files on the walk up from `entry` as when `record` was made. */
function sameWalk(entry: string, record: TypecheckRecord): boolean {
  const now = tsconfigsAbove(dirname(entry));
  // With a choice, only the files up to it mattered; without one, every file above.
  const relevant = record.tsconfig === null ? now : now.slice(0, record.walked.length);
  return relevant.length === record.walked.length && relevant.every((p, i) => p === record.walked[i]);
}

/**
 * When `entry` type-checked before and none of the files that check read has changed
 * (its tsconfig.json files included), the tsconfig choice it was checked with; else
 * undefined.
 */
export function cachedTypecheck(entry: string): TsconfigChoice | undefined {
  let record: TypecheckRecord;
  try {
    record = JSON.parse(readFileSync(recordPath(entry), 'utf8')) as TypecheckRecord;
  } catch {
    return undefined;
  }
  if (record.format !== RECORD_FORMAT || record.compiler !== typescriptVersion() || record.entry !== entry) return undefined;
  if (!Array.isArray(record.files) || !Array.isArray(record.walked) || !Array.isArray(record.skipped)) return undefined;
  const unchanged = record.files.every((f) => {
    const now = stamp(f.path);
    return now !== undefined && now.size === f.size && now.mtimeMs === f.mtimeMs;
  });
  if (!unchanged || !sameWalk(entry, record)) return undefined;
  return { tsconfig: record.tsconfig ?? undefined, skipped: record.skipped };
}

/**
 * Records a successful check of `entry` over `files` (every file the program read)
 * with `config` (the tsconfig.json choice and the config files read to make it).
 */
export function recordTypecheckSuccess(entry: string, files: readonly string[], config: JobTsconfig): void {
  const stamps = [...new Set([...files, ...config.files])].map(stamp);
  if (stamps.some((s) => s === undefined)) return; // a file vanished meanwhile: don't trust this run
  const record: TypecheckRecord = {
    format: RECORD_FORMAT,
    compiler: typescriptVersion(),
    entry,
    tsconfig: config.tsconfig ?? null,
    skipped: config.skipped,
    walked: config.walked,
    files: stamps as FileStamp[],
  };
  const path = recordPath(entry);
  try {
    writePrivateFile(path, JSON.stringify(record));
  } catch {
    // The cache is an optimisation; a read-only cache folder must not fail the run.
  }
}
