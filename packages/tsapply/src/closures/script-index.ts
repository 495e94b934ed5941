/**
 * One script as V8 runs it, indexed for capture: its source (tsx's output for a .ts
 * file), the original position of any offset (through the script's inline source map
 * when it has one, so a `.ts` line is reported, not a line of tsx's output), its
 * import and `require` bindings, its exports, and where a name is declared.
 *
 * Scripts are parsed with acorn once per process and kept, keyed by V8's script id
 * (ids are never reused within a process).
 */
import { parse } from 'acorn';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import { children, declaredNames, type AstNode } from './scope-analysis.js';

/** A position in the code the user wrote. */
export interface OriginalPosition {
  /** Absolute path of the file, or the REPL's script name (`REPL7`). */
  source: string;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
}

/** How a module binding is brought in: `import { a as b } from 'x'` → { specifier: 'x', imported: 'a' }. */
export interface ImportBinding {
  specifier: string;
  /** The export imported, `'default'`, or `'*'` for a namespace import. */
  imported: string;
  /** `require('x')` (optionally `.prop`) instead of an import declaration. */
  viaRequire: boolean;
}

export class ScriptIndex {
  /** Absolute path when the script is a file, else undefined. */
  readonly file: string | undefined;
  private lineStarts: number[] | undefined;
  private astCache: AstNode | null | undefined;
  private mapCache: SourceMapConsumer | null | undefined;
  private importsCache: Map<string, ImportBinding> | undefined;

  constructor(
    readonly id: string,
    readonly url: string,
    readonly source: string,
    private readonly sourceMapURL: string,
  ) {
    this.file = url.startsWith('file:') ? fileURLToPath(url) : isAbsolute(url) ? url : undefined;
  }

  /** `analysis.ts` relative to the working directory, or the REPL script name. */
  get display(): string {
    return displayPath(this.file ?? (this.url || 'anonymous script'));
  }

  /** The whole script parsed (module, else script), or null when acorn cannot parse it. */
  get ast(): AstNode | null {
    if (this.astCache === undefined) {
      const base = { ecmaVersion: 'latest', allowHashBang: true, allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, allowImportExportEverywhere: true } as const;
      try {
        this.astCache = parse(this.source, { ...base, sourceType: 'module' }) as unknown as AstNode;
      } catch {
        try {
          this.astCache = parse(this.source, { ...base, sourceType: 'script' }) as unknown as AstNode;
        } catch {
          this.astCache = null;
        }
      }
    }
    return this.astCache;
  }

