/**
 * The knobs that set how much work the benchmark jobs do per row and per batch, in
 * their own module so the suite can read them without evaluating a job.
 */

/** Legs of the great-circle track per flight in the CPU-bound job: sets its cost per row. */
export const TRACK_STEPS = 16;

/** Round trip of the simulated remote lookup in the I/O-bound job, per batch, in ms. */
export const LOOKUP_LATENCY_MS = 50;
