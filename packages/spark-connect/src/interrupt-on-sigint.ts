/**
 * Ctrl-C handling for CLIs: the first SIGINT interrupts every running execution of the
 * session (so the cluster stops working, not only the client); a second SIGINT exits with
 * status 130 at once.
 */
import type { SparkSession } from './spark-session.js';

/** Installs the handler; call the returned function to remove it. */
export function interruptOnSigint(session: SparkSession, onInterrupt?: (ids: string[]) => void): () => void {
  let pressed = false;
  const handler = (): void => {
    if (pressed) process.exit(130);
    pressed = true;
    session.interruptAll().then(
      (ids) => onInterrupt?.(ids),
      () => undefined,
    );
  };
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
  };
}
