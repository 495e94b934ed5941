/**
 * Turns the function a user hands to `df.mapInArrow(fn)` (and friends) into a payload,
 * in two steps. An inline job's `apply` and `init` (`runJob({ input, apply })`, on either
 * engine: `job/inline-job.ts`) travel the same way; `engine` then says where to.
 *
 * 1. `planFunction` — SYNCHRONOUS, called at the moment of the user's call, so that
 *    captured variables hold the values they had then: either `fn` is an export of
 *    another module (shipped as that module, like a job file), or it is captured with
 *    what it uses (`closures/`), see `locate-function.ts` for which.
 * 2. `buildFunctionPayload` — bundles ONE in-memory entry with the existing bundler
 *    (nothing is written beside the user's files; dependency inference, native-addon
 *    refusal and source maps as for job files) and frames it with the context into a
 *    payload (`preparePayload`, the code path of `tsapply run`, so custom serializers
 *    work too). For a captured function the payload's context is
 *    `{ context, captured }`: the values it captured travel with the job's serializer,
 *    once per job, and the plan stays small. The same function with equal captured
 *    values gives the same payload hash, so it is uploaded once per session.
 *
 * `init` is a function (captured like `fn`, or an export of fn's module), or — for an
 * exported `fn` only — the name of another export of fn's module.
 */
import { basename } from 'node:path';
import { bundleEntrySource, bundleGeneratedEntry, type JobBundle } from '@tsapply/bundler';
import { InvalidOptionError, type JobDefinition } from '@tsapply/common';
import { captureFunctions, SPARK, type CaptureGraph, type ShipDestination } from '../closures/capture.js';
import { generateModule, type JobExpression } from '../closures/generate-module.js';
import { acquireProbe, releaseProbe } from '../closures/inspector.js';
import { checkNativeAddons } from '../job/prepare-job.js';
import { checkContext, preparePayload, type PreparedPayload } from '../job/prepare-payload.js';
import { FunctionLocationError } from './errors.js';
import { exportedFunction } from './locate-function.js';
import { registerSourceRoot } from './translate-error.js';

export interface FunctionPayloadOptions {
  /** Value handed to the function as `ctx.context` (serialized once, shipped once). */
  context?: unknown;
  /** `'fast'`, `'compressed'` or a serializer module path. @default 'fast' */
  serializer?: string;
  /** Output schema DDL placed in the payload (null when it will be inferred). */
  schema: string | null;
  /**
   * Builds the job object from the expressions of apply and init (used by
   * `parallelize().map()` to wrap a per-item function). @default `{ apply, init }`
   */
  wrap?: JobExpression;
  /** Placed in the payload's meta for the workers, as a job file's are. */
  groupBy?: readonly string[];
  batchSize?: number;
  /**
   * Where the function runs: native addons are refused for Spark and only noted (through
   * `note`) on the embedded engine, which loads them from node_modules. @default 'spark'
   */
  engine?: 'local' | 'spark';
  note?: (text: string) => void;
}

/** How a function travels, decided at the call. */
export type FunctionPlan =
  | { mode: 'export'; file: string; exportName: string; initName: string | undefined; label: string; captureMs: number }
  | { mode: 'closure'; graph: CaptureGraph; anchor: string; label: string; captureMs: number };

export interface FunctionPayload {
  payload: PreparedPayload;
  bundle: JobBundle;
  plan: FunctionPlan;
  /** A short name for the function (its export or function name), for plans and messages. */
  exportName: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Decides, synchronously at the user's call, how `fn` (and `init`) travel, capturing
 * them by value when they are not exports of another module. Throws
 * `FunctionLocationError` / `ClosureCaptureError` / `InvalidOptionError`.
 */
export function planFunction(fn: unknown, init: unknown, to: ShipDestination = SPARK): FunctionPlan {
  const started = performance.now();
  if (typeof fn !== 'function') {
    throw FunctionLocationError.fromFields({ problem: `expected a function, got ${fn === null ? 'null' : typeof fn}` });
  }
  const probe = acquireProbe();
  try {
    const exported = exportedFunction(fn, probe);
    if (typeof init === 'string') {
      if (!exported) {
        throw new InvalidOptionError(
          `options.init can be an export name only when the function is exported from a module other than the running script; pass the init function itself (init: (context) => …), got ${JSON.stringify(init)}.`,
          { option: 'init' },
        );
      }
      if (!IDENT.test(init)) {
        throw new InvalidOptionError(`options.init must be an export name of ${basename(exported.file)} (an identifier), got ${JSON.stringify(init)}.`, { option: 'init' });
      }
    }
    const initExport = typeof init === 'function' && exported ? exportedFunction(init, probe) : undefined;
    if (exported && (init === undefined || typeof init === 'string' || initExport?.file === exported.file)) {
      const initName = typeof init === 'string' ? init : initExport?.exportName;
      return { mode: 'export', file: exported.file, exportName: exported.exportName, initName, label: exported.exportName, captureMs: performance.now() - started };
    }
    const graph = captureFunctions(fn, typeof init === 'function' ? init : undefined, probe, to);
    const anchor = graph.apply.script.file ?? `${process.cwd()}/${graph.apply.script.url || 'closure'}`;
    const label = fn.name && IDENT.test(fn.name) ? fn.name : 'closure';
    return { mode: 'closure', graph, anchor, label, captureMs: performance.now() - started };
  } finally {
    releaseProbe();
  }
}

/** The in-memory entry of an exported function: `import { fn, init } from './module'; export default { apply, init }`. */
function exportEntry(plan: Extract<FunctionPlan, { mode: 'export' }>, wrap: JobExpression | undefined): (specifier: string) => string {
  const imports = [`${plan.exportName} as __tsapply_apply`, ...(plan.initName ? [`${plan.initName} as __tsapply_init`] : [])];
  const init = plan.initName ? '__tsapply_init' : undefined;
  const job = wrap ? wrap('__tsapply_apply', init) : `{ apply: __tsapply_apply${init ? `, init: ${init}` : ''} }`;
  return (specifier) =>
    `// The entry that ships ${plan.exportName} from ${basename(plan.file)}.\nimport { ${imports.join(', ')} } from ${specifier};\nexport default ${job};\n`;
}

/** Bundles the planned function into a payload; refuses native addons before anything is shipped. */
export async function buildFunctionPayload(plan: FunctionPlan, options: FunctionPayloadOptions): Promise<FunctionPayload> {
  const bundle =
    plan.mode === 'export'
      ? await bundleGeneratedEntry(plan.file, exportEntry(plan, options.wrap), { cwd: process.cwd() })
      : await bundleEntrySource(plan.anchor, generateModule(plan.graph, options.wrap), { cwd: process.cwd() });
  checkNativeAddons(bundle, options.engine ?? 'spark', options.note ?? (() => undefined));
  registerSourceRoot(bundle.sourceRoot);
  // Checked on its own first, so a bad context is named `context.x`, as for job files.
  checkContext(options.context);
  const context = plan.mode === 'export' ? options.context : { context: options.context, captured: plan.graph.values };
  const job = { context, groupBy: options.groupBy, batchSize: options.batchSize } as unknown as JobDefinition;
  const payload = await preparePayload(bundle, job, { serializer: options.serializer ?? 'fast', cwd: process.cwd(), schema: options.schema });
  return { payload, bundle, plan, exportName: plan.label };
}
