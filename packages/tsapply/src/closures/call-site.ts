/**
 * Where the running scripts stand at the moment of a capture: for each script on the
 * call stack, the positions of its frames, read from V8's structured stack (raw
 * `CallSite`s, so positions are offsets in the code V8 runs, the same coordinates as
 * the script source the inspector gives; tsx's or Node's source-map rewriting of
 * `error.stack` does not apply).
 *
 * Capture needs it for one question V8's `[[Scopes]]` cannot answer: a `let`, `const`
 * or `class` of the script's top level that the call runs BEFORE is in its temporal
 * dead zone, yet V8 reports it as `undefined`. Comparing the position where the
 * script's top-level code stands with where the declaration ends tells the two apart.
 * An `await`ing module still has its top level on the stack as an async frame, at the
 * `await`; code that runs later from the event loop has none, and then nothing is
 * claimed.
 */
import { fileURLToPath } from 'node:url';

export interface StackPosition {
  /** The script's file path, or its URL when it is not a file (REPL, eval). */
  script: string;
  /** 0-based offset in the script's source. */
  position: number;
}

interface V8CallSite {
  getScriptNameOrSourceURL(): string | null | undefined;
  getPosition(): number;
}

/** A file URL as a path; anything else unchanged. Frames name CommonJS files by path, modules by URL. */
export function scriptKey(nameOrUrl: string): string {
  if (!nameOrUrl.startsWith('file:')) return nameOrUrl;
  try {
    return fileURLToPath(nameOrUrl);
  } catch {
    return nameOrUrl;
  }
}

/** Every frame of the current stack (async frames included), innermost first. */
export function stackPositions(): StackPosition[] {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let sites: V8CallSite[] = [];
  try {
    Error.prepareStackTrace = (_e, cs) => cs;
    Error.stackTraceLimit = Infinity;
    sites = new Error().stack as unknown as V8CallSite[];
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  const out: StackPosition[] = [];
  for (const site of Array.isArray(sites) ? sites : []) {
    const name = site.getScriptNameOrSourceURL?.();
    const position = site.getPosition?.();
    if (name && typeof position === 'number') out.push({ script: scriptKey(name), position });
  }
  return out;
}
