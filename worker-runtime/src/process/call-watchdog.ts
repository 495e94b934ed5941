/**
 * The task timeout of the Node worker process: ends the process when one call of the
 * user's function (one batch or one group, with loading the payload and `init`) runs
 * longer than `taskTimeoutMs`.
 *
 * A function stuck in a synchronous loop never gives the event loop back, so no timer
 * on this thread could fire: the watch runs on a second thread. The two share a small
 * buffer: the main thread marks a call `BUSY` with its deadline and `IDLE` after it; the
 * watch thread sleeps on that word (`Atomics.wait`) until the deadline. If the call is
 * still `BUSY` then, it claims the call (`EXPIRED`, a compare-and-swap, so a call that
 * ends at that very moment is either finished or expired, never both), writes the
 * ERROR frame the main thread prepared for this call to stdout, and kills the process.
 * The main thread writes frames only while no call is `BUSY`, so the two never
 * interleave on stdout. The shim reads the error, then the end of the stream, and starts
 * a fresh worker for the next task.
 */
import { Worker } from 'node:worker_threads';

const IDLE = 0;
const BUSY = 1;
const EXPIRED = 2;
/** Largest ERROR frame the watch can send (its message is short). */
const FRAME_CAPACITY = 64 * 1024;

// Plain JavaScript run with `eval: true`: the worker bundle is one file, so the watch
// thread cannot load a module of its own.
const WATCH_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.state);
const deadline = new Float64Array(workerData.deadline);
const frameLength = new Int32Array(workerData.frameLength);
const frame = new Uint8Array(workerData.frame);
for (;;) {
  Atomics.wait(state, 0, ${IDLE});
  while (Atomics.load(state, 0) === ${BUSY}) {
    const left = deadline[0] - Date.now();
    if (left > 0) {
      Atomics.wait(state, 0, ${BUSY}, left);
      continue;
    }
    if (Atomics.compareExchange(state, 0, ${BUSY}, ${EXPIRED}) === ${BUSY}) {
      const bytes = frame.subarray(0, frameLength[0]);
      let written = 0;
      while (written < bytes.length) written += writeSync(1, bytes, written);
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
`;

export class CallWatchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly deadline = new Float64Array(new SharedArrayBuffer(8));
  private readonly frameLength = new Int32Array(new SharedArrayBuffer(4));
  private readonly frame = new Uint8Array(new SharedArrayBuffer(FRAME_CAPACITY));
  private thread: Worker | undefined;

  /**
   * Runs `call` under a deadline of `timeoutMs` (no watch when undefined). `timeoutFrame`
   * is the complete ERROR frame to send if the deadline passes. When it does, the process
   * is killed and the returned promise never settles.
   */
  async watch<T>(timeoutMs: number | undefined, timeoutFrame: () => Uint8Array, call: () => Promise<T>): Promise<T> {
    if (timeoutMs === undefined) return call();
    const bytes = timeoutFrame();
    if (bytes.byteLength > FRAME_CAPACITY) throw new RangeError(`The timeout frame is ${bytes.byteLength} bytes, more than ${FRAME_CAPACITY}.`);
    this.frame.set(bytes);
    this.frameLength[0] = bytes.byteLength;
    this.deadline[0] = Date.now() + timeoutMs;
    this.ensureThread();
    Atomics.store(this.state, 0, BUSY);
    Atomics.notify(this.state, 0);
    try {
      return await call();
    } finally {
      if (Atomics.compareExchange(this.state, 0, BUSY, IDLE) !== BUSY) {
        // The watch claimed this call and is killing the process: write nothing more.
        await new Promise<never>(() => undefined);
      }
      Atomics.notify(this.state, 0);
    }
  }

  /**
   * Takes stdout for good (the process is about to end): true unless the watch already
   * claimed a call and is writing its timeout frame.
   */
  claimForExit(): boolean {
    for (;;) {
      const now = Atomics.load(this.state, 0);
      if (now === EXPIRED) return false;
      if (Atomics.compareExchange(this.state, 0, now, EXPIRED) === now) return true;
    }
  }

  private ensureThread(): void {
    if (this.thread !== undefined) return;
    this.thread = new Worker(WATCH_SOURCE, {
      eval: true,
      workerData: { state: this.state.buffer, deadline: this.deadline.buffer, frameLength: this.frameLength.buffer, frame: this.frame.buffer },
      // The watch never keeps the process alive on its own, and needs little memory.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.thread.unref();
  }
}
