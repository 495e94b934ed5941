/**
 * Errors raised by the bundler. All extend `TsapplyError` (constructor
 * `(message, fields?, { cause }?)`; `X.fromFields(fields)` builds the standard message),
 * so `isTsapplyError(e)` and `X.is(e)` work across copies of tsapply, and carry typed
 * fields, so a CLI or an editor integration can render them without parsing the message.
 */
import { TsapplyError, registerErrorClass, type TsapplyErrorOptions } from '@tsapply/common';

/** What went wrong with one import or one line of the job's code. */
export type BundleProblemKind =
  | 'syntax'
  | 'missing-module'
  | 'missing-export'
  | 'disallowed-import'
  | 'top-level-await'
  | 'not-found'
  | 'other';

/** One problem found while bundling, at a position in the ORIGINAL source. */
export interface BundleProblem {
  kind: BundleProblemKind;
  /** Path as displayed: relative to the current directory when inside it. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column, in UTF-16 code units (what editors show). */
  column?: number;
  /** The source line, for the caret display. */
  lineText?: string;
  /** The problem, without the location. */
  text: string;
  /** For `missing-module` and `disallowed-import`: the import specifier as written. */
  specifier?: string;
}

/** Renders `file:line:col: ERROR: text` plus the source line and a caret under the column. */
export function formatProblem(p: BundleProblem, indent = '  '): string {
  const where = p.file ? `${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ` : '';
  let out = `${indent}${where}ERROR: ${p.text}`;
  if (p.lineText !== undefined && p.line !== undefined) {
    const gutter = String(p.line);
    const pad = ' '.repeat(gutter.length);
    const caretAt = Math.max(0, (p.column ?? 1) - 1);
    // Tabs keep their width in the caret line so the caret lines up under the column.
    const lead = p.lineText.slice(0, caretAt).replace(/[^\t]/g, ' ');
    out += `\n${indent}    ${gutter} | ${p.lineText}\n${indent}    ${pad} | ${lead}^`;
  }
  return out;
}

/** Fields of a `BundleError`. */
export interface BundleErrorFields {
  /** The entry file as displayed (relative to the current directory when inside it). */
  entry: string;
  problems: BundleProblem[];
  /** @default 'BUNDLE_FAILED' */
  code?: string;
}

/** The job (or module) could not be bundled. `problems` lists every error esbuild found. */
export class BundleError extends TsapplyError {
  static override readonly className: string = 'BundleError';
  static override readonly code: string = 'BUNDLE_FAILED';

  /** `Cannot bundle <entry>:` and every problem with its location. */
  static fromFields(fields: BundleErrorFields, options?: TsapplyErrorOptions): BundleError {
    return new BundleError(`Cannot bundle ${fields.entry}:\n${fields.problems.map((p) => formatProblem(p)).join('\n')}`, fields, options);
  }

  /** The entry file as displayed (relative to the current directory when inside it). */
  readonly entry: string;
  readonly problems: BundleProblem[];

  constructor(message: string, fields: BundleErrorFields, options?: TsapplyErrorOptions) {
    super(message, { code: fields.code }, options);
    this.entry = fields.entry;
    this.problems = fields.problems;
  }
}

/** Module specifiers that only make sense on the driver; a job must never import them. */
export const DISALLOWED_MODULES: readonly string[] = [
  '@tsapply/bundler',
  '@tsapply/spark-connect',
  '@tsapply/spark-local',
  'esbuild',
  'piscina',
  '@grpc/grpc-js',
];

/**
 * The job imports driver-only modules (the bundler, the Spark Connect client, the
 * worker pool…). Like Temporal's `disallowedModules`: every offending import is
 * listed with its location, in one error.
 */
export class DisallowedImportError extends BundleError {
  static override readonly className: string = 'DisallowedImportError';
  static override readonly code: string = 'DISALLOWED_IMPORT';

  /** Lists every offending import with its location, and what to do instead. */
  static override fromFields(fields: { entry: string; problems: BundleProblem[] }, options?: TsapplyErrorOptions): DisallowedImportError {
    const lines = fields.problems.map((p) => {
      const where = p.file ? `${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ` : '';
      return `  ${where}import "${p.specifier}"`;
    });
    return new DisallowedImportError(
      `Cannot bundle ${fields.entry}: it imports driver-only modules, which cannot run inside a job:\n` +
        `${lines.join('\n')}\n` +
        `A job runs in worker processes (beside Spark executors) that receive only the job bundle. ` +
        `Inside the job import only 'tsapply' (defineJob and job helpers) and ordinary npm packages; ` +
        `keep bundling, Spark connections and worker pools in the driver script that runs the job.`,
      fields,
      options,
    );
  }

