/**
 * Printing ML values: plain numbers as JS prints them (an int metric such as
 * `totalIterations` stays `0`), vectors and matrices by their Spark-style toString.
 */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v === null || v === undefined) return 'null';
  return String(v);
}

/** `name: value` lines aligned on the colon, for `describe()` outputs. */
export function formatFields(title: string, fields: ReadonlyArray<readonly [string, unknown]>): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return [title, ...fields.map(([k, v]) => `  ${k.padEnd(width)}  ${formatValue(v)}`)].join('\n');
}
