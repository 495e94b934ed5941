/** Small helpers around pids and process groups (POSIX). */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when a process with this pid exists (it may belong to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The command line of a process, or undefined when it is gone. Linux reads /proc;
 * elsewhere `ps` answers. Used to make sure a pid from a state file is still OUR
 * server before signalling it (pids are reused).
 */
export function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    if (process.platform === 'linux') return undefined;
  }
  try {
    const out = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

/** Waits until `pid` is gone; resolves true if it went within `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid) || isZombie(pid)) return true;
    await sleep(100);
  }
  return !isProcessAlive(pid) || isZombie(pid);
}

/** A zombie has exited but was not reaped yet (its parent is us or busy); treat as gone. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Ends a whole process group led by `pid` (a server started `detached` leads its own
 * group, and its executors and Python workers stay in it): SIGTERM first so the JVM's
 * shutdown hooks run, SIGKILL after `graceMs`. Resolves once the leader is gone.
 */
export async function killProcessGroup(pid: number, graceMs = 15_000): Promise<void> {
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig); // not a group leader after all
      } catch {
        // already gone
      }
    }
  };
  signalGroup('SIGTERM');
  const exited = await waitForExit(pid, graceMs);
  // SIGKILL either way: it also reaches leftovers of the group (Python daemons) that ignored SIGTERM.
  signalGroup('SIGKILL');
  if (!exited) await waitForExit(pid, 5000);
  // Return once the whole group is gone (a cluster's master, workers and executors too),
  // so a caller that checks, or starts a new server on the same ports, finds nothing left.
  for (let waited = 0; waited < 5000 && groupExists(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
