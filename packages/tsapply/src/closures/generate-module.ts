/**
 * Writes the ONE module a job ships for captured functions, with an inline source map
 * that points every token of the user's code at the file, line and column where the
 * user wrote it (through tsx's own map for a .ts script). The bundler hands the module
 * to esbuild, which chains that map into the bundle's, so a worker reports an error
 * at `analysis.ts:42:11`, not at a line of generated code.
 *
 * Shape (names prefixed `__tsapply_` so they never meet the user's):
 *
 * ```js
 * import { format as __tsapply_i0 } from "date-fns";     // captured imports, bundled
 * const __tsapply_f = [], __tsapply_links = [];
 * {                                                       // module analysis.ts
 *   let format = __tsapply_i0, rates, helper;
 *   __tsapply_links.push((v, f) => { rates = v[0]; helper = f[1]; });
 *   __tsapply_f[1] = function helper(x) { … };            // the user's text, as V8 had it
 *   {                                                     // closure of makeScorer's arrow
 *     let weights;
 *     __tsapply_links.push((v, f) => { weights = v[1]; });
 *     __tsapply_f[0] = (batch) => … weights … helper(…);
 *   }
 * }
 * export default { apply(batch, ctx) { … }, init(shipped) { … } };
 * ```
 *
 * The payload's context holds `{ context, captured }`: the user's context and the
 * captured values. On the first call the module fills its variables from `captured`
 * (and puts captured functions back inside captured data), then calls the user's
 * function with `ctx.context` set to the user's own context. Workers need no change.
 */
import { SourceMapGenerator } from 'source-map-js';
import { USER_APPLY_KEY } from '@tsapply/common';
import type { Block, CaptureGraph, CapturedFunction } from './capture.js';

/** Source name of the generated glue code in the source map (frames in it are tsapply's). */
export const GLUE_SOURCE = '__tsapply_entry__.js';

/** Builds the job object from the expressions of the user's apply and init (both after unwrapping). */
export type JobExpression = (apply: string, init: string | undefined) => string;

const defaultJob: JobExpression = (apply, init) => `{ apply: ${apply}${init ? `, init: ${init}` : ''} }`;

class Emitter {
  private readonly chunks: string[] = [];
  /** 0-based line and column of the next character. */
  private line = 0;
  private column = 0;
  readonly map = new SourceMapGenerator({ file: 'tsapply-closure.js' });
  private readonly contents = new Set<string>();

  /** Appends generated code; each of its lines maps to the glue source. */
  glue(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (this.column === 0 && text[i] !== '\n') {
        this.map.addMapping({ generated: { line: this.line + 1, column: 0 }, original: { line: this.line + 1, column: 0 }, source: GLUE_SOURCE });
      }
      this.advance(text[i]!);
    }
    this.chunks.push(text);
  }

  private advance(ch: string): void {
    if (ch === '\n') {
      this.line++;
      this.column = 0;
    } else this.column++;
  }

  /** Appends the user's function text (with its rewrites), mapping every token to where it was written. */
  user(fn: CapturedFunction): void {
    const tokens = new Set(fn.tokens);
    const rewrites = [...fn.rewrites].sort((a, b) => a.start - b.start);
    let out = '';
    let i = 0;
    const mapHere = (offsetInText: number) => {
      const pos = fn.script.original(fn.start + offsetInText);
      this.map.addMapping({ generated: { line: this.line + 1, column: this.column }, original: { line: pos.line, column: pos.column }, source: pos.source });
      if (!this.contents.has(pos.source)) {
        this.contents.add(pos.source);
        const content = fn.script.originalContent(pos.source);
        if (content !== null) this.map.setSourceContent(pos.source, content);
      }
    };
    while (i < fn.text.length) {
      const rewrite = rewrites[0]?.start === i ? rewrites.shift()! : undefined;
      if (rewrite) {
        mapHere(i);
        for (const ch of rewrite.text) this.advance(ch);
        out += rewrite.text;
        i = rewrite.end;
        continue;
      }
      if (tokens.has(i)) mapHere(i);
      const ch = fn.text[i]!;
      this.advance(ch);
      out += ch;
      i++;
    }
    this.chunks.push(out);
  }

  text(): string {
    return this.chunks.join('');
  }
}

function bindingExpression(graph: CaptureGraph, b: ReturnType<Block['bindings']['get']> & object): { now?: string; link?: string } {
  switch (b.kind) {
    case 'import':
      return { now: `__tsapply_i${b.index}` };
    case 'builtin':
      return { now: b.path };
    case 'function':
      return { link: `f[${b.fn.index}]` };
    case 'value':
      void graph;
      return { link: `v[${b.index}]` };
  }
}

/**
 * A function bound in its own block under the name its text declares (`function
 * helper…` held by the module variable `helper`) is emitted as that declaration: a
 * separate `let helper` would make esbuild rename the function (`helper2`), and stack
 * traces on the worker would show the new name.
 */
function declaredInPlace(block: Block, fn: CapturedFunction): boolean {
  if (fn.ownName === undefined) return false;
  const b = block.bindings.get(fn.ownName);
  return b?.kind === 'function' && b.fn === fn;
}