  constructor(message: string, fields: { entry: string; problems: BundleProblem[] }, options?: TsapplyErrorOptions) {
    super(message, { entry: fields.entry, problems: fields.problems }, options);
  }
}

/** One package with a native (.node) addon that the bundle imports. */
export interface NativeAddon {
  name: string;
  version: string;
  /** Why it was classified as native, e.g. `ships a .node binary`. */
  reason: string;
}

/** The job imports packages with native addons and the target cannot load them. */
export class NativeAddonError extends TsapplyError {
  static override readonly className = 'NativeAddonError';
  static override readonly code = 'NATIVE_ADDON';

  /** Names every native package and what to do instead. */
  static fromFields(fields: { addons: NativeAddon[]; where: string }, options?: TsapplyErrorOptions): NativeAddonError {
    const n = fields.addons.length;
    const list = fields.addons.map((a) => `${a.name}@${a.version} (${a.reason})`).join(', ');
    return new NativeAddonError(
      `The job imports ${n} package${n === 1 ? '' : 's'} with native addons, which cannot be bundled and shipped to ${fields.where}: ` +
        `${list}. Use a pure-JavaScript/WebAssembly alternative, or run on the embedded engine where node_modules is available.`,
      fields,
      options,
    );
  }

  readonly addons: NativeAddon[];
  /** Where the job was going to run, e.g. `Spark executors`. */
  readonly where: string;

  constructor(message: string, fields: { addons: NativeAddon[]; where: string }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.addons = fields.addons;
    this.where = fields.where;
  }
}

/** One TypeScript diagnostic, positions 1-based. */
export interface Diagnostic {
  /** Path as displayed (relative to the current directory when inside it); undefined for global diagnostics. */
  file?: string;
  line?: number;
  column?: number;
  /** TypeScript's error number, e.g. 2322. */
  code: number;
  category: 'error' | 'warning' | 'suggestion' | 'message';
  message: string;
  lineText?: string;
}

/** Renders `file:line:col: error TS2322: message` plus the source line and a caret. */
export function formatDiagnostic(d: Diagnostic, indent = '  '): string {
  const where = d.file ? `${d.file}${d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  let out = `${indent}${where}${d.category} TS${d.code}: ${d.message.replace(/\n/g, `\n${indent}  `)}`;
  if (d.lineText !== undefined && d.line !== undefined) {
    const gutter = String(d.line);
    const lead = d.lineText.slice(0, Math.max(0, (d.column ?? 1) - 1)).replace(/[^\t]/g, ' ');
    out += `\n${indent}    ${gutter} | ${d.lineText}\n${indent}    ${' '.repeat(gutter.length)} | ${lead}^`;
  }
  return out;
}

/** The job has type errors. `diagnostics` holds every error (warnings are not fatal). */
export class TypecheckError extends TsapplyError {
  static override readonly className = 'TypecheckError';
  static override readonly code = 'TYPECHECK_FAILED';

  /** `<entry> has N type errors:` and every diagnostic with its location. */
  static fromFields(fields: { entry: string; diagnostics: Diagnostic[] }, options?: TsapplyErrorOptions): TypecheckError {
    const n = fields.diagnostics.length;
    return new TypecheckError(
      `${fields.entry} has ${n} type error${n === 1 ? '' : 's'}:\n${fields.diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`,
      fields,
      options,
    );
  }

  readonly entry: string;
  readonly diagnostics: Diagnostic[];

  constructor(message: string, fields: { entry: string; diagnostics: Diagnostic[] }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.entry = fields.entry;
    this.diagnostics = fields.diagnostics;
  }
}

/**
 * The tsconfig.json a job is type-checked with cannot be used: unreadable, not valid
 * JSON, or rejected by TypeScript (an unknown option, an `extends` that is not found).
 * `diagnostics` holds TypeScript's errors, positioned in the config file.
 */
export class TsconfigError extends TsapplyError {
  static override readonly className = 'TsconfigError';
  static override readonly code = 'INVALID_TSCONFIG';
  /** The tsconfig.json at fault, as displayed (relative to the current directory when inside it). */
  readonly tsconfig: string;
  /** The job that was to be type-checked with it, as displayed. */
  readonly entry: string;
  readonly diagnostics: Diagnostic[];

  constructor(message: string, fields: { tsconfig: string; entry: string; diagnostics: Diagnostic[] }, options?: TsapplyErrorOptions) {
    super(message, {}, options);
    this.tsconfig = fields.tsconfig;
    this.entry = fields.entry;
    this.diagnostics = fields.diagnostics;
  }
}

// Rebuild these classes (not plain TsapplyErrors) when they cross a thread or process.
registerErrorClass(BundleError);
registerErrorClass(DisallowedImportError);
registerErrorClass(NativeAddonError);
registerErrorClass(TypecheckError);
registerErrorClass(TsconfigError);
