/**
 * Turns whatever user code threw (an Error, a custom error class, a string…) into a
 * `UserCodeError` that names the ORIGINAL .ts location, the phase and the partition,
 * and turns failures converting `apply`'s result into errors that carry the partition.
 */
import {
  describeCallPlace,
  isTsapplyError,
  ResultShapeError,
  SchemaMismatchError,
  TsapplyError,
  UserCodeError,
} from '@tsapply/common';
import type { BundleSourceMapper } from './source-mapper.js';

export type UserPhase = 'apply' | 'init' | 'load';

/** True for a `UserCodeError` from any copy of `@tsapply/common`. */
export function isUserCodeError(e: unknown): e is UserCodeError {
  return isTsapplyError(e) && e.code === 'USER_CODE';
}

function describeThrown(e: unknown): { message: string; name: string; stack: string | undefined } {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const err = e as { message?: unknown; name?: unknown; stack?: unknown };
    return {
      message: String(err.message),
      name: typeof err.name === 'string' && err.name !== '' ? err.name : 'Error',
      stack: typeof err.stack === 'string' ? err.stack : undefined,
    };
  }
  // `throw 'boom'` or `throw 42`: no stack to map, but keep the value visible.
  return { message: typeof e === 'string' ? e : `${typeof e} ${String(e)} was thrown`, name: 'Error', stack: undefined };
}

/**
 * Wraps a value thrown by user code. An error that already is a `UserCodeError`
 * (e.g. rethrown from a memoised failed `init`) is returned unchanged. `hint`, a
 * sentence on what to write instead, follows the user's own message.
 */
export function toUserCodeError(
  e: unknown,
  phase: UserPhase,
  partition: number | undefined,
  mapper: BundleSourceMapper,
  group?: string,
  hint?: string,
): UserCodeError {
  if (isUserCodeError(e)) return e;
  const { message, name, stack } = describeThrown(e);
  const mapped = mapper.mapStack(stack);
  const err = UserCodeError.fromFields({
    userMessage: hint === undefined ? message : `${message}. ${hint}`,
    errorName: name,
    location: mapped.location,
    userStack: mapped.userStack,
    partition,
    ...(group !== undefined ? { group } : {}),
    phase,
  });
  // Show the user's mapped frames, not tsapply's, when the error is printed with its stack.
  const frames = mapped.userStack?.split('\n').filter((l) => /^\s+at /.test(l)) ?? [];
  Object.defineProperty(err, 'stack', {
    value: [`${err.name}: ${err.message}`, ...frames].join('\n'),
    configurable: true,
    writable: true,
  });
  Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
  return err;
}

/**
 * Re-labels an error raised while converting `apply`'s result to Arrow so the user
 * knows it came from the value `apply` returned, and which partition. Schema
 * mismatches keep their class and typed fields plus `partition`.
 */
export function toResultError(e: unknown, partition: number, group?: string): unknown {
  if (isUserCodeError(e)) return e;
  // `partition 3`, or `partition 3, group g="a"` for a group's call.
  const place = describeCallPlace(partition, group);
  if (!isTsapplyError(e)) {
    // Not a validation error but an unexpected failure inside the conversion: keep the
    // original as `cause`, still say where it happened.
    const err = new TsapplyError(
      `Converting the value apply() returned for ${place} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      { code: 'RESULT_CONVERSION' },
    );
    Object.defineProperty(err, 'partition', { value: partition, enumerable: true });
    Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
    return err;
  }
  // A wrong shape is about the value as a whole (or one of its rows or columns), with
  // or without a schema; without a column a schema mismatch is too (an Arrow table
  // missing a column…). A mismatch in a column is a value that does not fit its type.
  const prefix = `Wrong result from apply() (${place}): `;
  if (ResultShapeError.is(e)) {
    const src = e as ResultShapeError;
    return new ResultShapeError(prefix + e.message, { actual: src.actual, rowIndex: src.rowIndex, column: src.column, partition });
  }
  const column = (e as { column?: unknown }).column;
  const message =
    column === undefined
      ? prefix + e.message
      : `The value apply() returned for ${place} does not fit the output schema: ${e.message}`;
  if (e.code === 'SCHEMA_MISMATCH') {
    const src = e as unknown as SchemaMismatchError;
    const fields = { column: src.column, expected: src.expected, actual: src.actual, rowIndex: src.rowIndex, partition };
    return new SchemaMismatchError(message, fields);
  }
  const err = new TsapplyError(message, { code: e.code });
  Object.defineProperty(err, 'partition', { value: partition, enumerable: true });
  Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
  return err;
}
