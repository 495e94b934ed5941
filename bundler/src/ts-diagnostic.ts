/**
 * TypeScript's diagnostics as tsapply reports them (`Diagnostic`, positions 1-based,
 * paths as the user sees them), shared by the job's type-check and its tsconfig.json.
 */
import { resolve } from 'node:path';
import type ts from 'typescript';
import type { Diagnostic } from './errors.js';
import { displayPath } from './esbuild-messages.js';

type TypeScript = typeof ts;

/**
 * TypeScript's codes for "Could not find a declaration file for module 'x'. '…/x.js'
 * implicitly has an 'any' type." (an import that resolves to JavaScript without
 * types). 7016 is the only one: its hints ("Try `npm i --save-dev @types/x`…", 7035,
 * 7040, …) are chained under it, never reported alone. TypeScript types such an
 * import as `any` either way and esbuild bundles it, so it never stops a run.
 */
export const MISSING_DECLARATION_CODES: ReadonlySet<number> = new Set([7016]);

/** Converts a compiler diagnostic, with its file shown relative to `cwd` when inside it. */
export function toDiagnostic(ts: TypeScript, d: ts.Diagnostic, cwd: string): Diagnostic {
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
    const { line, character } = ts.getLineAndCharacterOfPosition(d.file, d.start);
    out.file = displayPath(resolve(d.file.fileName), cwd);
    out.line = line + 1;
    out.column = character + 1;
    const starts = d.file.getLineStarts();
    out.lineText = d.file.text.slice(starts[line], starts[line + 1] ?? d.file.text.length).replace(/\r?\n$/, '');
  }
  return out;
}
