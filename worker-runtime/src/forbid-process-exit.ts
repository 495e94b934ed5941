/**
 * A job's function runs inside a long-lived worker (a Node process beside a Spark
 * executor, a thread of the embedded engine) that serves task after task. `process.exit()`
 * from the job's code would end it mid-task, leaving only "exited with code N" to go on;
 * instead it throws, so the task fails with the user's own line, like any error.
 */

/** Replaces `process.exit` with a function that throws; returns the original (for the worker itself). */
export function forbidProcessExit(): (code?: number) => never {
  const exit = process.exit.bind(process) as (code?: number) => never;
  process.exit = ((code?: number) => {
    throw new Error(
      `process.exit(${code ?? ''}) was called by the job's code. A tsapply function runs inside a long-lived worker: return (or throw an error) instead of ending the process.`,
    );
  }) as typeof process.exit;
  return exit;
}
