/**
 * Where a job's results go, resolved once for both engines: path, format and mode.
 *
 * The path comes from `options.output` (relative to the current folder) or the job's
 * `output.path` (relative to the job file). Writing replaces the target directory as
 * a whole (and `overwrite` deletes what was there), so a path that would take
 * something precious with it is refused on every engine, with or without overwrite:
 * the filesystem root, the home folder, the current folder or one of its parents,
 * the job's own folder or one of its parents, and the input or one of its parents.
 *
 * A URI with a scheme (`s3a://…`, `hdfs://…`) names the cluster's storage: Spark
 * writes it as given; the embedded engine cannot and says so.
 */
import { homedir } from 'node:os';
import { dirname, extname, isAbsolute, parse, relative, resolve } from 'node:path';
import type { InputSpec, OutputFormat, OutputSpec } from '@tsapply/common';
import { InvalidOptionError, OutputError } from '../errors.js';
import { OUTPUT_FORMATS } from '../io/output-formats.js';

export interface OutputTarget {
  /** Absolute local path, or the URI as given (`remote: true`). */
  path: string;
  format: OutputFormat;
  mode: 'error' | 'overwrite';
  /** True for a URI with a scheme other than file: (only Spark can write there). */
  remote: boolean;
}

export interface OutputRequest {
  /** `options.output` / `--output`: relative to `cwd`. */
  output: string | undefined;
  /** `options.format` / `--format`. */
  format: OutputFormat | undefined;
  /** `options.overwrite` / `--overwrite`. */
  overwrite: boolean;
  /** The job's `output`, relative to the job file's folder. */
  jobOutput: OutputSpec | undefined;
  /** The job's `input` (its path must survive the run). */
  input: InputSpec;
  /** Absolute path of the job file (or of the module that defines the function). */
  jobFile: string;
  cwd: string;
  /** Which engine writes: the embedded engine writes local paths only. */
  engine: 'local' | 'spark';
}

const URI = /^([a-z][a-z0-9+.-]*):\/\//i;

function formatFromPath(path: string): OutputFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return OUTPUT_FORMATS.find((f) => f === ext);
}

/** True when `dir` is `path` itself or one of its parents. */
function containsOrIs(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The local input paths a job reads (none for range, rows and functions). */
function inputPaths(input: InputSpec, baseDir: string): string[] {
  if (typeof input !== 'object' || input === null || !('path' in input) || typeof input.path !== 'string') return [];
  return URI.test(input.path) && !input.path.startsWith('file:') ? [] : [resolve(baseDir, input.path.replace(/^file:\/\//, ''))];
}

/**
 * Why writing to `path` would destroy something, or undefined when it is safe. A path
 * that IS a precious folder is named as such before one that merely contains one.
 */
function unsafeBecause(path: string, req: OutputRequest): string | undefined {
  if (path === parse(path).root) return 'it is the root of the file system';
  if (path === homedir()) return 'it is your home folder';
  const jobDir = dirname(req.jobFile);
  const precious: [string, string, string][] = [
    [req.cwd, 'it is the current folder', `it contains the current folder (${req.cwd})`],
    [jobDir, "it is the job's own folder", `it contains the job file (${req.jobFile})`],
    ...inputPaths(req.input, jobDir).map((p): [string, string, string] => [p, "it is the job's input", `it contains the job's input (${p})`]),
  ];
  return precious.find(([dir]) => dir === path)?.[1] ?? precious.find(([dir]) => containsOrIs(path, dir))?.[2];
}

/** Resolves the output of a run, or undefined when results are shown as a table. */
export function resolveOutputTarget(req: OutputRequest): OutputTarget | undefined {
  const given = req.output ?? req.jobOutput?.path;
  if (given === undefined) return undefined;
  const option = req.output !== undefined ? 'output' : 'job output.path';
  if (given.trim() === '') {
    throw new InvalidOptionError(`${option} must be a non-empty path, e.g. out/result.`, { option });
  }
  const mode = req.overwrite || req.jobOutput?.mode === 'overwrite' ? 'overwrite' : 'error';
  const scheme = URI.exec(given)?.[1]?.toLowerCase();
  const remote = scheme !== undefined && scheme !== 'file';
  if (remote && req.engine === 'local') {
    throw new OutputError(
      `The embedded engine writes local folders only, not "${given}". Run with --remote (Spark writes ${scheme}:// paths), or give a local folder.`,
      { path: given, code: 'OUTPUT_UNSUPPORTED' },
    );
  }
  const local = given.replace(/^file:\/\//i, '');
  const path = remote ? given : req.output !== undefined ? resolve(req.cwd, local) : resolve(dirname(req.jobFile), local);
  const format = req.format ?? req.jobOutput?.format ?? formatFromPath(path) ?? 'parquet';
  if (remote && format === 'arrow') {
    throw new OutputError(
      `Arrow output is written by the driver (Spark has no Arrow writer), so it needs a local folder, not "${given}". Choose parquet for ${scheme}:// paths, or a local folder.`,
      { path: given, code: 'OUTPUT_UNSUPPORTED' },
    );
  }
  if (!remote) {
    const why = unsafeBecause(path, req);
    if (why !== undefined) {
      throw new OutputError(
        `Refusing to write the output to "${path}": ${why}, and writing there replaces the whole folder` +
          `${mode === 'overwrite' ? ' (with overwrite, everything in it would be deleted)' : ''}. ` +
          `Choose a new folder for the results, e.g. ${option === 'output' ? '--output out/result' : "output: { path: 'out/result' }"}.`,
        { path, code: 'OUTPUT_UNSAFE' },
      );
    }
  }
  return { path, format, mode, remote };
}
