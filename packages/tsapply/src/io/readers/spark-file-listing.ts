/**
 * Lists the files of a Spark file-source path the way Spark 4 does (`InMemoryFileIndex`,
 * `PartitioningAwareFileIndex`), for the `image` and `binaryFile` readers, and names them
 * as Spark does. Each rule below was checked against Spark 4.1.1.
 *
 * - The path may be a file, a directory, or a Hadoop glob (`data/*.png`, `{a,b}`); a glob
 *   matching nothing or a missing path is an error (Spark: `PATH_NOT_FOUND`).
 * - Names that start with `_` or `.` or end in `._COPYING_` are skipped (Spark's
 *   `shouldFilterOutPathName`; `_metadata`/`_common_metadata` and `_x=y` are kept) —
 *   also for a file given directly as the path.
 * - Without `recursiveFileLookup` only the files directly inside the directory are read;
 *   plain sub-folders are ignored. `key=value` sub-folders would become partition columns
 *   in Spark; the embedded engine does not infer partition columns and refuses such
 *   folders with a clear error instead of silently producing a different schema.
 * - With `recursiveFileLookup: true` every nested file is read (no partition columns).
 * - `pathGlobFilter` keeps files whose NAME matches a Hadoop glob.
 * - Files are returned in path order. (Spark orders rows by file size, largest first,
 *   within its read partitions; compare rows by `origin` / `path`, not by position.)
  */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { didYouMean } from '@tsapply/common';
import { InputError } from '../../errors.js';
import { missingInputError } from '../input-files.js';

