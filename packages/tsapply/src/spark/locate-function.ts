/**
 * Finds the source module and export name of a function the user hands to
 * `df.mapInArrow(fn)` / `applyInArrow(fn)` / `parallelize(...).map(fn)`.
 *
 * Why: a closure cannot be shipped to an executor by value (its captured scope is
 * gone once serialized), so tsapply ships the *module* that exports it, bundled, and
 * calls the export by name on the worker. The user should not have to pass a path,
 * so we ask V8 where the function was defined: the inspector protocol exposes a
 * function's `[[FunctionLocation]]` (script id + position), and the script id maps
 * to the module's URL. This works for ESM and CJS, for `.ts` run through tsx, and
 * costs a few milliseconds once per job.
 */
import { Session } from 'node:inspector/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { FunctionLocationError } from './errors.js';

export interface FunctionLocation {
  /** Absolute path of the module file that defines the function. */
  file: string;
  /** The export under which that module exposes the very same function object. */
  exportName: string;
  /** 1-based line of the definition, for messages. */
  line: number;
}

const PROBE_KEY = '__tsapplyFunctionProbe';

/** Where V8 says `fn` was defined: absolute file path and 1-based line. */
async function definitionSite(fn: Function): Promise<{ file: string; line: number }> {
  const session = new Session();
  session.connect();
  const urls = new Map<string, string>();
  session.on('Debugger.scriptParsed', (message) => {
    urls.set(message.params.scriptId, message.params.url);
  });
  const global = globalThis as Record<string, unknown>;
  try {
    // Enabling the debugger replays `scriptParsed` for every script already loaded.
    await session.post('Debugger.enable');
    global[PROBE_KEY] = fn;
    const { result } = await session.post('Runtime.evaluate', { expression: `globalThis.${PROBE_KEY}` });
    if (!result.objectId) throw FunctionLocationError.fromFields({ problem: `could not inspect ${describe(fn)}` });
    const props = await session.post('Runtime.getProperties', { objectId: result.objectId, ownProperties: true });
    const location = props.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as
      | { scriptId: string; lineNumber: number }
      | undefined;
    if (!location) {
      throw FunctionLocationError.fromFields({
        problem: `${describe(fn)} has no source location (a built-in or bound function?). Pass a function declared in one of your own modules.`,
      });
    }
    const url = urls.get(location.scriptId) ?? '';
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (!isAbsolute(file)) {
      throw FunctionLocationError.fromFields({
        problem: `${describe(fn)} was defined in "${url || 'an anonymous script'}", not in a module file. Move it into a .ts/.js module and export it.`,
      });
    }
    return { file, line: location.lineNumber + 1 };
  } finally {
    delete global[PROBE_KEY];
    await session.post('Debugger.disable').catch(() => undefined);
    session.disconnect();
  }
}

function describe(fn: Function): string {
  return fn.name ? `function "${fn.name}"` : 'the anonymous function';
}

/**
 * Locates `fn`'s module and the export that holds it. Rejects with a message that
 * says what to do when the function is not exported (the common mistake: an inline
 * arrow function), since only exports can be called on a worker.
 */
export async function locateFunction(fn: unknown): Promise<FunctionLocation> {
  if (typeof fn !== 'function') {
    throw FunctionLocationError.fromFields({ problem: `expected a function, got ${fn === null ? 'null' : typeof fn}` });
  }
  const { file, line } = await definitionSite(fn);
  const moduleNamespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const names = Object.keys(moduleNamespace);
  const exportName = names.find((name) => moduleNamespace[name] === fn);
  // A CJS module seen through ESM import exposes its exports under `default` too.
  const cjsDefault = moduleNamespace.default as Record<string, unknown> | undefined;
  const cjsName =
    exportName ??
    (cjsDefault && typeof cjsDefault === 'object'
      ? Object.keys(cjsDefault).find((name) => cjsDefault[name] === fn)
      : undefined);
  if (!cjsName) {
    throw FunctionLocationError.fromFields({
      problem:
        `${describe(fn)} (defined at ${file}:${line}) is not exported from its module, so it cannot be ` +
        `shipped to workers. Export it (e.g. \`export function ${fn.name || 'myFn'}(batch, ctx) { … }\`) ` +
        'and pass the exported function. Inline arrow functions cannot be shipped.',
    });
  }
  return { file, exportName: cjsName, line };
}
