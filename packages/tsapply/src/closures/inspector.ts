/**
 * What V8 knows about a function, read in-process through the inspector protocol:
 * where it was defined (`[[FunctionLocation]]`: script id, 0-based line and column),
 * the scopes it closes over (`[[Scopes]]`: innermost first, each with the variables
 * some closure of that scope uses), whether it is bound (`[[TargetFunction]]`), and
 * the URL, source text and source map URL of every script.
 *
 * Everything here is SYNCHRONOUS: an in-process inspector session answers `post`
 * before it returns, and capture relies on that — the values of captured variables
 * are read at the moment the user calls `mapInArrow(fn)`, before any `await` lets the
 * user's script change them. `post` checks it, so a future Node that answered later
 * fails loudly instead of capturing stale values.
 *
 * Cost, measured on this 2-core machine: `Debugger.enable` replays one
 * `scriptParsed` event per loaded script (~1600 in a tsx script importing tsapply),
 * ~75 ms the first time in a process and ~17 ms later; each function then costs two
 * or three round trips of well under a millisecond. (`[[Scopes]]` and
 * `[[FunctionLocation]]` need no Debugger domain; script URLs and sources do.) So one
 * probe is shared: `acquireProbe()` keeps it, with the Debugger enabled, for a few
 * seconds after its last use, and `prewarmProbe()` enables it ahead of the first call,
 * while a SparkSession connects (the event loop waits on the network then anyway).
 */
import { Session } from 'node:inspector';

/** The kinds of scope V8 reports, lower-cased (`Closure (make)` → `closure`). */
export type ScopeKind = 'closure' | 'block' | 'catch' | 'local' | 'module' | 'script' | 'global' | 'with' | 'eval' | 'other';

export interface ScopeInfo {
  kind: ScopeKind;
  /** V8's description, e.g. `Closure (makeScorer)`, `Module`, `Script`. */
  description: string;
  /**
   * The scope's variables as an object (a snapshot V8 materialises: values, not
   * bindings). For the global scope this is `globalThis` itself.
   */
  variables: Record<string, unknown>;
}

export interface FunctionLocation {
  scriptId: string;
  /** 0-based. */
  lineNumber: number;
  /** 0-based. */
  columnNumber: number;
}

export interface FunctionFacts {
  /** Undefined for built-in, native-addon and bound functions. */
  location: FunctionLocation | undefined;
  /** True for `f.bind(…)` results. */
  bound: boolean;
  scopes: ScopeInfo[];
}

export interface ScriptFacts {
  id: string;
  /** `file:///…` for modules and files, `REPL7` for REPL input, `node:…` or `` otherwise. */
  url: string;
  /** `data:` URL or path of the script's source map, `''` when none. */
  sourceMapURL: string;
}

const PROBE_KEY = '__tsapplyClosureProbe';

function scopeKind(description: string): ScopeKind {
  const word = description.split(' ')[0]!.toLowerCase();
  const kinds: readonly ScopeKind[] = ['closure', 'block', 'catch', 'local', 'module', 'script', 'global', 'with', 'eval'];
  return (kinds as readonly string[]).includes(word) ? (word as ScopeKind) : 'other';
}

/** One inspector session with the Debugger domain enabled; `close()` it when done. */
export class InspectorProbe {
  private readonly session = new Session();
  private readonly scripts = new Map<string, ScriptFacts>();
  private readonly sources = new Map<string, string>();

  constructor() {
    this.session.connect();
    this.session.on('Debugger.scriptParsed', (message) => {
      const p = message.params;
      this.scripts.set(p.scriptId, { id: p.scriptId, url: p.url, sourceMapURL: p.sourceMapURL ?? '' });
    });
    // Replays `scriptParsed` for every script already loaded, synchronously.
    this.post('Debugger.enable', {});
  }

