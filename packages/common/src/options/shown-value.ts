/**
 * How a wrong option value is shown after "got": numbers and booleans as written
 * (`0`, `false`), strings quoted and named as strings (`the string "no"`, so `'false'`
 * is not mistaken for `false`), anything else by its kind (`null`, `an array`, `a
 * function`). Values are never printed whole: an option may hold a token or a model.
 */
import { jsTypeName } from '../arrow/describe-value.js';

export function shownValue(v: unknown): string {
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default: {
      const name = jsTypeName(v);
      if (name === 'null') return 'null';
      return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
    }
  }
}
