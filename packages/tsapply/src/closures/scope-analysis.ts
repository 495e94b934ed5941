/**
 * Lexical scope analysis over an ESTree AST (acorn's): which names a function uses
 * without declaring them (its free variables), and which names a scope node declares.
 *
 * Rules followed (ES2024): `var` and function declarations are hoisted to the nearest
 * function; `let`, `const`, `class` and function declarations in blocks are
 * block-scoped (a function declared in a block is also visible function-wide, as
 * sloppy-mode code sees it); parameters, a named function expression's own name, a
 * class expression's name, `catch (e)` and `for (let …)` heads open their own scopes.
 * Property keys, member names after `.`, labels and `import.meta`/`new.target` are
 * not variables. Identifiers written to (`n++`, `[a, b] = …`) are uses too.
 *
 * Besides free names, the analysis reports what a function takes from its
 * surroundings that is not a variable: `this`, `arguments`, `super` and `new.target`
 * of an enclosing function (only arrows and the code around them can leak these),
 * direct `eval`, and relative module specifiers in `import()`/`require()` (which must
 * be re-anchored when the code moves).
 */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** What a function uses from outside itself. */
export interface FreeVariables {
  /** Free names, in order of first use, each with the offset of its first use. */
  names: Map<string, number>;
  /**
   * For each free name used only as `name.prop` (reads, calls, writes; never bare or
   * computed), the properties used; null once the name is used any other way.
   */
  members: Map<string, Set<string> | null>;
  /** Free names the function assigns (`n = …`, `n++`, `[n] = …`), each with the offset of its first write. */
  assigned: Map<string, number>;
  /** Offsets of `this` / `arguments` / `super` / `new.target` that belong to an enclosing function. */
  escapingThis: number | undefined;
  escapingArguments: number | undefined;
  escapingSuper: number | undefined;
  escapingNewTarget: number | undefined;
  /** Offset of a direct `eval(…)` call (the code may read any variable in scope). */
  directEval: number | undefined;
  /** String literals of `import('./x')` / `require('./x')` with a relative specifier. */
  relativeSpecifiers: AstNode[];
  /** `import.meta` expressions (they name the function's own file, which the shipped copy is not). */
  importMeta: AstNode[];
}

export function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'regex', 'bigint']);

/** Child nodes of `node` in source order. */
export function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) out.push(c);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

function isFunction(n: AstNode): boolean {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}

/** Identifiers a binding pattern declares (`{ a, b: [c], ...d } = …` → a, c, d). */
export function patternNames(p: AstNode | null | undefined, out: AstNode[] = []): AstNode[] {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier':
      out.push(p);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties as AstNode[]) patternNames(prop.type === 'RestElement' ? prop : (prop.value as AstNode), out);
      break;
    case 'ArrayPattern':
      for (const e of p.elements as (AstNode | null)[]) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(p.argument as AstNode, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left as AstNode, out);
      break;
  }
  return out;
}

/** `var` declarations and function declarations anywhere in `body`, not inside nested functions. */
function hoisted(node: AstNode, out: Map<string, AstNode>): void {
  for (const c of children(node)) {
    if (c.type === 'VariableDeclaration' && c.kind === 'var') {
      for (const d of c.declarations as AstNode[]) for (const id of patternNames(d.id as AstNode)) if (!out.has(id.name as string)) out.set(id.name as string, id);
    }
    if (c.type === 'FunctionDeclaration' && c.id) {
      const id = c.id as AstNode;
      if (!out.has(id.name as string)) out.set(id.name as string, id);
    }
    if (!isFunction(c) && c.type !== 'ClassDeclaration' && c.type !== 'ClassExpression') hoisted(c, out);
  }
}

/** Lexical declarations directly in a statement list (let/const/class/function; imports at top level). */
function lexical(statements: AstNode[], out: Map<string, AstNode>): void {
  for (const s of statements) {
    const decl = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? (s.declaration as AstNode | null) : s;
    if (!decl) continue;
    if (decl.type === 'VariableDeclaration' && decl.kind !== 'var') {
      for (const d of decl.declarations as AstNode[]) for (const id of patternNames(d.id as AstNode)) out.set(id.name as string, id);
    } else if ((decl.type === 'ClassDeclaration' || decl.type === 'FunctionDeclaration') && decl.id) {
      out.set((decl.id as AstNode).name as string, decl.id as AstNode);
    } else if (decl.type === 'ImportDeclaration') {
      for (const spec of decl.specifiers as AstNode[]) out.set((spec.local as AstNode).name as string, spec.local as AstNode);
    }
  }
}

/**
 * The names `node` declares for the code inside it, each with its declaring
 * identifier: a function's name-less scope (params, `var`s, hoisted functions and the
 * body's lexical declarations), a block's lexical declarations, a catch parameter, a
 * `for (let …)` head, a program's top level. Empty for nodes that open no scope.
 */
