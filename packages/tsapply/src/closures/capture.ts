/**
 * Captures a function value — an inline arrow, a function of the running script, a
 * factory-made closure, a REPL function — together with everything it uses, BY VALUE,
 * at the moment of the call, as PySpark's cloudpickle and sparklyr do.
 *
 * For each function: V8 gives its source text and location (the script as V8 runs it:
 * tsx's output for a .ts file) and its scopes; acorn finds its free variables
 * (`scope-analysis.ts`); each free variable is looked up in the scopes, innermost
 * first, and becomes
 * - an IMPORT when it is an import binding (named, default, namespace, or a top-level
 *   `require`) of the script that defines the function: imported again in the
 *   generated module, so esbuild bundles it and dependency inference, native-addon
 *   refusal and source maps work as for job files;
 * - a FUNCTION (captured recursively; cycles are fine, each function is captured once),
 *   or a BUILT-IN (`Math.max`) written back by name;
 * - a VALUE: data checked and snapshotted (`captured-value.ts`), shipped in the
 *   payload with the job's serializer;
 * - nothing, for the worker's own globals (`Math`, `console`, `process`…).
 *
 * The result is a graph of blocks that mirrors the scopes: one block per module (or
 * CommonJS file, or REPL) whose variables are shared by every function of that module,
 * and inside it one block per function with the variables of its enclosing functions
 * (V8 does not say whether two closures share one call's scope, so each closure gets
 * its own copies of those; functions and objects keep their identity). Nothing here
 * imports the user's modules: the running script may still be evaluating its
 * top-level await.
 */
import { parse } from 'acorn';
import { importMetaOf } from '@tsapply/bundler';
import { ClosureCaptureError } from '../spark/errors.js';
import { builtinPath, standardGlobals } from './builtins.js';
import { checkCapturedValue, snapshotValue } from './captured-value.js';
import { stackPositions } from './call-site.js';
import { acquireProbe, releaseProbe, type InspectorProbe, type FunctionFacts, type ScopeInfo } from './inspector.js';
import { freeVariables, type AstNode } from './scope-analysis.js';
import { scriptIndex, type ImportBinding, type ScriptIndex } from './script-index.js';
import { dirname, resolve } from 'node:path';

export type Binding =
  | { kind: 'value'; index: number }
  | { kind: 'function'; fn: CapturedFunction }
  | { kind: 'import'; index: number }
  | { kind: 'builtin'; path: string };

export interface Block {
  /** What the block stands for, e.g. `module analysis.ts`, `closure of the arrow function at analysis.ts:12`. */
  label: string;
  parent: Block | undefined;
  children: Block[];
  /** Functions created in this block, in capture order. */
  functions: CapturedFunction[];
  bindings: Map<string, Binding>;
}

export interface CapturedFunction {
  /** Slot in the generated module's function table. */
  index: number;
  /** Source text as V8 has it (`Function.prototype.toString`). */
  text: string;
  /** `expression`: function, arrow or class text; `method`: `name(…) {…}` of an object literal. */
  form: 'expression' | 'method';
  methodKey: string | undefined;
  script: ScriptIndex;
  /** Offset of `text` in the script's source. */
  start: number;
  /** Offsets (in `text`) of every token: the generated source map maps each to the original. */
  tokens: number[];
  /** Relative `import()`/`require()` specifiers, re-anchored to the script's folder. */
  rewrites: { start: number; end: number; text: string }[];
  block: Block;
  /** `the arrow function at analysis.ts:31`. */
  description: string;
  /** The name a function or class text declares itself with (`function helper…`), if any. */
  ownName: string | undefined;
}

export interface CapturedImport {
  /** A bare specifier, or an absolute path for the user's own modules. */
  specifier: string;
  imported: string;
  viaRequire: boolean;
}

