/**
 * Which tsconfig.json a job is type-checked with: the user's nearest one, found the
 * way TypeScript's editor service finds the project of an open file.
 *
 * - Walk up from the job's folder to the filesystem root; the first tsconfig.json
 *   applies, read by TypeScript's own parser (so `extends`, `${configDir}` and every
 *   option mean what they mean to `tsc`). It applies whether or not its `include`
 *   lists the job: tsapply checks the job file and what it imports, never the
 *   project's file list, and a user who keeps jobs in `scripts/` beside `src/` still
 *   expects their settings.
 * - Except a solution-style tsconfig.json (`"files": []` plus `references`, as in
 *   Vite's templates or a project-references monorepo root): it has no files and no
 *   options of its own. The referenced project that includes the job applies
 *   (depth-first, in order); when none does, the walk goes on upward — as `tsserver`
 *   does since TypeScript 5.6.
 * - No tsconfig.json applies: tsapply's defaults (`typecheck.ts`).
 *
 * A tsconfig.json that cannot be read, is not valid JSON, or that TypeScript rejects
 * (an unknown option, an `extends` not found) is a `TsconfigError` naming the file,
 * with TypeScript's messages positioned in it; it is never silently ignored.
 */
import { dirname, join, resolve } from 'node:path';
import type ts from 'typescript';
import { formatDiagnostic, TsconfigError } from './errors.js';
import { displayPath } from './esbuild-messages.js';
import { isFile } from './package-info.js';
import { toDiagnostic } from './ts-diagnostic.js';

type TypeScript = typeof ts;
type ConfigHost = Omit<ts.ParseConfigFileHost, 'onUnRecoverableConfigFileDiagnostic'>;

/** Which tsconfig.json the check used, as reported to the user (`--verbose`). */
export interface TsconfigChoice {
  /** Absolute path of the tsconfig.json whose options apply; undefined: tsapply's defaults. */
  tsconfig: string | undefined;
  /**
   * Solution-style tsconfig.json files (only `references`, no files of their own)
   * passed over because none of their projects includes the job, nearest first.
   */
  skipped: string[];
}

/** The choice plus what the check and its cache need. */
export interface JobTsconfig extends TsconfigChoice {
  /** The chosen config's compiler options, `extends` applied; undefined without one. */
  options: ts.CompilerOptions | undefined;
  /**
   * The tsconfig.json files the walk looked at, nearest first: up to the chosen one,
   * else all of them. The same walk finding another list means another choice.
   */
  walked: string[];
  /** Every file TypeScript read to parse them (configs, `extends` chains, references). */
  files: string[];
}

const CONFIG_NAME = 'tsconfig.json';

/**
 * TypeScript's complaints about a project's own file list — "No inputs were found in
 * config file" (18003) and "The 'files' list in config file is empty" (18002). tsapply
 * checks the job file, not that list, so they say nothing about the job.
 */
const FILE_LIST_CODES: ReadonlySet<number> = new Set([18002, 18003]);

/**
 * Every tsconfig.json from `dir` up to the filesystem root, nearest first. The same walk
 * as `ts.findConfigFile` (which returns only the first), in plain `fs` so that a cache
 * hit (`typecheck-cache.ts`) can confirm the choice without loading the compiler
 * (about 0.5 s).
 */
export function tsconfigsAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_NAME);
    if (isFile(candidate)) found.push(candidate);
    if (dirname(d) === d) return found;
  }
}

/** Finds and parses the tsconfig.json that applies to `entry` (absolute path). */
export function loadJobTsconfig(ts: TypeScript, entry: string, cwd: string): JobTsconfig {
  const read = new Set<string>();
  // TypeScript's own file system, recording every file it reads (for the cache).
  const host: ConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    getCurrentDirectory: () => cwd,
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    fileExists: (path) => ts.sys.fileExists(path),
    readFile: (path) => {
      read.add(resolve(path));
      return ts.sys.readFile(path);
    },
  };
  const sameFile = ts.sys.useCaseSensitiveFileNames ? (a: string, b: string) => a === b : (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const parse = (path: string) => parseTsconfig(ts, host, path, entry, cwd);
  const includesJob = (config: ts.ParsedCommandLine) => config.fileNames.some((f) => sameFile(resolve(f), entry));

  /** The project under `config`'s references that includes the job, depth-first. */
  const owner = (config: ts.ParsedCommandLine, seen: Set<string>): { path: string; config: ts.ParsedCommandLine } | undefined => {
    for (const ref of config.projectReferences ?? []) {
      const path = resolve(ts.resolveProjectReferencePath(ref));
      if (seen.has(path)) continue;
      seen.add(path);
      // A reference to a missing project is `tsc -b`'s to report; it includes no job.
      if (!isFile(path)) continue;
      const child = parse(path);
      if (includesJob(child)) return { path, config: child };
      if (isSolution(child)) {
        const deeper = owner(child, seen);
        if (deeper) return deeper;
      }
    }
    return undefined;
  };

  const walked: string[] = [];
  const skipped: string[] = [];
  const done = (tsconfig: string | undefined, options: ts.CompilerOptions | undefined): JobTsconfig => ({
    tsconfig,
    skipped,
    options,
    walked,
    files: [...read],
  });
  for (const path of tsconfigsAbove(dirname(entry))) {
    walked.push(path);
    const config = parse(path);
    if (!isSolution(config)) return done(path, config.options);
    const found = owner(config, new Set([path]));
    if (found) return done(found.path, found.config.options);
    skipped.push(path);
  }
  return done(undefined, undefined);
}

/** TypeScript's own test (`isSolutionConfig` in its editor service): no files of its own, and references. */
function isSolution(config: ts.ParsedCommandLine): boolean {
  return config.fileNames.length === 0 && config.projectReferences !== undefined;
}

/** Parses one tsconfig.json; a `TsconfigError` when TypeScript finds anything wrong with it. */
function parseTsconfig(ts: TypeScript, host: ConfigHost, path: string, entry: string, cwd: string): ts.ParsedCommandLine {
  let unrecoverable: ts.Diagnostic | undefined;
  const config = ts.getParsedCommandLineOfConfigFile(path, undefined, {
    ...host,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      unrecoverable = d;
    },
  });
  // JSON syntax errors are in the config file's own diagnostics, not in `errors`:
  // getConfigFileParsingDiagnostics returns both, as `tsc` reports them.
  const problems = config
    ? ts.getConfigFileParsingDiagnostics(config).filter((d) => d.category === ts.DiagnosticCategory.Error && !FILE_LIST_CODES.has(d.code))
    : [unrecoverable ?? { category: ts.DiagnosticCategory.Error, code: 5083, file: undefined, start: undefined, length: undefined, messageText: `Cannot read file '${path}'.` }];
  if (config && problems.length === 0) return config;
  const shown = displayPath(path, cwd);
  const job = displayPath(entry, cwd);
  const diagnostics = problems.map((d) => toDiagnostic(ts, d, cwd));
  const n = diagnostics.length;
  throw new TsconfigError(
    `Cannot type-check ${job}: ${shown} has ${n} error${n === 1 ? '' : 's'}:\n` +
      `${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}\n` +
      `tsapply type-checks a job with the nearest tsconfig.json above it, as your editor does. Fix ${shown}, or skip the type-check (--no-typecheck, or typecheck: false).`,
    { tsconfig: shown, entry: job, diagnostics },
  );
}