function emitBlock(e: Emitter, graph: CaptureGraph, block: Block, depth: number): void {
  const pad = '  '.repeat(depth);
  const decls: string[] = [];
  const links: string[] = [];
  const inPlace = new Set(block.functions.filter((fn) => declaredInPlace(block, fn)).map((fn) => fn.ownName!));
  for (const [name, b] of block.bindings) {
    if (inPlace.has(name)) continue;
    const x = bindingExpression(graph, b);
    decls.push(x.now !== undefined ? `${name} = ${x.now}` : name);
    if (x.link !== undefined) links.push(`${name} = ${x.link};`);
  }
  if (decls.length > 0) e.glue(`${pad}let ${decls.join(', ')};\n`);
  if (links.length > 0) e.glue(`${pad}__tsapply_links.push((v, f) => { ${links.join(' ')} });\n`);
  for (const fn of block.functions) {
    if (inPlace.has(fn.ownName!) && declaredInPlace(block, fn)) {
      e.glue(pad);
      e.user(fn);
      e.glue(`\n${pad}__tsapply_f[${fn.index}] = ${fn.ownName};\n`);
      continue;
    }
    // Passed as an argument, an anonymous function keeps its empty name (an assignment
    // would name it `__tsapply_f.<computed>` in stack traces).
    e.glue(`${pad}__tsapply_set(${fn.index}, `);
    if (fn.form === 'method') e.glue('({ ');
    e.user(fn);
    e.glue(fn.form === 'method' ? ` })[${JSON.stringify(fn.methodKey)}]);\n` : ');\n');
  }
  for (const child of block.children) {
    e.glue(`${pad}{ // ${child.label.replace(/\n/g, ' ')}\n`);
    emitBlock(e, graph, child, depth + 1);
    e.glue(`${pad}}\n`);
  }
}

function importLine(spec: CaptureGraph['imports'][number], i: number): string {
  const from = JSON.stringify(spec.specifier);
  if (spec.viaRequire) return `const __tsapply_i${i} = require(${from})${spec.imported === '*' ? '' : `[${JSON.stringify(spec.imported)}]`};\n`;
  if (spec.imported === '*') return `import * as __tsapply_i${i} from ${from};\n`;
  if (spec.imported === 'default') return `import __tsapply_i${i} from ${from};\n`;
  return `import { ${JSON.stringify(spec.imported)} as __tsapply_i${i} } from ${from};\n`;
}

/**
 * The generated module's source, ending with its inline source map. `job` builds the
 * job object from the user's apply/init expressions (parallelize wraps them).
 */
export function generateModule(graph: CaptureGraph, job: JobExpression = defaultJob): string {
  const e = new Emitter();
  e.glue(`// Generated by tsapply: ${graph.apply.description.replace(/\n/g, ' ')} and what it captures.\n`);
  graph.imports.forEach((spec, i) => e.glue(importLine(spec, i)));
  e.glue('const __tsapply_f = [];\nconst __tsapply_links = [];\nconst __tsapply_set = (i, f) => { __tsapply_f[i] = f; };\n');
  emitBlock(e, graph, graph.root, 0);
  e.glue(
    `const __tsapply_patches = ${JSON.stringify(graph.patches.map((p) => [p.value, p.path, p.fn]))};\n` +
      'let __tsapply_linked = false;\n' +
      '/** Fills the captured variables from the payload once, and returns the user\'s own context. */\n' +
      'function __tsapply_unwrap(shipped) {\n' +
      '  if (!__tsapply_linked) {\n' +
      '    const v = shipped.captured;\n' +
      '    for (const [slot, path, fn] of __tsapply_patches) {\n' +
      '      let o = v[slot];\n' +
      '      for (let i = 0; i < path.length - 1; i++) o = o instanceof Map ? o.get(path[i]) : o[path[i]];\n' +
      '      const key = path[path.length - 1];\n' +
      '      if (o instanceof Map) o.set(key, __tsapply_f[fn]); else o[key] = __tsapply_f[fn];\n' +
      '    }\n' +
      '    for (const link of __tsapply_links) link(v, __tsapply_f);\n' +
      '    __tsapply_linked = true;\n' +
      '  }\n' +
      '  return shipped.context;\n' +
      '}\n' +
      `const __tsapply_job = ${job(`__tsapply_f[${graph.apply.index}]`, graph.init ? `__tsapply_f[${graph.init.index}]` : undefined)};\n` +
      'export default {\n' +
      (job === defaultJob ? `  [Symbol.for(${JSON.stringify(USER_APPLY_KEY)})]: __tsapply_f[${graph.apply.index}],\n` : '') +
      '  apply(batch, ctx) {\n' +
      '    return __tsapply_job.apply(batch, { ...ctx, context: __tsapply_unwrap(ctx.context) });\n' +
      '  },\n' +
      '  init(shipped) {\n' +
      '    const context = __tsapply_unwrap(shipped);\n' +
      '    return __tsapply_job.init === undefined ? undefined : __tsapply_job.init(context);\n' +
      '  },\n' +
      '};\n',
  );
  const map = Buffer.from(e.map.toString(), 'utf8').toString('base64');
  return `${e.text()}//# sourceMappingURL=data:application/json;base64,${map}\n`;
}
