/**
 * Guards the lazy forms of the value `apply` returns.
 *
 * An iterable or async iterable result is lazy: user code keeps running while the
 * runtime pulls rows from it, so a throw inside a generator surfaces during the Arrow
 * conversion. `guardUserIterable` wraps such results so those throws are attributed
 * to user code (mapped, with partition) and never confused with conversion errors.
 * What counts as lazy rows is decided by `@tsapply/common`'s one classification of
 * results (`lazyRowsKind`, classify-result.ts), which also checks every other form.
 */
import { lazyRowsKind } from '@tsapply/common';

// The result collector moved to @tsapply/common with the one classifier; kept here
// under its old name for users of @tsapply/worker-runtime.
export { applyResultToRows } from '@tsapply/common';

/** Duck-typed apache-arrow RecordBatch or Table (any copy of the library: no `instanceof`). */
export function isArrowLike(v: unknown): v is { schema: unknown; numRows: number } {
  return typeof v === 'object' && v !== null && 'schema' in v && typeof (v as { numRows?: unknown }).numRows === 'number';
}

/**
 * Returns `result` unchanged unless it is a lazy (async) iterable; those are wrapped so
 * that anything their `next()` throws goes through `onUserError` first.
 */
export function guardUserIterable(result: unknown, onUserError: (e: unknown) => Error): unknown {
  switch (lazyRowsKind(result)) {
    case 'asyncIterable':
      return guardAsync(result as AsyncIterable<unknown>, onUserError);
    case 'iterable':
      return guardSync(result as Iterable<unknown>, onUserError);
    default:
      return result;
  }
}

// `yield*` forwards every row without buffering; a throw from the user's iterator
// lands in the catch. The runtime never calls `.throw()` on these wrappers, so the
// catch sees user errors only.
function* guardSync(it: Iterable<unknown>, onUserError: (e: unknown) => Error): Generator<unknown> {
  try {
    yield* it;
  } catch (e) {
    throw onUserError(e);
  }
}

async function* guardAsync(it: AsyncIterable<unknown>, onUserError: (e: unknown) => Error): AsyncGenerator<unknown> {
  try {
    yield* it;
  } catch (e) {
    throw onUserError(e);
  }
}
