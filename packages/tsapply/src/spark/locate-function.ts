/**
 * Decides how the function a user hands to `df.mapInArrow(fn)` / `applyInArrow(fn)` /
 * `parallelize(...).map(fn)` travels:
 *
 * - an EXPORT of another module (`export function score…` in score.ts, imported by
 *   the script): the module is bundled and the export called on the worker, exactly
 *   as a job file (the module's own top-level code runs there too);
 * - anything else — an inline arrow, a function of the running script (exported or
 *   not), a factory-made closure, a REPL function: captured by value with what it
 *   uses (`closures/capture.ts`).
 *
 * Whether a function is an export is read from the module's source at the position
 * V8 gives for the function (`[[FunctionLocation]]`), never by importing the module:
 * importing the running script while its top-level `await` is pending never settles,
 * and Node then exits with code 13 and no message. The running script (process.argv[1],
 * or any module on the current call stack) always takes the capture path.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Capturer } from '../closures/capture.js';
import type { InspectorProbe } from '../closures/inspector.js';

export interface ExportLocation {
  /** Absolute path of the module file that exports the function. */
  file: string;
  /** The export under which that module exposes the function. */
  exportName: string;
  /** 1-based line of the definition, for messages. */
  line: number;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** True when `file` is the running script, or a module whose code is on the current call stack. */
export function isRunningModule(file: string): boolean {
  const main = process.argv[1];
  if (main !== undefined && real(main) === real(file)) return true;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack.includes(pathToFileURL(file).href) || stack.includes(`(${file}:`) || stack.includes(`at ${file}:`);
}

/**
 * The module and export of `fn` when it is directly exported (ESM) by a module other
 * than the running one, else undefined.
 */
export function exportedFunction(fn: Function, probe: InspectorProbe): ExportLocation | undefined {
  const capturer = new Capturer(probe);
  const { facts, script } = capturer.facts(fn);
  if (!facts.location || !script?.file || facts.bound) return undefined;
  if (!facts.scopes.some((s) => s.kind === 'module')) return undefined;
  const text = Function.prototype.toString.call(fn);
  const start = Capturer.textStart(script, text, facts);
  if (start < 0) return undefined;
  const exportName = script.exportNameOf(start, start + text.length);
  if (exportName === undefined || isRunningModule(script.file)) return undefined;
  return { file: script.file, exportName, line: script.original(start).line };
}
