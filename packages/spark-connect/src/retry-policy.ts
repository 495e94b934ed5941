/**
 * Bounded exponential backoff for transient gRPC failures (server unreachable, a stream
 * broken by the network). Defaults: 5 retries after the first attempt, 250 ms doubling to
 * at most 4 s — about 7.75 s of waiting in total before the client gives up.
 */
import { status } from '@grpc/grpc-js';
import { transportProblem } from './transport-problem.js';

/** How the client retries transient failures. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 5 */
  maxRetries?: number;
  /** Wait before the first retry, in milliseconds. @default 250 */
  initialBackoffMs?: number;
  /** Upper bound of one wait, in milliseconds. @default 4000 */
  maxBackoffMs?: number;
  /** Growth factor between waits. @default 2 */
  backoffMultiplier?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxRetries: 5,
  initialBackoffMs: 250,
  maxBackoffMs: 4000,
  backoffMultiplier: 2,
};

/** Wait before retry number `retry` (1-based), in milliseconds. */
export function backoffMs(retry: number, o: ResolvedRetryOptions): number {
  return Math.min(o.maxBackoffMs, o.initialBackoffMs * o.backoffMultiplier ** (retry - 1));
}

/** Total time spent waiting if every retry is used, in milliseconds. */
export function totalBackoffMs(o: ResolvedRetryOptions): number {
  let sum = 0;
  for (let i = 1; i <= o.maxRetries; i++) sum += backoffMs(i, o);
  return sum;
}

/**
 * Transient failures worth retrying: the transport broke, not the query — and not a
 * TLS or protocol mismatch, which no retry fixes (see transport-problem.ts).
 */
export function isRetryable(e: unknown): boolean {
  const err = e as { code?: unknown; details?: unknown } | null;
  if (err?.code !== status.UNAVAILABLE) return false;
  const details = typeof err.details === 'string' ? err.details : '';
  return transportProblem(details, true) === undefined && transportProblem(details, false) === undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
