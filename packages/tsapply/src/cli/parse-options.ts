/** Command-line value checks, each with the exact message the user sees. */
import { InvalidOptionError } from '../errors.js';

export function positiveInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidOptionError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`, { option: flag });
  }
  return Number(value);
}

export function nonNegativeInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new InvalidOptionError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}`, { option: flag });
  }
  return Number(value);
}

export function oneOf<T extends string>(flag: string, value: string, valid: readonly T[]): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new InvalidOptionError(`${flag} must be one of ${valid.join(', ')}, got ${JSON.stringify(value)}`, { option: flag });
  }
  return value as T;
}

/** A number of seconds (`30`, `2.5`) as whole milliseconds. */
export function positiveSecondsAsMs(flag: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) {
    throw new InvalidOptionError(`${flag} must be a positive number of seconds, such as 30 or 2.5, got ${JSON.stringify(value)}`, { option: flag });
  }
  return Math.max(1, Math.round(Number(value) * 1000));
}