export interface CaptureGraph {
  root: Block;
  functions: CapturedFunction[];
  /** Snapshots of captured data, by value slot. */
  values: unknown[];
  /** Functions to put back inside captured data on the worker. */
  patches: { value: number; path: (string | number)[]; fn: number }[];
  imports: CapturedImport[];
  apply: CapturedFunction;
  init: CapturedFunction | undefined;
}

/** Where a captured variable was found. */
interface Found {
  scope: ScopeInfo;
  /** 'closure': a scope of an enclosing function or block; 'top': the module/file/REPL; 'global'. */
  level: 'closure' | 'top' | 'global';
  value: unknown;
}

const NATIVE_SOURCE = /\{\s*\[native code\]\s*\}$/;

/**
 * A plain object (or module namespace) the function only uses as `obj.prop` is
 * captured as the properties it uses: `config.threshold` does not drag in
 * `config.client`, and a notebook kernel's object of every cell's variables (tslab
 * compiles `k` of an earlier cell to `exports.k`) ships only what the function reads.
 */
function usedMembers(value: unknown, members: Set<string> | null | undefined): unknown {
  if (!members || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  const namespace = (value as Record<symbol, unknown>)[Symbol.toStringTag] === 'Module';
  if (proto !== Object.prototype && proto !== null && !namespace) return value;
  const part: Record<string, unknown> = {};
  for (const key of members) if (Object.prototype.hasOwnProperty.call(value, key) || (namespace && key in value)) part[key] = (value as Record<string, unknown>)[key];
  return part;
}

function hasOwn(o: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, name);
}

/**
 * Parses a function's text: as an expression, else as an object-literal method; as a
 * script, else as a module (the text of a function from an ES module may use `import.meta`).
 */
function parseFunctionText(text: string): { root: AstNode; form: 'expression' | 'method'; methodKey?: string; tokens: number[]; prefix: number } | undefined {
  const forms = [['(', ')', 'expression'], ['({', '})', 'method']] as const;
  for (const [sourceType, [open, close, form]] of (['script', 'module'] as const).flatMap((t) => forms.map((f) => [t, f] as const))) {
    const tokens: number[] = [];
    try {
      const program = parse(`${open}${text}${close}`, {
        ecmaVersion: 'latest',
        sourceType,
        allowReserved: true,
        onToken: (t) => {
          const at = t.start - open.length;
          if (at >= 0 && at < text.length) tokens.push(at);
        },
      }) as unknown as AstNode;
      const expr = ((program.body as AstNode[])[0]!.expression as AstNode);
      if (form === 'expression') return { root: expr, form, tokens, prefix: open.length };
      const prop = (expr.properties as AstNode[])[0]!;
      const key = prop.key as AstNode;
      const methodKey = prop.computed ? undefined : ((key.name ?? key.value) as string);
      return { root: prop, form, tokens, prefix: open.length, ...(methodKey !== undefined ? { methodKey } : {}) };
    } catch {
      // Not this form; try the next.
    }
  }
  return undefined;
}

function rootKind(root: AstNode, fn: Function): string {
  if (root.type === 'ClassExpression') return fn.name ? `class "${fn.name}"` : 'the anonymous class';
  if (root.type === 'ArrowFunctionExpression') return 'the arrow function';
  if (root.type === 'Property') return `method "${fn.name}"`;
  const gen = root.generator ? 'generator ' : '';
  return fn.name ? `${gen}function "${fn.name}"` : `the anonymous ${gen}function`;
}

/** Where captured functions go, as messages name it: Spark's executors, or the embedded engine's threads. */
export interface ShipDestination {
  /** "Cannot ship the function to <engine>". */
  engine: string;
  /** "cannot travel to <place>". */
  place: string;
}

export const SPARK: ShipDestination = { engine: 'Spark', place: 'the executors' };
export const WORKER_THREADS: ShipDestination = { engine: 'the worker threads', place: 'the worker threads' };

