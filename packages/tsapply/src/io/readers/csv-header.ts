/**
 * Column names of a CSV input, given as Spark 4 gives them (`CSVUtils.makeSafeHeader`
 * with `spark.sql.caseSensitive=false`, the default), so a job sees the same columns on
 * both engines. Checked against Spark 4.1.1:
 *
 * - without a header every column is `_c<index>`;
 * - an empty header name (`a,,b`, also `""`) becomes `_c<index>`; a name of spaces is
 *   kept as it is (Spark does not trim header names);
 * - a name that occurs more than once, compared case-insensitively, gets its 0-based
 *   column index appended to EVERY occurrence: `a,a,b` → `a0,a1,b`,
 *   `A,a,b` → `A0,a1,b`, `a,A,a` → `a0,A1,a2`;
 * - when the renamed names still collide (`a,a,a0` → `a0,a1,a0`; `_c1,,b` → `_c1,_c1,b`),
 *   Spark refuses the input with `[COLUMN_ALREADY_EXISTS]`; so does the embedded reader
 *   (see `checkUniqueColumns`), rather than letting one column overwrite the other.
 */
import { InputError } from '../../errors.js';

/** The column names for a CSV whose first record is `first` (`header`: it holds names). */
export function csvColumnNames(first: readonly string[], header: boolean): string[] {
  if (!header) return first.map((_, i) => `_c${i}`);
  const seen = new Map<string, number>();
  for (const name of first) {
    if (name !== '') seen.set(name.toLowerCase(), (seen.get(name.toLowerCase()) ?? 0) + 1);
  }
  return first.map((name, i) => {
    if (name === '') return `_c${i}`;
    return seen.get(name.toLowerCase())! > 1 ? `${name}${i}` : name;
  });
}

/**
 * Refuses column names that are equal ignoring case (Spark's `COLUMN_ALREADY_EXISTS`,
 * which Spark raises for the same CSV inputs). `path` names the file in the message.
 */
export function checkUniqueColumns(names: readonly string[], path: string, source: 'header' | 'schema'): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const how =
        source === 'header'
          ? `after repeated or empty header names are renamed as Spark renames them, the columns are ${names.map((n) => `"${n}"`).join(', ')}`
          : `input.options.schema declares the columns ${names.map((n) => `"${n}"`).join(', ')}`;
      throw new InputError(
        `Cannot read csv input "${path}": ${how}, so the column "${name}" exists twice${earlier === name ? '' : ` (as "${earlier}" and "${name}": names are compared ignoring case)`}. ` +
          `Spark refuses this input too ([COLUMN_ALREADY_EXISTS]). Give the columns distinct names in the header, or declare them with input.options.schema.`,
        { path, format: 'csv' },
      );
    }
    seen.set(key, name);
  }
}
