/**
 * Evaluates a CommonJS bundle (the job, or a custom serializer) inside this process.
 *
 * `vm.compileFunction` compiles the code as the body of a function taking the usual
 * CommonJS parameters, so line and column numbers in stack frames are exactly the
 * bundle's own (no wrapper line to subtract before source-mapping). The code runs in
 * the current V8 context — user code sees the real `Buffer`, `process`, globals and
 * typed arrays, and values it returns cross into the runtime without realm issues.
 */
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as vm from 'node:vm';

export interface EvaluateOptions {
  /**
   * Script name shown in stack frames, e.g. `tsapply-bundle:<hash>.js`. The source
   * mapper recognises bundle frames by this exact name.
   */
  filename: string;
  /**
   * File whose folder `require()` resolves from: the job's original source file, so
   * externals kept out of the bundle (native addons, node built-ins) resolve from the
   * job's own `node_modules`. Relative paths are resolved against the current directory.
   */
  requireFrom: string;
}

const CJS_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** Runs `code` as a CommonJS module and returns its `module.exports`. Throws what the module throws. */
export function evaluateCommonJs(code: string, options: EvaluateOptions): unknown {
  const requireFrom = isAbsolute(options.requireFrom) ? options.requireFrom : resolve(options.requireFrom);
  const compileOptions: vm.CompileFunctionOptions = { filename: options.filename };
  // Lets `await import('x')` inside the bundle use Node's normal loader (Node >= 20.16 / 21.7).
  const mainLoader = (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)
    ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (mainLoader !== undefined) {
    (compileOptions as { importModuleDynamically?: unknown }).importModuleDynamically = mainLoader;
  }
  const fn = vm.compileFunction(code, CJS_PARAMS, compileOptions);
  const module = { exports: {} as unknown, filename: requireFrom, id: options.filename, loaded: false };
  const require = createRequire(requireFrom);
  fn.call(module.exports, module.exports, require, module, requireFrom, dirname(requireFrom));
  module.loaded = true;
  return module.exports;
}
