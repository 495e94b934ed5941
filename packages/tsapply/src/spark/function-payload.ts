/**
 * Turns the function a user hands to `df.mapInArrow(fn)` (and friends) into a payload.
 *
 * `fn` must be exported from a module: `locateFunction` asks V8 which module defines
 * it and under which export. tsapply then bundles an in-memory entry —
 * `import { fn, init } from './module'; export default { apply: fn, init }` — like a
 * job file (`bundleGeneratedEntry`; nothing is written beside the user's module), and
 * frames it with the context into a payload (`preparePayload`, the same code path as
 * `tsapply run`, so custom serializer modules work too). The same function gives the
 * same bundle and the same payload hash every time, so it is uploaded once.
 *
 * `init` is either a function exported from the same module as `fn`, or the name of
 * such an export (a string). It runs once per worker process; its result is
 * `ctx.state`.
 */
import { basename } from 'node:path';
import { bundleGeneratedEntry, type JobBundle } from '@tsapply/bundler';
import { InvalidOptionError, type JobDefinition } from '@tsapply/common';
import { checkNativeAddons } from '../job/prepare-job.js';
import { preparePayload, type PreparedPayload } from '../job/prepare-payload.js';
import { FunctionLocationError } from './errors.js';
import { locateFunction } from './locate-function.js';
import { registerSourceRoot } from './translate-error.js';

export interface FunctionPayloadOptions {
  /** Value handed to the function as `ctx.context` (serialized once, shipped once). */
  context?: unknown;
  /** `'fast'`, `'compressed'` or a serializer module path. @default 'fast' */
  serializer?: string;
  /** An export of fn's module (the function or its name) run once per worker; its result is `ctx.state`. */
  init?: ((context: never) => unknown) | string;
  /** Output schema DDL placed in the payload (null when it will be inferred). */
  schema: string | null;
  /**
   * Extra code for the entry: a module body that receives `apply`/`init`/`context` and
   * sets `default` (used by `parallelize().map()` to wrap a per-item function).
   */
  wrap?: (applyName: string, initName: string | undefined) => string;
}

export interface FunctionPayload {
  payload: PreparedPayload;
  bundle: JobBundle;
  /** Module and export of the user's function, for messages. */
  file: string;
  exportName: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

async function resolveInit(init: FunctionPayloadOptions['init'], file: string): Promise<string | undefined> {
  if (init === undefined) return undefined;
  if (typeof init === 'string') {
    if (!IDENT.test(init)) {
      throw new InvalidOptionError(`options.init must be an export name of ${basename(file)} (an identifier), got ${JSON.stringify(init)}.`, { option: 'init' });
    }
    return init;
  }
  const where = await locateFunction(init);
  if (where.file !== file) {
    throw FunctionLocationError.fromFields({
      problem:
        `init must be exported from the same module as the function (${file}), but it is defined in ${where.file}. ` +
        'Re-export it from that module, or pass its export name as a string.',
    });
  }
  return where.exportName;
}

/** Bundles `fn` (and `init`) into a payload; refuses native addons before anything is shipped. */
export async function buildFunctionPayload(fn: unknown, options: FunctionPayloadOptions): Promise<FunctionPayload> {
  const { file, exportName } = await locateFunction(fn);
  const initName = await resolveInit(options.init, file);
  const imports = [exportName, ...(initName && initName !== exportName ? [initName] : [])];
  const body = options.wrap
    ? options.wrap(exportName, initName)
    : `export default { apply: ${exportName}${initName ? `, init: ${initName}` : ''} };\n`;
  // The entry exists only in memory (esbuild's stdin), so nothing is written beside the user's module.
  const bundle = await bundleGeneratedEntry(
    file,
    (specifier) => `// The entry that ships ${exportName} from ${basename(file)}.\nimport { ${imports.join(', ')} } from ${specifier};\n${body}`,
    { cwd: process.cwd() },
  );
  checkNativeAddons(bundle, 'spark', () => undefined);
  registerSourceRoot(bundle.sourceRoot);
  const job = { context: options.context } as unknown as JobDefinition;
  const payload = await preparePayload(bundle, job, { serializer: options.serializer ?? 'fast', cwd: process.cwd(), schema: options.schema });
  return { payload, bundle, file, exportName };
}