  /** 0-based line and column of an offset in the script's source. */
  lineColumn(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.source.length; i++) if (this.source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.lineStarts[lo]! };
  }

  /** Offset of a 0-based line and column. */
  offsetOf(line: number, column: number): number {
    this.lineColumn(0);
    return (this.lineStarts![line] ?? this.source.length) + column;
  }

  private get map(): SourceMapConsumer | null {
    if (this.mapCache === undefined) {
      this.mapCache = null;
      const m = /^data:application\/json(?:;charset=[^;,]+)?;base64,(.*)$/.exec(this.sourceMapURL);
      if (m) {
        try {
          this.mapCache = new SourceMapConsumer(JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as RawSourceMap);
        } catch {
          this.mapCache = null;
        }
      }
    }
    return this.mapCache;
  }

  private resolveSource(source: string): string {
    if (source.startsWith('file:')) return fileURLToPath(source);
    if (isAbsolute(source) || !this.file) return source;
    return resolve(dirname(this.file), source);
  }

  /** Where the user wrote the code at `offset` of this script. */
  original(offset: number): OriginalPosition {
    const { line, column } = this.lineColumn(offset);
    const map = this.map;
    if (map) {
      const pos = map.originalPositionFor({ line: line + 1, column });
      if (pos.source !== null && pos.line !== null && pos.column !== null) {
        return { source: this.resolveSource(pos.source), line: pos.line, column: pos.column };
      }
    }
    return { source: this.file ?? this.url, line: line + 1, column };
  }

  /** The text of an original source, for the generated source map's `sourcesContent`. */
  originalContent(source: string): string | null {
    const map = this.map;
    if (map) {
      for (const s of map.sources) {
        if (this.resolveSource(s) === source) {
          const content = map.sourceContentFor(s, true);
          if (content) return content;
        }
      }
    }
    if (source === (this.file ?? this.url) && !map) return this.source;
    try {
      return readFileSync(source, 'utf8');
    } catch {
      return null;
    }
  }

  /** `file:line` of an offset, in the user's terms (e.g. `analysis.ts:31`). */
  where(offset: number): string {
    const p = this.original(offset);
    return `${displayPath(p.source)}:${p.line}`;
  }

  /** Import declarations and top-level `x = require('…')` bindings, by local name. */
  imports(): Map<string, ImportBinding> {
    if (this.importsCache) return this.importsCache;
    const out = new Map<string, ImportBinding>();
    for (const s of (this.ast?.body ?? []) as AstNode[]) {
      if (s.type === 'ImportDeclaration') {
        const specifier = (s.source as AstNode).value as string;
        for (const spec of s.specifiers as AstNode[]) {
          const local = (spec.local as AstNode).name as string;
          const imported =
            spec.type === 'ImportNamespaceSpecifier'
              ? '*'
              : spec.type === 'ImportDefaultSpecifier'
                ? 'default'
                : (((spec.imported as AstNode).name ?? (spec.imported as AstNode).value) as string);
          out.set(local, { specifier, imported, viaRequire: false });
        }
      } else if (s.type === 'VariableDeclaration') {
        for (const d of s.declarations as AstNode[]) requireBinding(d, out);
      }
    }
    this.importsCache = out;
    return out;
  }

  /** The function or class node whose source text is `[start, end)`. */
  nodeAt(start: number, end: number): AstNode | undefined {
    let node: AstNode | undefined = this.ast ?? undefined;
    while (node) {
      if (node.start === start && node.end === end && /Function|Class/.test(node.type)) return node;
      node = children(node).find((c) => c.start <= start && c.end >= end);
    }
    return undefined;
  }

  /**
   * The name under which this module exports the function whose text is
   * `[start, end)`, when it does so directly: `export function f`, `export const f =
   * …`, `export default …`, or a top-level `function f` / `const f` listed in
   * `export { f as g }`. Undefined otherwise (CommonJS exports included).
   */
  exportNameOf(start: number, end: number): string | undefined {
    const body = (this.ast?.body ?? []) as AstNode[];
    const matches = (n: AstNode | null | undefined): boolean => !!n && n.start === start && n.end === end;
    const localOf = (decl: AstNode | null | undefined): string | undefined => {
      if (!decl) return undefined;
      if (decl.type === 'FunctionDeclaration' && matches(decl)) return (decl.id as AstNode).name as string;
      if (decl.type === 'VariableDeclaration' && decl.kind === 'const') {
        const d = (decl.declarations as AstNode[]).find((x) => matches(x.init as AstNode) && (x.id as AstNode).type === 'Identifier');
        if (d) return (d.id as AstNode).name as string;
      }
      return undefined;
    };
    let local: string | undefined;
    for (const s of body) {
      if (s.type === 'ExportNamedDeclaration') {
        const name = localOf(s.declaration as AstNode | null);
        if (name) return name;
      } else if (s.type === 'ExportDefaultDeclaration') {
        if (matches(s.declaration as AstNode)) return 'default';
      } else {
        local ??= localOf(s);
      }
    }
    if (local === undefined) return undefined;
    for (const s of body) {
      if (s.type !== 'ExportNamedDeclaration' || s.source) continue;
      for (const spec of (s.specifiers ?? []) as AstNode[]) {
        if ((spec.local as AstNode).name === local) {
          const exported = spec.exported as AstNode;
          return (exported.name ?? exported.value) as string;
        }
      }
    }
    return undefined;
  }

  /**
   * Offset of the identifier that declares `name` as seen from `offset`: in the
   * innermost enclosing scope that declares it, else at the top level. Undefined when
   * the script does not declare it.
   */
  declarationOf(name: string, offset: number): number | undefined {
    const ast = this.ast;
    if (!ast) return undefined;
    const chain: AstNode[] = [];
    for (let node: AstNode | undefined = ast; node; node = children(node).find((c) => c.start <= offset && c.end > offset)) chain.push(node);
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = chain[i]!;
      const id = declaredNames(node).get(name);
      if (id) return id.start;
      if ((node.type === 'FunctionExpression' || node.type === 'ClassExpression') && (node.id as AstNode | null)?.name === name) return (node.id as AstNode).start;
    }
    return undefined;
  }

  /** True when `offset` lies in the script's top-level code, outside every function and class body. */
  isTopLevelCode(offset: number): boolean {
    let node: AstNode | undefined = this.ast ?? undefined;
    if (!node) return false;
    while (node) {
      if (/Function|ClassBody|StaticBlock/.test(node.type)) return false;
      node = children(node).find((c: AstNode) => c.start <= offset && c.end > offset);
    }
    return true;
  }

  /**
   * When the identifier at `idOffset` is declared by a top-level `let`, `const` or
   * `class`, the keyword and where its declarator (or class) ends: until the code gets
   * there, the binding is in its temporal dead zone. Undefined for anything else
   * (`var` and `function` are hoisted, so they always have a value).
   */
  topLevelLexical(idOffset: number): { keyword: 'let' | 'const' | 'class'; end: number } | undefined {
    for (let s of (this.ast?.body ?? []) as AstNode[]) {
      if ((s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration') && s.declaration) s = s.declaration as AstNode;
      if (s.start > idOffset || s.end <= idOffset) continue;
      if (s.type === 'ClassDeclaration' && (s.id as AstNode | null)?.start === idOffset) return { keyword: 'class', end: s.end };
      if (s.type === 'VariableDeclaration' && (s.kind === 'let' || s.kind === 'const')) {
        const d = (s.declarations as AstNode[]).find((x) => x.start <= idOffset && x.end > idOffset);
        if (d) return { keyword: s.kind, end: d.end };
      }
      return undefined;
    }
    return undefined;
  }
}

function requireCall(n: AstNode | null | undefined): string | undefined {
  if (n?.type !== 'CallExpression') return undefined;
  const callee = n.callee as AstNode;
  const arg = (n.arguments as AstNode[])[0];
  if (callee.type === 'Identifier' && callee.name === 'require' && arg?.type === 'Literal' && typeof arg.value === 'string') return arg.value;
  return undefined;
}

/** `const x = require('m')`, `const y = require('m').p`, `const { p: z } = require('m')`. */
function requireBinding(d: AstNode, out: Map<string, ImportBinding>): void {
  const id = d.id as AstNode;
  const init = d.init as AstNode | null;
  const direct = requireCall(init);
  if (direct !== undefined && id.type === 'Identifier') {
    out.set(id.name as string, { specifier: direct, imported: '*', viaRequire: true });
    return;
  }
  if (direct !== undefined && id.type === 'ObjectPattern') {
    for (const p of id.properties as AstNode[]) {
      const key = p.key as AstNode | undefined;
      const value = p.value as AstNode | undefined;
      if (p.type === 'Property' && !p.computed && key?.type === 'Identifier' && value?.type === 'Identifier') {
        out.set(value.name as string, { specifier: direct, imported: key.name as string, viaRequire: true });
      }
    }
    return;
  }
  if (init?.type === 'MemberExpression' && !init.computed && id.type === 'Identifier') {
    const spec = requireCall(init.object as AstNode);
    if (spec !== undefined) out.set(id.name as string, { specifier: spec, imported: (init.property as AstNode).name as string, viaRequire: true });
  }
}

/** A path relative to the working directory when it lies under it (POSIX separators). */
export function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  return sep === '\\' ? shown.split(sep).join('/') : shown;
}

const cache = new Map<string, ScriptIndex>();

/** The index of a script, built once per process (ids are unique for the life of an isolate). */
export function scriptIndex(id: string, url: string, sourceMapURL: string, source: () => string): ScriptIndex {
  let index = cache.get(id);
  if (!index) {
    if (cache.size > 256) cache.clear();
    index = new ScriptIndex(id, url, source(), sourceMapURL);
    cache.set(id, index);
  }
  return index;
}