  /** Sends one command and returns its answer, which an in-process session gives before `post` returns. */
  private post<T>(method: string, params: object): T {
    let answered = false;
    let error: Error | null = null;
    let result: unknown;
    this.session.post(method, params, (e: Error | null, r?: unknown) => {
      answered = true;
      error = e;
      result = r;
    });
    if (!answered) throw new Error(`The inspector did not answer ${method} synchronously; tsapply cannot capture closures on this Node.js version.`);
    if (error) throw error;
    return result as T;
  }

  /** Location, binding and scopes of `fn`. */
  inspect(fn: Function): FunctionFacts {
    const global = globalThis as Record<string, unknown>;
    global[PROBE_KEY] = fn;
    try {
      const { result } = this.post<{ result: { objectId?: string } }>('Runtime.evaluate', {
        expression: `globalThis.${PROBE_KEY}`,
        objectGroup: PROBE_KEY,
      });
      if (!result.objectId) throw new Error('the inspector returned no handle for the function');
      const props = this.post<{ internalProperties?: { name: string; value?: { value?: unknown; objectId?: string } }[] }>(
        'Runtime.getProperties',
        { objectId: result.objectId, ownProperties: true },
      );
      const internal = new Map((props.internalProperties ?? []).map((p) => [p.name, p.value]));
      const location = internal.get('[[FunctionLocation]]')?.value as FunctionLocation | undefined;
      const scopeList = internal.get('[[Scopes]]')?.objectId;
      let scopes: ScopeInfo[] = [];
      if (scopeList) {
        global[PROBE_KEY] = undefined;
        // One round trip: the scope list turns itself into a plain array of
        // { description, object } in this realm.
        this.post('Runtime.callFunctionOn', {
          objectId: scopeList,
          functionDeclaration: `function () { globalThis.${PROBE_KEY} = Array.from(this); }`,
        });
        const raw = (global[PROBE_KEY] ?? []) as { description: string; object: Record<string, unknown> }[];
        scopes = raw.map((s) => ({ kind: scopeKind(s.description), description: s.description, variables: s.object }));
      }
      return { location, bound: internal.has('[[TargetFunction]]'), scopes };
    } finally {
      delete global[PROBE_KEY];
      this.post('Runtime.releaseObjectGroup', { objectGroup: PROBE_KEY });
    }
  }

  script(scriptId: string): ScriptFacts | undefined {
    return this.scripts.get(scriptId);
  }

  /** REPL input scripts (`REPL1`, `REPL2`, …), newest first. */
  replScripts(): ScriptFacts[] {
    return [...this.scripts.values()]
      .filter((s) => /^REPL\d+$/.test(s.url))
      .sort((a, b) => Number(b.url.slice(4)) - Number(a.url.slice(4)));
  }

  /** The script's source text as V8 compiled it (after tsx's transform, for .ts files). */
  source(scriptId: string): string {
    let text = this.sources.get(scriptId);
    if (text === undefined) {
      text = this.post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId }).scriptSource;
      this.sources.set(scriptId, text);
    }
    return text;
  }

  close(): void {
    try {
      this.post('Debugger.disable', {});
    } finally {
      this.session.disconnect();
    }
  }
}

/** How long the shared probe keeps the Debugger enabled after its last use. */
const PROBE_IDLE_MS = 10_000;
let shared: InspectorProbe | undefined;
let idle: NodeJS.Timeout | undefined;

/** The process's probe (Debugger enabled); give it back with `releaseProbe()`. */
export function acquireProbe(): InspectorProbe {
  if (idle !== undefined) clearTimeout(idle);
  idle = undefined;
  return (shared ??= new InspectorProbe());
}

/** Closes the shared probe once it has been idle for a while (the timer never keeps the process alive). */
export function releaseProbe(): void {
  if (idle !== undefined) clearTimeout(idle);
  idle = setTimeout(() => {
    idle = undefined;
    const p = shared;
    shared = undefined;
    p?.close();
  }, PROBE_IDLE_MS);
  idle.unref();
}

/** Enables the shared probe now, so the next capture does not pay for it. */
export function prewarmProbe(): void {
  if (shared !== undefined) return;
  acquireProbe();
  releaseProbe();
}
