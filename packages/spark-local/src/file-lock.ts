/**
 * A cross-process lock file, so two processes (parallel test files, a test run and a
 * developer's `tsapply spark start`) never build the same Python environment at once.
 *
 * The lock is a file created with O_EXCL holding the owner's pid. A lock whose owner is
 * no longer alive (killed mid-install, machine rebooted) is stale and taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TsapplyError } from '@tsapply/common';
import { isProcessAlive } from './process-utils.js';

export interface LockOptions {
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (ownerPid: number | undefined) => void;
  /** Give up after this long. @default 3_600_000 (an hour: a slow first pip install) */
  timeoutMs?: number;
  /** How often to look again. @default 1000 */
  pollMs?: number;
}

/** Takes the lock at `path` (waiting while another live process holds it); resolves to a release function. */
export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<() => void> {
  const { onWait, timeoutMs = 3_600_000, pollMs = 1000 } = options;
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(path);
    if (owner !== undefined && !isProcessAlive(owner)) {
      rmSync(path, { force: true }); // stale: its owner died without releasing it
      continue;
    }
    if (Date.now() > deadline) {
      throw new TsapplyError(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for lock ${path} held by pid ${owner ?? 'unknown'}.`, {
        code: 'SPARK_LOCAL_LOCK_TIMEOUT',
      });
    }
    if (!announced) {
      announced = true;
      onWait?.(owner);
    }
    await sleep(pollMs);
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    // Being written right now, or removed meanwhile: treat as a live owner and look again.
    return undefined;
  }
}
