/** Reads the last lines of a (possibly large) log file without loading all of it. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `lines` lines of the file at `path` ('' when it does not exist). Reads at most 256 KiB. */
export function readLogTail(path: string, lines = 30): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const all = buf.toString('utf8').split(/\r?\n/);
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
