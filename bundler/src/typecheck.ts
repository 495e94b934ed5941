/**
 * Type-checking a job with the TypeScript compiler API, the way the user's own editor
 * would: with their nearest tsconfig.json (see `tsconfig.ts`), else tsapply's
 * defaults (strict, ES2022, `moduleResolution: bundler` as esbuild resolves). Over
 * either, tsapply forces only what it must (`forcedOptions` says why for each): no
 * emit, `tsapply` resolving to the job-side API's declarations, Node's types when the
 * project has none.
 *
 * A missing declaration file (TS7016: an import of a JavaScript package without
 * types, such as `lodash-es`) never fails a check, whatever the tsconfig says:
 * TypeScript types such an import as `any` and esbuild bundles it, and TypeScript
 * runners (tsx, Deno, Bun) never refuse to run over it. Real type errors still do.
 *
 * Speed: declaration files (lib, @types/node, apache-arrow…) are parsed once per
 * process and reused across calls, so only the job's own files are parsed again.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type ts from 'typescript';
import { readOptions, TsapplyError } from '@tsapply/common';
import { TypecheckError, type Diagnostic } from './errors.js';
import { displayPath } from './esbuild-messages.js';
import { jobApiPath } from './job-plugin.js';
import { isFile, isInNodeModules } from './package-info.js';
import { MISSING_DECLARATION_CODES, toDiagnostic } from './ts-diagnostic.js';
import { loadJobTsconfig, type JobTsconfig, type TsconfigChoice } from './tsconfig.js';
import { cachedTypecheck, recordTypecheckSuccess } from './typecheck-cache.js';

export interface TypecheckOptions {
  /**
   * Folder that file paths in diagnostics are shown relative to.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Skip the compiler when this entry type-checked before and no file that check read
   * has changed since, its tsconfig.json files included (see `typecheck-cache.ts`);
   * record successes for next time.
   * @default false
   */
  cache?: boolean;
  /**
   * Called once with the tsconfig.json the check uses (`tsconfig: undefined`: none
   * applies, tsapply's defaults), before the check runs — also when the cache answers
   * — so a CLI can say which settings produced what follows.
   */
  onConfig?: (choice: TsconfigChoice) => void;
}

const TYPECHECK_OPTION_KEYS = ['cwd', 'cache', 'onConfig'] as const;

type TypeScript = typeof ts;

/**
 * Declaration files parsed in earlier calls, reused while their mtime is unchanged. Keyed
 * by path and by what the parse depends on (target, CommonJS/ESM format, module
 * detection, JSX): jobs checked in one process may each have their own tsconfig.json.
 */
const declarationCache = new Map<string, { mtimeMs: number; file: ts.SourceFile }>();

function declarationKey(fileName: string, parse: ts.ScriptTarget | ts.CreateSourceFileOptions, options: ts.CompilerOptions): string {
  const p = typeof parse === 'number' ? { languageVersion: parse } : parse;
  return [fileName, p.languageVersion, p.impliedNodeFormat, p.jsDocParsingMode, options.moduleDetection, options.jsx].join('\0');
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** `@types/node`'s entry as seen from `from` (a file or tsapply's own module URL). */
function nodeTypesFrom(from: string): string | undefined {
  try {
    const pkg = createRequire(from).resolve('@types/node/package.json');
    const index = join(dirname(pkg), 'index.d.ts');
    return isFile(index) ? index : undefined;
  } catch {
    return undefined; // not visible from there
  }
}

/** tsapply's settings when no tsconfig.json applies: strict, and what esbuild accepts. */
function defaultOptions(ts: TypeScript): ts.CompilerOptions {
  return {
    strict: true,
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
  };
}

/**
 * The user's options (or the defaults) with what tsapply must set regardless. Each
 * forced option is a consequence of checking one job file without building it, not a
 * preference; everything else is the user's.
 */
function forcedOptions(base: ts.CompilerOptions): ts.CompilerOptions {
  const api = jobApiPath().replace(/\.js$/, '.d.ts');
  return {
    ...base,
    // Only checking: nothing may be written into the user's project (no .js, .d.ts
    // or .tsbuildinfo beside their sources or in their outDir).
    noEmit: true,
    // checkJs covers a job written in JavaScript only when JavaScript files may be roots.
    ...(base.checkJs === true ? { allowJs: true } : {}),
    // Options that only shape emitted output, which TypeScript still validates against
    // the program's files — and this program is the job, often outside the project's
    // layout (jobs/ beside src/). `rootDir` rejects a job outside it (TS6059);
    // declaration emit (`declaration`, implied by `composite`) and
    // `isolatedDeclarations` would report on the job's exported types for a .d.ts
    // nobody writes (TS9037 on `export default defineJob(…)`); `declarationMap` without
    // declaration is TS5069; `emitDeclarationOnly` contradicts noEmit (TS5053).
    composite: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    isolatedDeclarations: false,
    incremental: false,
    tsBuildInfoFile: undefined,
    rootDir: undefined,
    outDir: undefined,
    outFile: undefined,
    declarationDir: undefined,
    // Diagnostics inside declaration files are never reported (only the job's own
    // files' are, see typecheckJob), so checking them would only cost time.
    skipLibCheck: true,
    // The bundle resolves `tsapply` to this tsapply's job API (job-plugin.ts), whatever
    // copy the project has installed: the check must see the declarations of the code
    // that will actually run.
    paths: { ...base.paths, tsapply: [api], 'tsapply/job': [api] },
  };
}

