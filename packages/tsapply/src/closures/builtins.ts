/**
 * The globals every worker has, and the built-in functions reachable from them.
 *
 * A free variable that resolves to the global object is left alone when its name is a
 * standard global (`Math`, `JSON`, `console`, `process`, `setTimeout`…): the worker
 * has its own. Any other global (a `var` or function typed at the REPL) is captured
 * like a variable. A captured variable holding a built-in function (`const max =
 * Math.max`) is written back as that path (`Math.max`) in the generated code instead
 * of being refused for having native source.
 */
import { runInNewContext } from 'node:vm';

/** Globals Node adds to the language's own (present in every worker process). */
const NODE_GLOBALS = [
  'global', 'globalThis', 'process', 'Buffer', 'console', 'require', 'module', 'exports', '__filename', '__dirname',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask',
  'structuredClone', 'atob', 'btoa', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController',
  'AbortSignal', 'EventTarget', 'Event', 'CustomEvent', 'MessageChannel', 'MessagePort', 'MessageEvent',
  'BroadcastChannel', 'Blob', 'File', 'FormData', 'Headers', 'Request', 'Response', 'fetch', 'performance',
  'crypto', 'Crypto', 'CryptoKey', 'SubtleCrypto', 'navigator', 'WebSocket', 'DOMException',
  'ReadableStream', 'WritableStream', 'TransformStream', 'CompressionStream', 'DecompressionStream',
  'TextEncoderStream', 'TextDecoderStream', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
  'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure', 'PerformanceObserver', 'PerformanceObserverEntryList',
  'PerformanceResourceTiming',
];

let standard: Set<string> | undefined;

/** Names of the globals a fresh worker has: the language's built-ins plus Node's. */
export function standardGlobals(): Set<string> {
  standard ??= new Set([...(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]), ...NODE_GLOBALS]);
  return standard;
}

let paths: Map<Function, string> | undefined;

/** `Math.max` → 'Math.max', `parseInt` → 'parseInt', `Array.prototype.map` → 'Array.prototype.map'. */
export function builtinPath(fn: Function): string | undefined {
  if (!paths) {
    paths = new Map();
    const g = globalThis as Record<string, unknown>;
    const add = (value: unknown, path: string) => {
      if (typeof value === 'function' && !paths!.has(value)) paths!.set(value, path);
    };
    for (const name of [...standardGlobals()].sort()) {
      if (name === 'global' || name === 'globalThis') continue;
      let value: unknown;
      try {
        value = g[name];
      } catch {
        continue;
      }
      add(value, name);
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
      for (const owner of [value, (value as { prototype?: unknown }).prototype]) {
        if ((typeof owner !== 'object' && typeof owner !== 'function') || owner === null) continue;
        const prefix = owner === value ? name : `${name}.prototype`;
        for (const key of Object.getOwnPropertyNames(owner)) {
          if (!/^[A-Za-z_$][\w$]*$/.test(key)) continue;
          const d = Object.getOwnPropertyDescriptor(owner, key);
          if (d && 'value' in d) add(d.value, `${prefix}.${key}`);
        }
      }
    }
  }
  return paths.get(fn);
}
