/**
 * `df.na`: missing values, as PySpark's `DataFrameNaFunctions` (each also a DataFrame
 * method: `fillna`, `dropna`, `replace`). Transforms: they return a new DataFrame.
 */
import { InvalidOptionError, shownValue } from '@tsapply/common';
import type { Expression_Literal } from './gen/spark/connect/expressions_pb.js';
import { toLiteral } from './literal.js';
import type { DataFrame } from './data-frame.js';

/** A value `fill`/`replace` can put in a cell (Spark fills numeric, string and boolean columns). */
export type FillValue = number | bigint | string | boolean;

function subsetOf(subset: string | readonly string[] | undefined, method: string): string[] {
  if (subset === undefined) return [];
  const cols = typeof subset === 'string' ? [subset] : [...subset];
  for (const c of cols) if (typeof c !== 'string' || c === '') throw new InvalidOptionError(`${method}(…, subset) takes column names, got ${shownValue(c)}.`, { option: 'subset' });
  return cols;
}

function fillLiteral(v: unknown, method: string, where: string): Expression_Literal {
  if (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'string' && typeof v !== 'boolean') {
    throw new InvalidOptionError(`${method}: ${where} must be a number, bigint, string or boolean, got ${shownValue(v)}.`, { option: 'value' });
  }
  // Spark fills and replaces with LONG, DOUBLE, STRING or BOOLEAN values only: an
  // integral number travels as a long, any other number as a double.
  if (typeof v === 'number') return Number.isInteger(v) ? toLiteral(BigInt(v)) : toLiteral(v);
  return toLiteral(v);
}

export class DataFrameNaFunctions {
  constructor(private readonly df: DataFrame) {}

  /**
   * Replaces nulls: `fill(0)` in every numeric column, `fill('n/a', ['name'])` in those
   * columns, `fill({ age: 0, name: 'n/a' })` per column.
   */
  fill(value: FillValue | Record<string, FillValue>, subset?: string | string[]): DataFrame {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (subset !== undefined) throw new InvalidOptionError('fill({ column: value }) names its columns itself; leave out subset.', { option: 'subset' });
      const entries = Object.entries(value);
      if (entries.length === 0) throw new InvalidOptionError('fill({}) needs at least one column: value pair.', { option: 'value' });
      return this.df.withRelation({
        case: 'fillNa',
        value: { input: this.df.relation, cols: entries.map(([k]) => k), values: entries.map(([k, v]) => fillLiteral(v, 'fill', `the value for "${k}"`)) },
      });
    }
    return this.df.withRelation({ case: 'fillNa', value: { input: this.df.relation, cols: subsetOf(subset, 'fill'), values: [fillLiteral(value, 'fill', 'the value')] } });
  }

  /**
   * Drops rows with nulls: `how` 'any' (default: any null drops the row) or 'all' (only
   * all-null rows); `thresh` keeps rows with at least that many non-null values (and
   * overrides `how`); `subset` limits which columns count.
   */
  drop(how: 'any' | 'all' = 'any', thresh?: number, subset?: string | string[]): DataFrame {
    if (how !== 'any' && how !== 'all') throw new InvalidOptionError(`drop(how): how must be 'any' or 'all', got ${shownValue(how)}.`, { option: 'how' });
    if (thresh !== undefined && (!Number.isInteger(thresh) || thresh < 0)) throw new InvalidOptionError(`drop(how, thresh): thresh must be a non-negative integer, got ${shownValue(thresh)}.`, { option: 'thresh' });
    const minNonNulls = thresh ?? (how === 'all' ? 1 : undefined);
    return this.df.withRelation({
      case: 'dropNa',
      value: { input: this.df.relation, cols: subsetOf(subset, 'drop'), ...(minNonNulls !== undefined ? { minNonNulls } : {}) },
    });
  }

  /**
   * Replaces values: `replace(0, 100)`, `replace(['a', 'b'], ['x', 'y'])`,
   * `replace({ a: 'x' })`; `subset` limits the columns. Nulls are values too (`null`).
   */
  replace(toReplace: FillValue | null | readonly (FillValue | null)[] | Record<string, FillValue | null>, value?: FillValue | null | readonly (FillValue | null)[], subset?: string | string[]): DataFrame {
    let pairs: [unknown, unknown][];
    if (Array.isArray(toReplace)) {
      const values = Array.isArray(value) ? value : toReplace.map(() => value);
      if (values.length !== toReplace.length) {
        throw new InvalidOptionError(`replace(toReplace, value): ${toReplace.length} values to replace but ${values.length} replacements; give one replacement or as many.`, { option: 'value' });
      }
      pairs = toReplace.map((old, i) => [old, values[i]]);
    } else if (typeof toReplace === 'object' && toReplace !== null) {
      if (value !== undefined) throw new InvalidOptionError('replace({ old: new }) holds its replacements; leave out value.', { option: 'value' });
      pairs = Object.entries(toReplace);
    } else {
      if (value === undefined) throw new InvalidOptionError('replace(toReplace, value) needs the replacement value (or a { old: new } object).', { option: 'value' });
      pairs = [[toReplace, value]];
    }
    const literal = (v: unknown) => (v === null ? toLiteral(null) : fillLiteral(v, 'replace', 'a value'));
    return this.df.withRelation({
      case: 'replace',
      value: { input: this.df.relation, cols: subsetOf(subset, 'replace'), replacements: pairs.map(([o, n]) => ({ oldValue: literal(o), newValue: literal(n) })) },
    });
  }
}
