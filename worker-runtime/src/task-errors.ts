/**
 * Driver side of the task error convention: a worker rejects with `serializeError(e)`
 * (a plain object that survives structured clone with every typed field); this turns
 * it back into the error class it was — `UserCodeError` with `location` and
 * `partition`, `SchemaMismatchError` with `column`… — via `deserializeError`.
 */
import { deserializeError } from '@tsapply/common';
import type { SerializedError } from '@tsapply/common';
// Registers this package's error classes with `deserializeError`.
import './errors.js';

export function isSerializedError(e: unknown): e is SerializedError {
  return typeof e === 'object' && e !== null && (e as { __tsapplyError?: unknown }).__tsapplyError === 1;
}

/**
 * Rebuilds the error a task rejected with. Errors that did not come through the
 * convention (a crashed thread, piscina's own errors) are returned as they are.
 */
export function reviveTaskError(e: unknown): Error {
  if (isSerializedError(e)) {
    return deserializeError(e);
  }
  return e instanceof Error ? e : new Error(String(e));
}