/** Compiler options and root files for checking `file` with `config` (or the defaults). */
function programSetup(ts: TypeScript, file: string, config: JobTsconfig): { options: ts.CompilerOptions; roots: string[] } {
  const roots = [file];
  if (config.options === undefined) {
    // Defaults: the project's @types/node when it has one, else tsapply's own copy.
    const nodeTypes = nodeTypesFrom(file) ?? nodeTypesFrom(import.meta.url);
    if (nodeTypes) roots.push(nodeTypes);
    return { options: forcedOptions(defaultOptions(ts)), roots };
  }
  const options = forcedOptions(config.options);
  // With a tsconfig, a project that has @types/node gets Node's types exactly as its
  // `types` says. One without: the job runs in Node on every engine, so its globals
  // (process, Buffer…) are really there — tsapply's copy is added, and a `types: ["node"]`
  // that would fail to find it (TS2688) is answered by that copy.
  if (!nodeTypesFrom(file)) {
    const ours = nodeTypesFrom(import.meta.url);
    if (ours) {
      roots.push(ours);
      if (options.types) options.types = options.types.filter((t) => t !== 'node');
    }
  }
  return { options, roots };
}

const JAVASCRIPT_FILE = /\.(?:[cm]?js|jsx)$/i;

/**
 * Type-check a job file (and the files it imports). Resolves to every diagnostic in
 * the job's own files, sorted by file and position; an empty array means it checks.
 * Missing declaration files (TS7016) are left out: such an import is `any`.
 */
export async function typecheckJob(entry: string, options: TypecheckOptions = {}): Promise<Diagnostic[]> {
  const o = readOptions('typecheckJob()', options, TYPECHECK_OPTION_KEYS);
  const cwd = o.string('cwd') ?? process.cwd();
  const cache = o.boolean('cache') ?? false;
  const onConfig = o.function<(choice: TsconfigChoice) => void>('onConfig');
  const file = resolve(cwd, entry);
  if (!isFile(file)) {
    throw new TsapplyError(`Cannot type-check ${displayPath(file, cwd)}: file not found (resolved to ${file}).`, { code: 'NOT_FOUND' });
  }
  if (cache) {
    const cached = cachedTypecheck(file);
    if (cached) {
      onConfig?.(cached);
      return [];
    }
  }
  // Loaded here, not at the top: the compiler takes about 0.5 s to import, which every
  // `tsapply run` paid even when the cache above answered.
  const ts = (await import('typescript')).default;
  const config = loadJobTsconfig(ts, file, cwd);
  onConfig?.({ tsconfig: config.tsconfig, skipped: [...config.skipped] });
  const { options: opts, roots } = programSetup(ts, file, config);
  // A job written in JavaScript is checked only where the project asks for it (checkJs),
  // as tsc and editors do: otherwise TypeScript refuses the file itself (TS6504).
  if (JAVASCRIPT_FILE.test(file) && opts.checkJs !== true) return [];
  const host = ts.createCompilerHost(opts, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts') && !isInNodeModules(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const mtimeMs = mtimeOf(fileName);
    const key = declarationKey(fileName, languageVersion, opts);
    const cached = declarationCache.get(key);
    if (cached && cached.mtimeMs === mtimeMs) return cached.file;
    const sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (sf) declarationCache.set(key, { mtimeMs, file: sf });
    return sf;
  };
  const program = ts.createProgram({ rootNames: roots, options: opts, host });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || (!d.file.isDeclarationFile && !isInNodeModules(d.file.fileName)))
    .filter((d) => !MISSING_DECLARATION_CODES.has(d.code))
    .map((d) => toDiagnostic(ts, d, cwd));
  if (cache && !diagnostics.some((d) => d.category === 'error')) {
    // Lib files live inside the typescript package, whose version is part of the record.
    const read = program.getSourceFiles().filter((sf) => !program.isSourceFileDefaultLibrary(sf)).map((sf) => sf.fileName);
    recordTypecheckSuccess(file, read, config);
  }
  return diagnostics;
}

/** Rejects with a `TypecheckError` listing every type error of the job (`file:line:col: error TSxxxx: …`). */
export async function assertTypechecks(entry: string, options: TypecheckOptions = {}): Promise<void> {
  const diagnostics = await typecheckJob(entry, options);
  const errors = diagnostics.filter((d) => d.category === 'error');
  if (errors.length > 0) throw TypecheckError.fromFields({ entry: displayPath(resolve(options.cwd ?? process.cwd(), entry), options.cwd ?? process.cwd()), diagnostics: errors });
}
