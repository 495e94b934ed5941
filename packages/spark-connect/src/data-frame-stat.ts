/**
 * `df.stat`: statistics, as PySpark's `DataFrameStatFunctions` (each also a DataFrame
 * method). Those returning numbers are actions (async); those returning tables are
 * transforms.
 */
import { InvalidOptionError, shownValue } from '@tsapply/common';
import { toLiteral } from './literal.js';
import { toColumnFromName, type ColumnOrName } from './column.js';
import type { DataFrame } from './data-frame.js';

function columnName(c: unknown, method: string, option: string): string {
  if (typeof c !== 'string' || c === '') throw new InvalidOptionError(`${method}: ${option} must be a column name, got ${shownValue(c)}.`, { option });
  return c;
}

/** The single value of a one-row, one-column result. */
async function scalar(df: DataFrame): Promise<unknown> {
  const [row] = await df.collect();
  return row === undefined ? undefined : Object.values(row)[0];
}

export class DataFrameStatFunctions {
  constructor(private readonly df: DataFrame) {}

  /**
   * Approximate quantiles (Greenwald–Khanna) of numeric columns: `probabilities` in
   * [0, 1], `relativeError` ≥ 0 (0: exact, and costly). One column → its quantiles;
   * several → one list per column.
   */
  async approxQuantile(col: string, probabilities: number[], relativeError: number): Promise<number[]>;
  async approxQuantile(col: string[], probabilities: number[], relativeError: number): Promise<number[][]>;
  async approxQuantile(col: string | string[], probabilities: number[], relativeError: number): Promise<number[] | number[][]> {
    const cols = (typeof col === 'string' ? [col] : col).map((c) => columnName(c, 'approxQuantile', 'col'));
    if (!Array.isArray(probabilities) || probabilities.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1))) {
      throw new InvalidOptionError(`approxQuantile: probabilities must be numbers from 0 to 1, got ${shownValue(probabilities)}.`, { option: 'probabilities' });
    }
    if (typeof relativeError !== 'number' || !(relativeError >= 0)) {
      throw new InvalidOptionError(`approxQuantile: relativeError must be a number ≥ 0 (0 is exact), got ${shownValue(relativeError)}.`, { option: 'relativeError' });
    }
    const out = (await scalar(this.df.withRelation({ case: 'approxQuantile', value: { input: this.df.relation, cols, probabilities, relativeError } }))) as number[][];
    return typeof col === 'string' ? out[0]! : out;
  }

  /** Correlation of two numeric columns (`pearson`, the only method Spark has here). */
  async corr(col1: string, col2: string, method = 'pearson'): Promise<number> {
    if (method !== 'pearson') throw new InvalidOptionError(`corr(col1, col2, method): Spark computes only 'pearson' here, got ${shownValue(method)}.`, { option: 'method' });
    return Number(await scalar(this.df.withRelation({ case: 'corr', value: { input: this.df.relation, col1: columnName(col1, 'corr', 'col1'), col2: columnName(col2, 'corr', 'col2'), method } })));
  }

  /** Sample covariance of two numeric columns. */
  async cov(col1: string, col2: string): Promise<number> {
    return Number(await scalar(this.df.withRelation({ case: 'cov', value: { input: this.df.relation, col1: columnName(col1, 'cov', 'col1'), col2: columnName(col2, 'cov', 'col2') } })));
  }

  /** A contingency table: one row per value of `col1`, one column per value of `col2`, counts in the cells. */
  crosstab(col1: string, col2: string): DataFrame {
    return this.df.withRelation({ case: 'crosstab', value: { input: this.df.relation, col1: columnName(col1, 'crosstab', 'col1'), col2: columnName(col2, 'crosstab', 'col2') } });
  }

  /** Values appearing in at least `support` (default 1%) of rows, per column (may include false positives). */
  freqItems(cols: string[], support?: number): DataFrame {
    if (support !== undefined && !(support > 0 && support <= 1)) throw new InvalidOptionError(`freqItems(cols, support): support must be in (0, 1], got ${shownValue(support)}.`, { option: 'support' });
    return this.df.withRelation({
      case: 'freqItems',
      value: { input: this.df.relation, cols: cols.map((c) => columnName(c, 'freqItems', 'cols')), ...(support !== undefined ? { support } : {}) },
    });
  }

  /** A stratified sample: each value of `col` kept with its fraction (values not listed: 0). */
  sampleBy(col: ColumnOrName, fractions: Record<string, number> | Map<unknown, number>, seed?: number | bigint): DataFrame {
    const entries = fractions instanceof Map ? [...fractions] : Object.entries(fractions);
    for (const [k, f] of entries) {
      if (typeof f !== 'number' || !(f >= 0 && f <= 1)) throw new InvalidOptionError(`sampleBy: the fraction for ${shownValue(k)} must be from 0 to 1, got ${shownValue(f)}.`, { option: 'fractions' });
    }
    return this.df.withRelation({
      case: 'sampleBy',
      value: {
        input: this.df.relation,
        col: toColumnFromName(col).toProto(),
        fractions: entries.map(([stratum, fraction]) => ({ stratum: toLiteral(stratum), fraction })),
        ...(seed !== undefined ? { seed: BigInt(seed) } : {}),
      },
    });
  }
}