/** What to call a function in messages when it has no source (native, bound). */
function nativeName(fn: Function): string {
  const path = builtinPath(fn);
  if (path) return path;
  return fn.name ? `function "${fn.name}"` : 'the function';
}

export class Capturer {
  private readonly byFunction = new Map<Function, CapturedFunction>();
  private readonly byObject = new Map<object, number>();
  private readonly importSlots = new Map<string, number>();
  private readonly topBlocks = new Map<string, Block>();
  readonly root: Block = { label: 'globals', parent: undefined, children: [], functions: [], bindings: new Map() };
  readonly functions: CapturedFunction[] = [];
  readonly values: unknown[] = [];
  readonly patches: CaptureGraph['patches'] = [];
  readonly imports: CapturedImport[] = [];
  /**
   * Each variable of an enclosing function's scope (a factory's) that a captured
   * function uses, by scope and name: who uses it and who assigns it. Such a variable is
   * copied into each function that captures it, so two functions that share it and
   * write it would part ways on the executors; `refuseSharedWrites` refuses that.
   */
  private readonly closureUses = new Map<string, { name: string; owner: string; declaredAt: string | undefined; users: Set<CapturedFunction>; writer?: { cf: CapturedFunction; at: string } }>();

  constructor(
    readonly probe: InspectorProbe,
    readonly to: ShipDestination = SPARK,
  ) {}

  /** A refusal, worded as every one is: "Cannot ship the function to <engine>: <reason>". */
  private refusal(reason: string, fields: ConstructorParameters<typeof ClosureCaptureError>[1]): ClosureCaptureError {
    return new ClosureCaptureError(`Cannot ship the function to ${this.to.engine}: ${reason}`, fields);
  }

  /** V8's facts about `fn` and the index of its script. */
  facts(fn: Function): { facts: FunctionFacts; script: ScriptIndex | undefined } {
    const facts = this.probe.inspect(fn);
    if (!facts.location) return { facts, script: undefined };
    const id = facts.location.scriptId;
    const info = this.probe.script(id);
    const script = scriptIndex(id, info?.url ?? '', info?.sourceMapURL ?? '', () => this.probe.source(id));
    return { facts, script };
  }

  /** Offset of `fn`'s text in its script (the location V8 gives points inside it). */
  static textStart(script: ScriptIndex, text: string, facts: FunctionFacts): number {
    const at = script.offsetOf(facts.location!.lineNumber, facts.location!.columnNumber);
    const start = script.source.lastIndexOf(text, at);
    return start >= 0 && start + text.length >= at ? start : script.source.indexOf(text);
  }

