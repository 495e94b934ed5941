/**
 * Turning esbuild's messages into tsapply's: positions become 1-based columns in
 * UTF-16 code units (esbuild counts 0-based bytes), paths become relative to the
 * current directory, and the common failures get a message that says what to do.
 */
import { relative, resolve, isAbsolute, sep } from 'node:path';
import type { Message } from 'esbuild';
import type { BundleProblem } from './errors.js';
import { jobApiPath, type DisallowedDetail } from './job-plugin.js';
import { packageNameOf } from './package-info.js';

/** Source name of the synthetic entry module that re-exports the job's export. */
export const SYNTHETIC_ENTRY = '__tsapply_entry__.js';

/** Paths shown to the user: relative to `cwd` when inside it, else absolute; always `/`. */
export function displayPath(absPath: string, cwd: string): string {
  const rel = relative(cwd, absPath);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absPath;
  return shown.split(sep).join('/');
}

export interface MessageContext {
  /** esbuild's absWorkingDir: message paths are relative to it. */
  workingDir: string;
  /** Where paths are displayed relative to. */
  cwd: string;
  /** The job's entry file, displayed. */
  entryDisplay: string;
  /** The export the synthetic entry re-exports (`default` for jobs). */
  exportName: string;
  kind: 'job' | 'function' | 'serializer';
  /** Runtime exports of the job-side API, listed when a job imports something else from 'tsapply'. */
  jobApiExports: readonly string[];
}

/** 0-based byte offset within `lineText` → 1-based UTF-16 column. */
function byteColumnToColumn(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteColumn).toString('utf8').length + 1;
}

export function toProblem(m: Message, ctx: MessageContext): BundleProblem {
  const loc = m.location;
  const base: BundleProblem = { kind: 'other', text: m.text };
  if (loc && loc.file !== SYNTHETIC_ENTRY) {
    const abs = loc.namespace === '' || loc.namespace === 'file' ? resolve(ctx.workingDir, loc.file) : undefined;
    base.file = abs ? displayPath(abs, ctx.cwd) : `${loc.namespace}:${loc.file}`;
    base.line = loc.line;
    base.column = byteColumnToColumn(loc.lineText, loc.column);
    base.lineText = loc.lineText;
  }
  const detail = m.detail as Partial<DisallowedDetail> | undefined;
  if (detail && typeof detail.tsapplyDisallowed === 'string') {
    return { ...base, kind: 'disallowed-import', specifier: detail.tsapplyDisallowed };
  }

  const missing = /^Could not resolve "(.*)"$/.exec(m.text);
  if (missing) {
    const spec = missing[1]!;
    const name = packageNameOf(spec);
    const text = name
      ? `Cannot find package "${name}"${spec === name ? '' : ` (import "${spec}")`}. Install it with \`npm install ${name}\` in the job's project, or fix the import.`
      : `Cannot find "${spec}": no such file relative to the importing file (tried the .ts, .tsx, .js, .mjs, .cjs and .json extensions and index files).`;
    return { ...base, kind: 'missing-module', text, specifier: spec };
  }
  if (/Top-level await is currently not supported with the "cjs" output format/.test(m.text)) {
    return {
      ...base,
      kind: 'top-level-await',
      text:
        'Top-level await is not supported in a job: each worker loads the bundle as a CommonJS module. ' +
        'Move the awaited work into init() (it may be async and runs once per worker) or into apply().',
    };
  }
  const noExport = /^No matching export in "(.*)" for import "(.*)"$/.exec(m.text);
  if (noExport && resolve(ctx.workingDir, noExport[1]!) === jobApiPath()) {
    return {
      ...base,
      kind: 'missing-export',
      text:
        `"${noExport[2]}" is not available inside a job: in a job file 'tsapply' is the job-side API ` +
        `(${ctx.jobApiExports.join(', ')}). Driver features (running jobs, Spark sessions) belong in the script that runs the job.`,
    };
  }
  if (noExport && loc?.file === SYNTHETIC_ENTRY) {
    // The import that failed names what is missing: a generated entry (mapInArrow) may
    // import a named function or `init` export, not only the default.
    const missing = noExport[2]!;
    const text =
      missing !== 'default' || ctx.kind === 'function'
        ? `No export named "${missing}".`
        : ctx.kind === 'job'
          ? 'No default export. A job file must `export default defineJob({ ... })`.'
          : 'No default export. A serializer module must `export default { id, serialize, deserialize }`.';
    return { kind: 'missing-export', file: ctx.entryDisplay, text };
  }
  if (/^(Expected|Unexpected|Unterminated|Syntax error|Invalid|The constant|Cannot use|Multiple exports|The symbol)/.test(m.text)) {
    return { ...base, kind: 'syntax' };
  }
  return base;
}

/** One-line form of a warning: `file:line:col: WARNING: text`. */
export function formatWarning(m: Message, ctx: MessageContext): string {
  const p = toProblem(m, ctx);
  const where = p.file ? `${p.file}${p.line !== undefined ? `:${p.line}:${p.column}` : ''}: ` : '';
  return `${where}WARNING: ${m.text}`;
}
