/**
 * Turns any failure into ONE readable message on stderr. tsapply's own errors print
 * their message alone (they say what happened and what to do); a user code error
 * already names the original .ts file:line. A stack of tsapply internals is shown
 * only with `--verbose`; for user code errors `--verbose` shows the user's mapped stack.
 */
import { isTsapplyError } from '@tsapply/common';

export function formatError(e: unknown, verbose: boolean): string {
  if (isTsapplyError(e)) {
    if (!verbose) return e.message;
    const userStack = (e as { userStack?: unknown }).userStack;
    const stack = typeof userStack === 'string' ? userStack : e.stack;
    return stack && !stack.startsWith(e.message) ? `${e.message}\n${stack}` : (stack ?? e.message);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  if (verbose) return err.stack ?? err.message;
  return `${err.message}\n(This is an unexpected error inside tsapply; run again with --verbose for details.)`;
}

export function reportError(e: unknown, verbose: boolean): void {
  process.stderr.write(`tsapply: ${formatError(e, verbose)}\n`);
}