  /**
   * Captures `fn` and everything it uses. `via` names the variable that holds it when
   * it is captured for another function (for messages).
   */
  capture(fn: Function, via?: { variable: string; declaredAt: string | undefined; user: string }): CapturedFunction {
    const seen = this.byFunction.get(fn);
    if (seen) return seen;
    const { facts, script } = this.facts(fn);
    const subject = via ? `${via.user} captures ${via.variable}` : 'the function';
    const declared = via?.declaredAt ? `, declared at ${via.declaredAt}` : '';
    if (facts.bound) {
      throw this.refusal(
        `${via ? `${subject}, a bound function (made with .bind())${declared}` : `${nativeName(fn)} is a bound function (made with .bind())`}. ` +
          'Its target and bound arguments cannot be read back. Capture the original function and its arguments instead, e.g. (batch, ctx) => f(x, batch, ctx).',
        { variable: via?.variable ?? fn.name, kind: 'a bound function', declaredAt: via?.declaredAt },
      );
    }
    if (!facts.location || !script) {
      const builtin = builtinPath(fn);
      const kind = builtin ? (via ? `a built-in function (${builtin})` : 'a built-in function') : 'a native function (its source is native code, e.g. from a native addon)';
      throw this.refusal(
        `${via ? `${subject}, ${kind}${declared}` : `${nativeName(fn)} is ${kind}`}. ` +
          (builtin
            ? `Pass a function of your own that calls it, e.g. (batch, ctx) => … ${builtin}(…) ….`
            : `Only JavaScript source can travel to ${this.to.place}: import it from its package in the module that uses it (import { f } from \'pkg\'), so tsapply bundles the import and checks its native addon, or call it in init() on the worker.`),
        { variable: via?.variable ?? fn.name, kind, declaredAt: via?.declaredAt },
      );
    }
    const text = Function.prototype.toString.call(fn);
    const start = Capturer.textStart(script, text, facts);
    const parsed = parseFunctionText(text);
    const at = script.where(start >= 0 ? start : script.offsetOf(facts.location.lineNumber, facts.location.columnNumber));
    if (!parsed || start < 0) {
      throw this.refusal(
        `${subject}, ${fn.name ? `function "${fn.name}"` : 'a function'} at ${at}, whose source text tsapply cannot read back as a function. Move it into a module of your own and export it.`,
        { variable: via?.variable ?? fn.name, kind: 'unreadable function source', declaredAt: via?.declaredAt ?? at },
      );
    }
    const description = `${rootKind(parsed.root, fn)} at ${at}`;
    if (parsed.root.type === 'Property' && (parsed.root.kind === 'get' || parsed.root.kind === 'set' || parsed.methodKey === undefined)) {
      throw this.refusal(
        `${via ? `${subject}, ` : ''}${description} is a getter, setter or computed-key method. Use a plain function or arrow function property instead.`,
        { variable: via?.variable ?? fn.name, kind: 'an accessor or computed method', declaredAt: via?.declaredAt ?? at },
      );
    }
    const free = freeVariables(parsed.root);
    this.refuseEscapes(free, parsed.root, description, script, start - parsed.prefix);

    const cf: CapturedFunction = {
      index: this.functions.length,
      text,
      form: parsed.form,
      methodKey: parsed.methodKey,
      script,
      start,
      tokens: parsed.tokens,
      // Paths relative to the function's file, and its `import.meta`, keep naming that
      // file once the text is copied into the generated module.
      rewrites: script.file
        ? [
            ...free.relativeSpecifiers.map((lit) => ({
              start: lit.start - parsed.prefix,
              end: lit.end - parsed.prefix,
              text: JSON.stringify(resolve(dirname(script.file!), lit.value as string)),
            })),
            ...free.importMeta.map((meta) => ({ start: meta.start - parsed.prefix, end: meta.end - parsed.prefix, text: `(${JSON.stringify(importMetaOf(script.file!))})` })),
          ]
        : [],
      block: this.root, // set below, once the scopes are known
      description,
      ownName: parsed.form === 'expression' ? ((parsed.root.id as AstNode | null)?.name as string | undefined) : undefined,
    };
    this.byFunction.set(fn, cf);
    this.functions.push(cf);

    const scopes = facts.scopes;
    const globalAt = scopes.findIndex((s) => s.kind === 'global');
    const topAt = this.topScopeIndex(scopes, globalAt, script);
    const top = topAt >= 0 ? this.topBlock(scopes[topAt]!, script) : this.root;
    let own: Block | undefined;
    const ownBlock = (): Block => {
      if (!own) {
        own = { label: `closure of ${description}`, parent: top, children: [], functions: [], bindings: new Map() };
        top.children.push(own);
      }
      return own;
    };
    const found: [string, Found][] = [];
    for (const name of free.names.keys()) {
      const f = this.find(name, scopes, topAt, globalAt);
      if (f) found.push([name, { ...f, value: usedMembers(f.value, free.members.get(name)) }]);
    }
    // The function's block must exist before captured functions are placed beside it.
    if (found.some(([, f]) => f.level === 'closure')) ownBlock();
    cf.block = own ?? top;
    cf.block.functions.push(cf);
    for (const [name, f] of found) {
      if (f.level === 'closure') {
        const wrote = free.assigned.get(name);
        this.noteClosureUse(name, f.scope, cf, wrote === undefined ? undefined : script.where(start - parsed.prefix + wrote));
      }
      const block = f.level === 'closure' ? ownBlock() : f.level === 'top' ? top : this.root;
      if (block.bindings.has(name)) continue;
      // Reserve the name first: a cycle of closures comes back here through capture().
      block.bindings.set(name, { kind: 'builtin', path: 'undefined' });
      block.bindings.set(name, this.bind(name, f, cf, script));
    }
    return cf;
  }

