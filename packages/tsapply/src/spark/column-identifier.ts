/**
 * Column names ⇄ Spark's column identifiers. Spark parses the name in an
 * `UnresolvedAttribute` as a multi-part identifier: a dot separates parts (`t.a` is
 * field `a` of `t`), and backticks quote a part, a backtick inside being doubled. So a
 * plain column named `x.y` must be sent as `` `x.y` `` — unquoted, Spark looks for a
 * field `y` of a column `x` and fails with UNRESOLVED_COLUMN (checked against Spark 4.1.1).
 */

/** The identifier Spark resolves to exactly the column `name`: `` x.y `` → `` `x.y` ``, `` a`b `` → `` `a``b` ``. */
export function quoteColumnName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * The parts of a Spark identifier (`` a.`b.c` `` → `['a', 'b.c']`), or undefined when it
 * is not one Spark would parse (an unclosed backtick, a backtick inside an unquoted
 * part, text right after a closing one).
 */
export function identifierParts(identifier: string): string[] | undefined {
  const parts: string[] = [];
  let part = '';
  let quoted = false; // inside backticks
  let closed = false; // the current part was a quoted one that has ended
  for (let i = 0; i < identifier.length; i++) {
    const ch = identifier[i]!;
    if (quoted) {
      if (ch !== '`') part += ch;
      else if (identifier[i + 1] === '`') {
        part += '`';
        i++;
      } else {
        quoted = false;
        closed = true;
      }
    } else if (ch === '.') {
      parts.push(part);
      part = '';
      closed = false;
    } else if (closed) {
      return undefined;
    } else if (ch === '`') {
      if (part !== '') return undefined;
      quoted = true;
    } else {
      part += ch;
    }
  }
  if (quoted) return undefined;
  parts.push(part);
  return parts;
}