export interface ListedFile {
  /** Absolute local path. */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** Modification time in whole milliseconds since the epoch (Hadoop's precision). */
  readonly modifiedMs: number;
}

export interface SparkListingOptions {
  /** Hadoop glob matched against file names. */
  readonly pathGlobFilter?: string;
  /** Read all nested files and infer no partition columns. @default false */
  readonly recursiveFileLookup?: boolean;
}

const GLOB_CHARS = /[*?[{\\]/;

/**
 * A Hadoop glob (`org.apache.hadoop.fs.GlobPattern`) as an anchored RegExp over one name:
 * `*`, `?`, `[abc]`, `[a-z]`, `[^a]` / `[!a]`, `{a,b}` (nestable), `\` escapes.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inSet = false;
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '\\') {
      const next = glob[++i];
      if (next === undefined) throw new Error(`Invalid glob "${glob}": it ends with a lone backslash.`);
      re += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      continue;
    }
    if (inSet) {
      if (ch === ']') inSet = false;
      re += ch === '\\' ? '\\\\' : ch;
      continue;
    }
    switch (ch) {
      case '*':
        re += '[^/]*';
        break;
      case '?':
        re += '[^/]';
        break;
      case '[':
        inSet = true;
        re += '[';
        if (glob[i + 1] === '!' || glob[i + 1] === '^') {
          re += '^';
          i++;
        }
        break;
      case '{':
        braces++;
        re += '(?:';
        break;
      case '}':
        if (braces === 0) throw new Error(`Invalid glob "${glob}": unmatched "}".`);
        braces--;
        re += ')';
        break;
      case ',':
        re += braces > 0 ? '|' : ',';
        break;
      default:
        re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  if (inSet) throw new Error(`Invalid glob "${glob}": unclosed "[".`);
  if (braces > 0) throw new Error(`Invalid glob "${glob}": unclosed "{".`);
  return new RegExp(`^${re}$`, 's');
}

/** Spark's `InMemoryFileIndex.shouldFilterOutPathName`. */
export function isHiddenName(name: string): boolean {
  const exclude = (name.startsWith('_') && !name.includes('=')) || name.startsWith('.') || name.endsWith('._COPYING_');
  const include = name.startsWith('_common_metadata') || name.startsWith('_metadata');
  return exclude && !include;
}

/**
 * URL-encoded `file:` URI of a local path as Spark 4 gives it in the image `origin`
 * (`file:///data/sub%20dir/a.png`): characters that are illegal in a URI path are
 * percent-encoded as UTF-8 (space → `%20`, `%` → `%25`, `#` → `%23`, as
 * `java.net.URI` quotes them), non-ASCII letters are kept.
 */
export function toFileUri(absPath: string): string {
  let out = 'file://';
  for (const ch of absPath.split(sep).join('/')) {
    const cp = ch.codePointAt(0)!;
    if (/[A-Za-z0-9\-_.!~*'()/,;:$&+=@]/.test(ch) || (cp > 0x7f && !/[\p{Cc}\p{Z}]/u.test(ch))) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * `file:` form of a local path as Hadoop's `Path.toString()` prints it, Spark's binaryFile
 * `path` (`file:/data/sub dir/a.png`): one slash, not encoded.
 */
export function toFilePathString(absPath: string): string {
  return `file:${absPath.split(sep).join('/')}`;
}

async function expandGlob(absPattern: string, format: string): Promise<string[]> {
  // Expand segment by segment from the first one that holds a glob character.
  const parts = absPattern.split(sep);
  let bases = [parts[0] === '' ? sep : parts[0]!];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const next: string[] = [];
    if (!GLOB_CHARS.test(part)) {
      for (const b of bases) next.push(join(b, part));
    } else {
      const re = globToRegExpFor(part, format);
      for (const b of bases) {
        let names: string[];
        try {
          names = await readdir(b);
        } catch {
          continue;
        }
        for (const n of names.sort()) if (re.test(n)) next.push(join(b, n));
      }
    }
    bases = next;
  }
  const existing: string[] = [];
  for (const p of bases) {
    try {
      await stat(p);
      existing.push(p);
    } catch {
      // A literal segment after a glob may not exist under every match.
    }
  }
  return existing;
}

function globToRegExpFor(glob: string, format: string, option?: string): RegExp {
  try {
    return globToRegExp(glob);
  } catch (e) {
    throw new InputError(`${option ? `Invalid ${format} option ${option}: ` : `Invalid ${format} input path: `}${(e as Error).message}`, { format });
  }
}

async function walk(dir: string, recursive: boolean, out: string[], partitionDirs: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (isHiddenName(e.name)) continue;
    const p = join(dir, e.name);
    let kind: 'dir' | 'file' | undefined = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : undefined;
    if (e.isSymbolicLink()) {
      const s = await stat(p).catch(() => undefined);
      kind = s?.isDirectory() ? 'dir' : s?.isFile() ? 'file' : undefined;
    }
    if (kind === 'file') out.push(p);
    else if (kind === 'dir') {
      if (recursive) await walk(p, true, out, partitionDirs);
      else if (e.name.includes('=')) partitionDirs.push(p);
    }
  }
}

/** The files a Spark file source reads for `absPath` with `options`, in path order. */
export async function listSparkFiles(absPath: string, format: string, options: SparkListingOptions): Promise<ListedFile[]> {
  const nameFilter = options.pathGlobFilter === undefined ? undefined : globToRegExpFor(options.pathGlobFilter, format, 'pathGlobFilter');
  const recursive = options.recursiveFileLookup === true;
  let roots: string[];
  if (GLOB_CHARS.test(absPath)) {
    roots = await expandGlob(absPath, format);
    if (roots.length === 0) {
      throw new InputError(`Cannot read ${format} input: no path matches the glob "${absPath}" (Spark: PATH_NOT_FOUND).`, {
        path: absPath,
        format,
      });
    }
  } else {
    try {
      await stat(absPath);
    } catch (e) {
      throw missingInputError(absPath, format, e);
    }
    roots = [absPath];
  }

  const files: string[] = [];
  const partitionDirs: string[] = [];
  for (const root of roots) {
    const s = await stat(root);
    if (s.isDirectory()) await walk(root, recursive, files, partitionDirs);
    else if (s.isFile() && !isHiddenName(basename(root))) files.push(root);
  }
  if (partitionDirs.length > 0) {
    const dir = partitionDirs.sort()[0]!;
    const name = basename(dir);
    throw new InputError(
      `Cannot read ${format} input "${absPath}": folder "${name}" (${dir}) is a partition folder (key=value). ` +
        `Spark would read it into a partition column "${name.slice(0, name.indexOf('='))}"; the embedded engine does not infer partition columns. ` +
        `Set options.recursiveFileLookup: true to read nested folders as plain folders (on both engines).`,
      { path: absPath, format },
    );
  }

  const selected = nameFilter ? files.filter((f) => nameFilter.test(basename(f))) : files;
  const listed: ListedFile[] = [];
  for (const path of [...new Set(selected)].sort()) {
    const s = await stat(path, { bigint: true });
    listed.push({ path, bytes: Number(s.size), modifiedMs: Number(s.mtimeNs / 1_000_000n) });
  }
  return listed;
}

/**
 * Spark data source options as Spark reads them: keys are case-insensitive, booleans may
 * be given as `true` or as the strings `'true'` / `'false'`. Unknown keys are refused,
 * with `refused` explaining options Spark knows but ignores for this source.
 */
export function parseSourceOptions(
  format: string,
  options: Record<string, unknown> | undefined,
  known: Record<string, 'boolean' | 'string'>,
  refused: Record<string, string> = {},
): Record<string, boolean | string | undefined> {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new InputError(`input.options for format "${format}" must be an object, got ${Array.isArray(options) ? 'an array' : String(options)}.`, { format });
  }
  const byLower = new Map(Object.keys(known).map((k) => [k.toLowerCase(), k]));
  const refusedByLower = new Map(Object.entries(refused).map(([k, why]) => [k.toLowerCase(), why]));
  const out: Record<string, boolean | string | undefined> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    const why = refusedByLower.get(key.toLowerCase());
    if (why !== undefined) throw new InputError(`Unsupported ${format} input option "${key}": ${why}`, { format });
    const name = byLower.get(key.toLowerCase());
    if (name === undefined) {
      throw new InputError(`Unknown ${format} input option "${key}".${didYouMean(key, Object.keys(known))} Valid options: ${Object.keys(known).join(', ')}.`, { format });
    }
    if (value === undefined) continue;
    if (known[name] === 'boolean') {
      const b = typeof value === 'string' ? ({ true: true, false: false } as Record<string, boolean>)[value.toLowerCase()] : value;
      if (typeof b !== 'boolean') {
        throw new InputError(`${format} input option "${key}" must be true or false, got ${JSON.stringify(value)}.`, { format });
      }
      out[name] = b;
    } else {
      if (typeof value !== 'string') {
        throw new InputError(`${format} input option "${key}" must be a string, got ${JSON.stringify(value)}.`, { format });
      }
      out[name] = value;
    }
  }
  return out;
}