  private noteClosureUse(name: string, scope: ScopeInfo, cf: CapturedFunction, writtenAt: string | undefined): void {
    const key = `${cf.script.id}|${scope.description}|${name}`;
    let use = this.closureUses.get(key);
    if (!use) {
      const offset = cf.script.declarationOf(name, cf.start);
      const owner = /\((.+)\)/.exec(scope.description)?.[1];
      use = { name, owner: owner ? `the scope of ${owner}` : 'an enclosing scope', declaredAt: offset === undefined ? undefined : cf.script.where(offset), users: new Set() };
      this.closureUses.set(key, use);
    }
    use.users.add(cf);
    if (writtenAt !== undefined) use.writer ??= { cf, at: writtenAt };
  }

  /** Refuses a variable of a factory's scope that two captured functions share and one of them assigns. */
  refuseSharedWrites(): void {
    for (const use of this.closureUses.values()) {
      const writer = use.writer;
      const other = writer && [...use.users].find((u) => u !== writer.cf);
      if (!writer || !other) continue;
      throw this.refusal(
        `${writer.cf.description} and ${other.description} share ${use.name}, a variable of ${use.owner}` +
          `${use.declaredAt ? ` declared at ${use.declaredAt}` : ''}, and the first assigns it at ${writer.at}. Each shipped function gets its own copy ` +
          `of what it captures, so on ${this.to.place} the other would not see the change. Keep the state in one function, or in ctx.state (what init() returns).`,
        { variable: use.name, kind: 'a variable that closures share and one assigns', declaredAt: use.declaredAt },
      );
    }
  }

  private refuseEscapes(free: ReturnType<typeof freeVariables>, root: AstNode, description: string, script: ScriptIndex, base: number): void {
    const escapes: [number | undefined, string, string][] = [
      [free.escapingThis, 'this', 'the `this` of the code around it (e.g. the enclosing class method\'s object)'],
      [free.escapingSuper, 'super', 'the `super` of the enclosing method'],
      [free.escapingArguments, 'arguments', 'the `arguments` of the enclosing function'],
      [free.escapingNewTarget, 'new.target', 'the `new.target` of the enclosing function'],
    ];
    for (const [offset, variable, kind] of escapes) {
      if (offset === undefined) continue;
      const where = script.where(base + offset);
      throw this.refusal(
        `${description} uses ${variable} at ${where}, ${kind}, which cannot travel to ${this.to.place}. ` +
          (variable === 'this'
            ? 'Copy what it needs into a constant before the call (const rate = this.rate) and use that, or pass it in the context option.'
            : `Pass what it needs as a variable or in the context option instead of ${variable}.`),
        { variable, kind, declaredAt: where },
      );
    }
    if (free.directEval !== undefined) {
      const where = script.where(base + free.directEval);
      throw this.refusal(
        `${description} calls eval() at ${where}, which may read any variable around it, so tsapply cannot tell what to capture. Remove the eval, or move the code into a module of your own and export it.`,
        { variable: 'eval', kind: 'a direct eval', declaredAt: where },
      );
    }
    void root;
  }

