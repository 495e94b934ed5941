/**
 * `(batch) => { batch.toArray().map(…) }` — braces around an arrow's body and no
 * `return` — makes apply return undefined for every batch. Without a schema that ended in
 * "it returned no rows… add schema", and adding one then gave an empty result without a
 * word. When apply returned undefined and its own source text has no `return` (or
 * `yield`) at all, the missing return is the answer, and the message says so.
 */
import { ResultShapeError } from '@tsapply/common';

/** True when `fn`'s body is a block with no return or yield anywhere in its text. */
export function hasNoReturn(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  const text = Function.prototype.toString.call(fn);
  // An arrow whose body is an expression returns it.
  if (/^\s*(?:async\s+)?(?:\([^)]*\)|[\w$]+)\s*=>\s*[^{\s]/.test(text)) return false;
  if (/^\s*class\b/.test(text) || text.includes('[native code]')) return false;
  return !/\breturn\b|\byield\b/.test(text);
}

/** The error for apply returning undefined from a body without `return`. */
export function missingReturnError(): ResultShapeError {
  return new ResultShapeError(
    'apply() returned undefined, and it has no return statement: an arrow function with braces returns only what `return` gives. ' +
      'Write (batch) => { …; return rows; }, or leave out the braces: (batch) => rows.',
    { actual: 'undefined' },
  );
}