export function declaredNames(node: AstNode): Map<string, AstNode> {
  const out = new Map<string, AstNode>();
  switch (node.type) {
    case 'Program':
      hoisted(node, out);
      lexical(node.body as AstNode[], out);
      break;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': {
      for (const p of node.params as AstNode[]) for (const id of patternNames(p)) out.set(id.name as string, id);
      const body = node.body as AstNode;
      if (body.type === 'BlockStatement') {
        hoisted(body, out);
        lexical(body.body as AstNode[], out);
      }
      break;
    }
    case 'BlockStatement':
    case 'StaticBlock':
      lexical(node.body as AstNode[], out);
      break;
    case 'SwitchStatement':
      for (const c of node.cases as AstNode[]) lexical(c.consequent as AstNode[], out);
      break;
    case 'CatchClause':
      for (const id of patternNames(node.param as AstNode | null)) out.set(id.name as string, id);
      break;
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const head = (node.type === 'ForStatement' ? node.init : node.left) as AstNode | null;
      if (head?.type === 'VariableDeclaration' && head.kind !== 'var') {
        for (const d of head.declarations as AstNode[]) for (const id of patternNames(d.id as AstNode)) out.set(id.name as string, id);
      }
      break;
    }
  }
  return out;
}

interface Scope {
  parent: Scope | undefined;
  names: Set<string>;
}

interface Walk {
  result: FreeVariables;
  /** Inside a non-arrow function or class member (relative to the analysed root). */
  ownThis: boolean;
  /** Inside an object or class method (super has a home object). */
  ownSuper: boolean;
}

