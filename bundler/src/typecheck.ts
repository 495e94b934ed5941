/**
 * Type-checking a job with the TypeScript compiler API, independent of the user's
 * tsconfig: strict mode, ES2022, `moduleResolution: bundler` (what esbuild does),
 * no emit, `skipLibCheck`. `import … from 'tsapply'` resolves to the job-side API's
 * declarations even when the user configured nothing, and Node's types are provided
 * when the project does not have `@types/node`.
 *
 * Speed: declaration files (lib, @types/node, apache-arrow…) are parsed once per
 * process and reused across calls, so only the job's own files are parsed again.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type ts from 'typescript';
import { TsapplyError } from '@tsapply/common';
import { TypecheckError, type Diagnostic } from './errors.js';
import { displayPath } from './esbuild-messages.js';
import { jobApiPath } from './job-plugin.js';
import { isFile, isInNodeModules } from './package-info.js';
import { recordTypecheckSuccess, typecheckIsCached } from './typecheck-cache.js';

export interface TypecheckOptions {
  /**
   * Folder that file paths in diagnostics are shown relative to.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Skip the compiler when this entry type-checked before and no file that check read
   * has changed since (see `typecheck-cache.ts`); record successes for next time.
   * @default false
   */
  cache?: boolean;
}

const TYPECHECK_OPTION_KEYS = ['cwd', 'cache'];

type TypeScript = typeof ts;

/** Declaration files parsed in earlier calls, by path; reused while their mtime is unchanged. */
const declarationCache = new Map<string, { mtimeMs: number; file: ts.SourceFile }>();

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function nodeTypesEntry(entry: string): string | undefined {
  for (const from of [entry, import.meta.url]) {
    try {
      const pkg = createRequire(from).resolve('@types/node/package.json');
      const index = join(dirname(pkg), 'index.d.ts');
      if (isFile(index)) return index;
    } catch {
      // not visible from there; try the next place
    }
  }
  return undefined;
}

function compilerOptions(ts: TypeScript): ts.CompilerOptions {
  const api = jobApiPath().replace(/\.js$/, '.d.ts');
  return {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    // Node's types are added as a root file instead (found even without @types/node in the project).
    types: [],
    esModuleInterop: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    noFallthroughCasesInSwitch: true,
    paths: { tsapply: [api], 'tsapply/job': [api] },
  };
}

function toDiagnostic(ts: TypeScript, d: ts.Diagnostic, cwd: string): Diagnostic {
  const category =
    d.category === ts.DiagnosticCategory.Error
      ? 'error'
      : d.category === ts.DiagnosticCategory.Warning
        ? 'warning'
        : d.category === ts.DiagnosticCategory.Suggestion
          ? 'suggestion'
          : 'message';
  const out: Diagnostic = { code: d.code, category, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    out.file = displayPath(resolve(d.file.fileName), cwd);
    out.line = line + 1;
    out.column = character + 1;
    const starts = d.file.getLineStarts();
    out.lineText = d.file.text.slice(starts[line], starts[line + 1] ?? d.file.text.length).replace(/\r?\n$/, '');
  }
  return out;
}

/**
 * Type-check a job file (and the files it imports). Resolves to every diagnostic in
 * the job's own files, sorted by file and position; an empty array means it checks.
 */
export async function typecheckJob(entry: string, options: TypecheckOptions = {}): Promise<Diagnostic[]> {
  for (const key of Object.keys(options)) {
    if (!TYPECHECK_OPTION_KEYS.includes(key)) {
      throw new TsapplyError(`Invalid option in typecheckJob(): "${key}". Valid options: ${TYPECHECK_OPTION_KEYS.join(', ')}.`, 'INVALID_OPTION');
    }
  }
  const cwd = options.cwd ?? process.cwd();
  const file = resolve(cwd, entry);
  if (!isFile(file)) {
    throw new TsapplyError(`Cannot type-check ${displayPath(file, cwd)}: file not found (resolved to ${file}).`, 'NOT_FOUND');
  }
  if (options.cache && typecheckIsCached(file)) return [];
  // Loaded here, not at the top: the compiler takes about 0.5 s to import, which every
  // `tsapply run` paid even when the cache above answered.
  const ts = (await import('typescript')).default;
  const opts = compilerOptions(ts);
  const host = ts.createCompilerHost(opts, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts') && !isInNodeModules(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const mtimeMs = mtimeOf(fileName);
    const cached = declarationCache.get(fileName);
    if (cached && cached.mtimeMs === mtimeMs) return cached.file;
    const sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (sf) declarationCache.set(fileName, { mtimeMs, file: sf });
    return sf;
  };
  const roots = [file];
  const nodeTypes = nodeTypesEntry(file);
  if (nodeTypes) roots.push(nodeTypes);
  const program = ts.createProgram({ rootNames: roots, options: opts, host });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || (!d.file.isDeclarationFile && !isInNodeModules(d.file.fileName)))
    .map((d) => toDiagnostic(ts, d, cwd));
  if (options.cache && !diagnostics.some((d) => d.category === 'error')) {
    // Lib files live inside the typescript package, whose version is part of the record.
    const read = program.getSourceFiles().filter((sf) => !program.isSourceFileDefaultLibrary(sf)).map((sf) => sf.fileName);
    recordTypecheckSuccess(file, read);
  }
  return diagnostics;
}

/** Rejects with a `TypecheckError` listing every type error of the job (`file:line:col: error TSxxxx: …`). */
export async function assertTypechecks(entry: string, options: TypecheckOptions = {}): Promise<void> {
  const diagnostics = await typecheckJob(entry, options);
  const errors = diagnostics.filter((d) => d.category === 'error');
  if (errors.length > 0) throw new TypecheckError(displayPath(resolve(options.cwd ?? process.cwd(), entry), options.cwd ?? process.cwd()), errors);
}
