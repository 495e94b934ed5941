/**
 * Resolves an input path to the files to read: a single file, or a directory of part
 * files as Spark (and tsapply) write them (`part-00000.csv`, … beside `_SUCCESS`).
 * Hidden files (`.x`) and Spark's bookkeeping files (`_SUCCESS`, `_committed_…`) are
 * skipped; files are read in name order so a dataset is read back in written order.
 */
import { readdir, stat, access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNamedLike } from '@tsapply/common';
import { InputError } from '../errors.js';
import type { FileVersion } from './input-split.js';

export interface InputFile {
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** Last modification, ms since the epoch: with `bytes`, how a worker tells the file has not changed since. */
  readonly mtimeMs: number;
}

/** The size and modification time a split carries, so a worker can tell the file has not changed. */
export function fileVersion(file: InputFile): FileVersion {
  return { bytes: file.bytes, mtimeMs: file.mtimeMs };
}

/** Extensions recognised as data files of each format inside a directory. */
const EXTENSIONS: Record<string, readonly string[]> = {
  csv: ['.csv', '.txt', '.tsv'],
  jsonl: ['.jsonl', '.json', '.ndjson'],
  json: ['.json'],
  parquet: ['.parquet'],
  arrow: ['.arrow', '.feather', '.arrows', '.ipc'],
};

export async function listInputFiles(absPath: string, format: string): Promise<InputFile[]> {
  let info;
  try {
    info = await stat(absPath);
  } catch (e) {
    throw missingInputError(absPath, format, e);
  }
  if (info.isFile()) {
    await checkReadable(absPath, format);
    return [{ path: absPath, bytes: info.size, mtimeMs: info.mtimeMs }];
  }
  if (!info.isDirectory()) {
    throw new InputError(`Cannot read ${format} input "${absPath}": it is neither a file nor a directory.`, {
      path: absPath,
      format,
    });
  }
  const exts = EXTENSIONS[format] ?? [];
  const names = (await readdir(absPath))
    .filter((n) => !n.startsWith('.') && !n.startsWith('_'))
    .filter((n) => exts.some((ext) => n.toLowerCase().endsWith(ext)))
    .sort();
  if (names.length === 0) {
    throw new InputError(
      `Cannot read ${format} input "${absPath}": the directory holds no ${format} files ` +
        `(looked for names ending in ${exts.join(', ')}).`,
      { path: absPath, format },
    );
  }
  const files: InputFile[] = [];
  for (const name of names) {
    const path = join(absPath, name);
    const s = await stat(path);
    if (!s.isFile()) continue;
    await checkReadable(path, format);
    files.push({ path, bytes: s.size, mtimeMs: s.mtimeMs });
  }
  return files;
}

async function checkReadable(path: string, format: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (e) {
    throw new InputError(`Cannot read ${format} input "${path}": ${describeFsError(e)}.`, { path, format }, { cause: e });
  }
}

/**
 * An input path that cannot be read (`e` from stat), with what to check: the file beside
 * it with a close name (a typo), and where a relative path was read from. A job file's
 * paths and an inline job's are both read from the folder of the file the job is written in.
 */
export function missingInputError(absPath: string, format: string, e: unknown): InputError {
  const meant = fileNamedLike(absPath);
  return new InputError(
    `Cannot read ${format} input "${absPath}": ${describeFsError(e)}.${meant === undefined ? '' : ` Did you mean ${meant}?`} ` +
      'Check input.path (a relative path is read from the folder of the file the job is written in).',
    { path: absPath, format },
    { cause: e },
  );
}

/** `ENOENT` → `no such file or directory`, keeping the errno code for searchability. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err?.message ?? String(e);
  }
}