function resolves(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function reference(id: AstNode, scope: Scope, w: Walk, property?: string): void {
  const name = id.name as string;
  if (resolves(scope, name)) return;
  if (name === 'arguments' && w.ownThis) return;
  if (name === 'arguments') {
    w.result.escapingArguments ??= id.start;
    return;
  }
  if (!w.result.names.has(name)) w.result.names.set(name, id.start);
  const members = w.result.members;
  if (property === undefined) members.set(name, null);
  else if (!members.has(name)) members.set(name, new Set([property]));
  else members.get(name)?.add(property);
}

/** A write to `id`: a use, and, when the name is free, an assignment to what is captured. */
function write(id: AstNode, scope: Scope, w: Walk): void {
  reference(id, scope, w);
  const name = id.name as string;
  if (!resolves(scope, name) && !w.result.assigned.has(name)) w.result.assigned.set(name, id.start);
}

function open(scope: Scope, node: AstNode): Scope {
  const names = declaredNames(node);
  return names.size === 0 ? scope : { parent: scope, names: new Set(names.keys()) };
}

/** Visits a pattern: identifiers are declarations when `binding`, else writes (uses). */
function visitPattern(p: AstNode | null, scope: Scope, w: Walk, binding: boolean): void {
  if (!p) return;
  switch (p.type) {
    case 'Identifier':
      if (!binding) write(p, scope, w);
      return;
    case 'ObjectPattern':
      for (const prop of p.properties as AstNode[]) {
        if (prop.type === 'RestElement') visitPattern(prop.argument as AstNode, scope, w, binding);
        else {
          if (prop.computed) visit(prop.key as AstNode, scope, w);
          visitPattern(prop.value as AstNode, scope, w, binding);
        }
      }
      return;
    case 'ArrayPattern':
      for (const e of p.elements as (AstNode | null)[]) visitPattern(e, scope, w, binding);
      return;
    case 'RestElement':
      visitPattern(p.argument as AstNode, scope, w, binding);
      return;
    case 'AssignmentPattern':
      visitPattern(p.left as AstNode, scope, w, binding);
      visit(p.right as AstNode, scope, w);
      return;
    default:
      visit(p, scope, w); // a member expression as an assignment target
  }
}

function visitFunction(fn: AstNode, scope: Scope, w: Walk, isMethod: boolean): void {
  let outer = scope;
  if (fn.type === 'FunctionExpression' && fn.id) outer = { parent: scope, names: new Set([(fn.id as AstNode).name as string]) };
  const inner: Scope = { parent: outer, names: new Set(declaredNames(fn).keys()) };
  const arrow = fn.type === 'ArrowFunctionExpression';
  const saved = { ownThis: w.ownThis, ownSuper: w.ownSuper };
  if (!arrow) {
    w.ownThis = true;
    w.ownSuper = isMethod;
  }
  for (const p of fn.params as AstNode[]) visitPattern(p, inner, w, true);
  const body = fn.body as AstNode;
  if (body.type === 'BlockStatement') for (const s of body.body as AstNode[]) visit(s, inner, w);
  else visit(body, inner, w);
  w.ownThis = saved.ownThis;
  w.ownSuper = saved.ownSuper;
}

function visitClass(cls: AstNode, scope: Scope, w: Walk): void {
  if (cls.superClass) visit(cls.superClass as AstNode, scope, w);
  const inner: Scope = cls.id ? { parent: scope, names: new Set([(cls.id as AstNode).name as string]) } : scope;
  const saved = { ownThis: w.ownThis, ownSuper: w.ownSuper };
  for (const member of (cls.body as AstNode).body as AstNode[]) {
    if (member.computed) visit(member.key as AstNode, inner, w);
    w.ownThis = true;
    w.ownSuper = true;
    if (member.type === 'MethodDefinition') visitFunction(member.value as AstNode, inner, w, true);
    else if (member.type === 'PropertyDefinition' && member.value) visit(member.value as AstNode, inner, w);
    else if (member.type === 'StaticBlock') for (const s of member.body as AstNode[]) visit(s, open(inner, member), w);
    w.ownThis = saved.ownThis;
    w.ownSuper = saved.ownSuper;
  }
}

function isRelativeLiteral(n: AstNode | undefined): boolean {
  return n?.type === 'Literal' && typeof n.value === 'string' && (n.value.startsWith('./') || n.value.startsWith('../'));
}

function visit(node: AstNode, scope: Scope, w: Walk): void {
  switch (node.type) {
    case 'Identifier':
      reference(node, scope, w);
      return;
    case 'ThisExpression':
      if (!w.ownThis) w.result.escapingThis ??= node.start;
      return;
    case 'Super':
      if (!w.ownSuper) w.result.escapingSuper ??= node.start;
      return;
    case 'MetaProperty':
      if ((node.meta as AstNode).name === 'new' && !w.ownThis) w.result.escapingNewTarget ??= node.start;
      if ((node.meta as AstNode).name === 'import') w.result.importMeta.push(node);
      return;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      visitFunction(node, scope, w, false);
      return;
    case 'ClassDeclaration':
    case 'ClassExpression':
      visitClass(node, scope, w);
      return;
    case 'VariableDeclaration':
      for (const d of node.declarations as AstNode[]) {
        visitPattern(d.id as AstNode, scope, w, true);
        if (d.init) visit(d.init as AstNode, scope, w);
      }
      return;
    case 'AssignmentExpression':
      visitPattern(node.left as AstNode, scope, w, false);
      visit(node.right as AstNode, scope, w);
      return;
    case 'MemberExpression': {
      const object = node.object as AstNode;
      if (object.type === 'Identifier' && !node.computed) reference(object, scope, w, (node.property as AstNode).name as string);
      else visit(object, scope, w);
      if (node.computed) visit(node.property as AstNode, scope, w);
      return;
    }
    case 'Property':
      if (node.computed) visit(node.key as AstNode, scope, w);
      if (node.method || node.kind === 'get' || node.kind === 'set') visitFunction(node.value as AstNode, scope, w, true);
      else visit(node.value as AstNode, scope, w);
      return;
    case 'UpdateExpression':
      if ((node.argument as AstNode).type === 'Identifier') write(node.argument as AstNode, scope, w);
      else visit(node.argument as AstNode, scope, w);
      return;
    case 'LabeledStatement':
      visit(node.body as AstNode, scope, w);
      return;
    case 'BreakStatement':
    case 'ContinueStatement':
      return;
    case 'CatchClause': {
      const inner = open(scope, node);
      visitPattern(node.param as AstNode | null, inner, w, true);
      visit(node.body as AstNode, inner, w);
      return;
    }
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const inner = open(scope, node);
      const head = (node.type === 'ForStatement' ? node.init : node.left) as AstNode | null;
      if (head && node.type !== 'ForStatement' && head.type !== 'VariableDeclaration') visitPattern(head, inner, w, false);
      else if (head) visit(head, inner, w);
      for (const key of ['test', 'update', 'right', 'body']) if (isNode(node[key])) visit(node[key] as AstNode, inner, w);
      return;
    }
    case 'BlockStatement':
    case 'SwitchStatement': {
      const inner = open(scope, node);
      for (const c of children(node)) visit(c, inner, w);
      return;
    }
    case 'ImportExpression':
      if (isRelativeLiteral(node.source as AstNode)) w.result.relativeSpecifiers.push(node.source as AstNode);
      visit(node.source as AstNode, scope, w);
      return;
    case 'CallExpression': {
      const callee = node.callee as AstNode;
      const args = node.arguments as AstNode[];
      if (callee.type === 'Identifier' && !resolves(scope, callee.name as string)) {
        if (callee.name === 'eval') w.result.directEval ??= callee.start;
        if (callee.name === 'require' && isRelativeLiteral(args[0])) w.result.relativeSpecifiers.push(args[0]!);
      }
      break;
    }
  }
  for (const c of children(node)) visit(c, scope, w);
}

/**
 * Free variables of the function (or class) `root`, which is analysed as if nothing
 * around it were declared: every name it uses but does not declare itself.
 */
export function freeVariables(root: AstNode): FreeVariables {
  const result: FreeVariables = {
    names: new Map(),
    members: new Map(),
    assigned: new Map(),
    escapingThis: undefined,
    escapingArguments: undefined,
    escapingSuper: undefined,
    escapingNewTarget: undefined,
    directEval: undefined,
    relativeSpecifiers: [],
    importMeta: [],
  };
  const w: Walk = { result, ownThis: false, ownSuper: false };
  const top: Scope = { parent: undefined, names: new Set() };
  if (root.type === 'ClassExpression' || root.type === 'ClassDeclaration') visitClass(root, top, w);
  else if (root.type === 'Property') visit(root, top, w);
  else visitFunction(root, top, w, false);
  return result;
}
