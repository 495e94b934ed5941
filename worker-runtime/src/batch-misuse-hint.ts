/**
 * A user writing apply() in plain JavaScript (a script, a notebook) has no editor listing
 * what a batch holds, and guesses from other tools: `batch.rows()`, `batch.count()`,
 * `batch.numRows()`. V8's TypeError then names the expression (`b.rows is not a
 * function`) but not what to write instead. When that expression is apply's own first
 * parameter, the hint says what a batch has and which member was likely meant. It reads
 * only the error's message and apply's source text, after the fact: the batch itself
 * stays a plain object, with nothing in the way of the members apply does use.
 */
import { closestName } from '@tsapply/common';

/** A batch's members as the hint lists them, by the name code uses. */
const MEMBERS: ReadonlyMap<string, string> = new Map([
  ['numRows', 'numRows'],
  ['columns', 'columns'],
  ['column', 'column(name)'],
  ['values', 'values(name)'],
  ['toArray', 'toArray()'],
  ['arrow', 'arrow'],
]);

/** What users of pandas, Spark, arrays and Arrow reach for, and the member that does it. */
const GUESSES: ReadonlyMap<string, string> = new Map([
  ['rows', 'toArray'],
  ['toRows', 'toArray'],
  ['collect', 'toArray'],
  ['toList', 'toArray'],
  ['records', 'toArray'],
  ['count', 'numRows'],
  ['length', 'numRows'],
  ['size', 'numRows'],
  ['getChild', 'column'],
  ['get', 'column'],
  ['col', 'column'],
  ['schema', 'arrow'],
  ['map', 'toArray'],
  ['filter', 'toArray'],
  ['forEach', 'toArray'],
]);

/** Members that are values, not methods: `batch.numRows()` is the mistake, not the name. */
const PROPERTIES = new Set(['numRows', 'columns', 'arrow']);

/** The name of apply's first parameter, when it is a plain identifier. */
function firstParameter(apply: unknown): string | undefined {
  if (typeof apply !== 'function') return undefined;
  const text = Function.prototype.toString.call(apply);
  const bare = /^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(text);
  if (bare) return bare[1];
  return /^\s*(?:async\s*)?(?:function\s*\*?\s*[\w$]*\s*|[\w$]+\s*)?\(\s*([\w$]+)\s*[,)=]/.exec(text)?.[1];
}

/**
 * A sentence to add to the message of an error apply() threw, when it came from using a
 * member the batch does not have (or calling one that is a value); otherwise undefined.
 */
export function batchMisuseHint(thrown: unknown, apply: unknown): string | undefined {
  // By name: the bundle runs in its own realm, with its own TypeError.
  const { name, message } = (thrown ?? {}) as { name?: unknown; message?: unknown };
  if (name !== 'TypeError' || typeof message !== 'string') return undefined;
  const m = /^([\w$]+)\.([\w$]+) is not (a function|iterable)/.exec(message);
  if (!m || m[1] !== firstParameter(apply)) return undefined;
  const [batch, member] = [m[1], m[2]!];
  const list = `A batch has ${[...MEMBERS.values()].join(', ')}, and is iterable: for (const row of ${batch}).`;
  if (PROPERTIES.has(member)) return `${batch}.${member} is a value, not a method: write ${batch}.${member} without (). ${list}`;
  if (MEMBERS.has(member)) return undefined;
  const meant = GUESSES.get(member) ?? closestName(member, MEMBERS.keys());
  const suggestion = meant === undefined ? '' : ` Did you mean ${batch}.${MEMBERS.get(meant)}?`;
  return `A batch has no ${member}.${suggestion} ${list}`;
}
