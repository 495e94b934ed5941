/**
 * A memory size as Spark users write one (`spark.executor.memory=2g`): a number of
 * megabytes, or a string with a unit — `512m`, `2g`, `1.5g`, `4096` (megabytes).
 */
import { InvalidOptionError } from '../errors.js';
import { shownValue } from './shown-value.js';

const UNIT_MB: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };

/** Megabytes (a whole number, at least `minMb`), or an InvalidOptionError naming `where`. */
export function parseMemorySize(value: unknown, where: string, minMb = 64): number {
  let mb: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) mb = value;
  else if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])?b?\s*$/i.exec(value);
    if (m) mb = Number(m[1]) * UNIT_MB[(m[2] ?? 'm').toLowerCase()]!;
  }
  if (mb === undefined || !(mb >= minMb)) {
    throw new InvalidOptionError(
      `${where} must be a memory size of at least ${minMb} MB, as megabytes (2048) or with a unit ('512m', '2g'); got ${shownValue(value)}.`,
      { option: where },
    );
  }
  return Math.floor(mb);
}