  /** Index of the scope that stands for the whole module / CommonJS file / REPL, or -1. */
  private topScopeIndex(scopes: ScopeInfo[], globalAt: number, script: ScriptIndex): number {
    const end = globalAt >= 0 ? globalAt : scopes.length;
    for (let i = end - 1; i >= 0; i--) if (scopes[i]!.kind === 'module' || scopes[i]!.kind === 'script') return i;
    // A CommonJS file: Node wraps it in a function, whose scope is the file's top level.
    if (end > 0 && script.file && scopes[end - 1]!.kind === 'closure') return end - 1;
    return -1;
  }

  private topBlock(scope: ScopeInfo, script: ScriptIndex): Block {
    const key = scope.kind === 'script' ? 'script' : `${scope.kind}:${script.id}`;
    let block = this.topBlocks.get(key);
    if (!block) {
      const label = scope.kind === 'script' ? 'REPL and classic scripts' : scope.kind === 'module' ? `module ${script.display}` : `file ${script.display}`;
      block = { label, parent: this.root, children: [], functions: [], bindings: new Map() };
      this.root.children.push(block);
      this.topBlocks.set(key, block);
    }
    return block;
  }

  private find(name: string, scopes: ScopeInfo[], topAt: number, globalAt: number): Found | undefined {
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i]!;
      if (i === globalAt) {
        if (standardGlobals().has(name) || !hasOwn(globalThis, name)) return undefined;
        return { scope, level: 'global', value: (globalThis as Record<string, unknown>)[name] };
      }
      if (name in scope.variables) {
        // CommonJS's own `require` stays the worker's: the generated module has one.
        if (name === 'require' && i === topAt && scope.kind === 'closure') return undefined;
        return { scope, level: i === topAt ? 'top' : 'closure', value: scope.variables[name] };
      }
    }
    return undefined;
  }

  /** The REPL (or classic) script that declares `name` at its top level, newest first. */
  private replDeclaration(name: string): { script: ScriptIndex; offset: number } | undefined {
    for (const s of this.probe.replScripts()) {
      const index = scriptIndex(s.id, s.url, s.sourceMapURL, () => this.probe.source(s.id));
      const ast = index.ast;
      if (!ast) continue;
      const offset = index.declarationOf(name, 0);
      if (offset !== undefined) return { script: index, offset };
    }
    return undefined;
  }

  private declaration(
    name: string,
    f: Found,
    cf: CapturedFunction,
  ): { where: string | undefined; offset: number | undefined; importBinding: ImportBinding | undefined; script: ScriptIndex } {
    if (f.level === 'global' || f.scope.kind === 'script') {
      const d = this.replDeclaration(name);
      if (d) return { where: d.script.where(d.offset), offset: d.offset, importBinding: d.script.imports().get(name), script: d.script };
      return { where: undefined, offset: undefined, importBinding: undefined, script: cf.script };
    }
    const offset = cf.script.declarationOf(name, cf.start);
    const importBinding = f.level === 'top' ? cf.script.imports().get(name) : undefined;
    return { where: offset === undefined ? undefined : cf.script.where(offset), offset, importBinding, script: cf.script };
  }

  /**
   * Refuses a top-level `let`, `const` or `class` that the call runs before. V8 shows
   * such a binding as `undefined`, but the code has not reached it yet (its temporal dead
   * zone), so shipping `undefined` would hide the mistake until the executors ran.
   */
  private refuseDeadZone(name: string, offset: number, script: ScriptIndex, cf: CapturedFunction): void {
    const lexical = script.topLevelLexical(offset);
    if (!lexical) return;
    const key = script.file ?? script.url;
    // Where the script's own top-level code stands: its outermost frame outside any function.
    const here = stackPositions()
      .filter((p) => p.script === key && script.isTopLevelCode(p.position))
      .at(-1);
    if (!here || here.position >= lexical.end) return;
    const declaredAt = script.where(offset);
    throw this.refusal(
      `${cf.description} captures ${name}, declared with ${lexical.keyword} at ${declaredAt}, ` +
        `but this call, at ${script.where(here.position)}, runs before that declaration has run, so ${name} has no value yet. ` +
        'Move the declaration above the call.',
      { variable: name, kind: `a ${lexical.keyword} not yet declared when the call runs`, declaredAt },
    );
  }

  private bind(name: string, f: Found, cf: CapturedFunction, script: ScriptIndex): Binding {
    const decl = this.declaration(name, f, cf);
    if (decl.importBinding) return { kind: 'import', index: this.importSlot(decl.importBinding, decl.script) };
    const value = f.value;
    if (value === undefined && f.level === 'top' && decl.offset !== undefined) this.refuseDeadZone(name, decl.offset, decl.script, cf);
    if (typeof value === 'function') {
      // Only a function with native source can be a built-in (the table is built on first need).
      const path = NATIVE_SOURCE.test(Function.prototype.toString.call(value)) ? builtinPath(value) : undefined;
      if (path) return { kind: 'builtin', path };
      return { kind: 'function', fn: this.capture(value, { variable: name, declaredAt: decl.where, user: cf.description }) };
    }
    // msgpack has no -0; a captured -0 is written into the code instead.
    if (Object.is(value, -0)) return { kind: 'builtin', path: '-0' };
    const checked = checkCapturedValue(value, name, this.to.place);
    if (checked.problem) {
      const p = checked.problem;
      throw this.refusal(
        `${cf.description} captures ${p.path}, ${p.kind}${decl.where ? `, declared at ${decl.where}` : ''}. ${p.advice}`,
        { variable: p.path, kind: p.kind, declaredAt: decl.where },
      );
    }
    let slot = typeof value === 'object' && value !== null ? this.byObject.get(value) : undefined;
    if (slot === undefined) {
      slot = this.values.length;
      this.values.push(snapshotValue(value, checked.functions));
      if (typeof value === 'object' && value !== null) this.byObject.set(value, slot);
      for (const nested of checked.functions) {
        const path = NATIVE_SOURCE.test(Function.prototype.toString.call(nested.fn)) ? builtinPath(nested.fn) : undefined;
        if (path) throw this.refusal(
          `${cf.description} captures ${nested.display}, a built-in function (${path}) inside data. Call it from a function of your own instead.`,
          { variable: nested.display, kind: `a built-in function (${path})`, declaredAt: decl.where },
        );
        const captured = this.capture(nested.fn, { variable: nested.display, declaredAt: decl.where, user: cf.description });
        this.patches.push({ value: slot, path: nested.path, fn: captured.index });
      }
    }
    void script;
    return { kind: 'value', index: slot };
  }

  private importSlot(binding: ImportBinding, script: ScriptIndex): number {
    const relative = binding.specifier.startsWith('./') || binding.specifier.startsWith('../');
    const base = script.file ? dirname(script.file) : process.cwd();
    const specifier = relative ? resolve(base, binding.specifier) : binding.specifier;
    const key = `${binding.viaRequire ? 'require' : 'import'}|${specifier}|${binding.imported}`;
    let slot = this.importSlots.get(key);
    if (slot === undefined) {
      slot = this.imports.length;
      this.imports.push({ specifier, imported: binding.imported, viaRequire: binding.viaRequire });
      this.importSlots.set(key, slot);
    }
    return slot;
  }
}

/** Captures `apply` (and `init`) with one inspector session. */
export function captureFunctions(apply: Function, init: Function | undefined, probe?: InspectorProbe, to: ShipDestination = SPARK): CaptureGraph {
  const own = probe === undefined;
  const p = probe ?? acquireProbe();
  try {
    const c = new Capturer(p, to);
    const applyFn = c.capture(apply);
    const initFn = init ? c.capture(init) : undefined;
    c.refuseSharedWrites();
    return { root: c.root, functions: c.functions, values: c.values, patches: c.patches, imports: c.imports, apply: applyFn, init: initFn };
  } finally {
    if (own) releaseProbe();
  }
}
