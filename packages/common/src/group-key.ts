/**
 * Group keys as JS values (`ctx.key`), for both engines: when two keys are the same
 * group, and how a key reads in a message. One definition, so the embedded engine's
 * groupBy and the Spark worker's cutting of a sorted partition agree on what a group is:
 * Spark's grouping equality, where null equals null, NaN equals NaN, -0.0 equals 0.0
 * and nested values compare by content.
 */

/** A stable text form of one key value, distinguishing types (1 vs 1n vs "1"); equal text, same group. */
export function groupKeyPart(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'bigint') return `b${v}`;
  if (typeof v === 'number') return `n${v}`; // String(-0) is "0", String(NaN) is "NaN"
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (v instanceof Date) return `d${v.getTime()}`;
  return `j${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`;
}

/** Whether two key values belong to the same group. */
export function sameGroupKeyValue(a: unknown, b: unknown): boolean {
  return a === b || groupKeyPart(a) === groupKeyPart(b);
}

/**
 * A group's key for messages: `g="a", n=3` (strings quoted, other values as JSON, long
 * ones cut at 60 characters), so a user can find the group that failed.
 */
export function describeGroupKey(key: Readonly<Record<string, unknown>>): string {
  const text = Object.entries(key)
    .map(([k, v]) => `${k}=${typeof v === 'bigint' ? `${v}` : v instanceof Date ? v.toISOString() : (JSON.stringify(v) ?? String(v))}`)
    .join(', ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
