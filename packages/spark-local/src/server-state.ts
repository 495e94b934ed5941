/**
 * The state files of managed servers: what `stop` and `status` need to find a server
 * again from another process. Several servers may run side by side (e.g. two Spark
 * versions), one per port, so each has its own file, `<stateDir>/server-<port>.json`
 * (a file `server.json` left by an older tsapply is still read).
 *
 * The recorded `address` never carries the auth token, so it is safe to print; the
 * token is kept in its own field of the file (mode 0600) only so `status` can probe a
 * server that requires it.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SparkLocalMode } from './server-options.js';

export interface SparkServerState {
  /** Pid of the server JVM; it leads its own process group (executors, Python workers). */
  pid: number;
  port: number;
  /** `sc://localhost:PORT` — without the token, even when the server requires one. */
  address: string;
  /** True when clients must send a bearer token (`/;token=…`). */
  authenticated: boolean;
  master: string;
  mode: SparkLocalMode;
  /** Spark (pyspark) version. */
  version: string;
  /** Absolute path of the server's log file. */
  log: string;
  /** ISO 8601 time the server was launched. */
  startedAt: string;
  /** Interpreter Python workers use (PYSPARK_PYTHON). */
  python: string;
}

/** What the file holds: the state, plus the token for probing (never returned to callers). */
interface StateFile extends SparkServerState {
  token?: string;
}

const LEGACY_FILE = 'server.json';
const FILE = /^server-(\d+)\.json$/;

export function stateFilePath(stateDir: string, port: number): string {
  return join(stateDir, `server-${port}.json`);
}

function readFile(path: string): StateFile | undefined {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as StateFile & { address: string };
    // A legacy file kept the token inside the address.
    const token = s.token ?? /;token=([^;]+)/.exec(s.address)?.[1];
    const address = s.address.replace(/\/;token=[^;]*$/, '').replace(/;token=[^;]*/, '');
    return { ...s, address, authenticated: token !== undefined, ...(token !== undefined ? { token } : {}) };
  } catch {
    return undefined;
  }
}

function withoutToken(s: StateFile): SparkServerState {
  const { token: _token, ...state } = s;
  return state;
}

/** Every recorded server of `stateDir`, by port (alive or not). */
export function readServerStates(stateDir: string): SparkServerState[] {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return [];
  }
  const states = names
    .filter((n) => FILE.test(n) || n === LEGACY_FILE)
    .map((n) => readFile(join(stateDir, n)))
    .filter((s): s is StateFile => s !== undefined)
    .map(withoutToken);
  return states.sort((a, b) => a.port - b.port);
}

/** The recorded server on `port`, if any. */
export function readServerState(stateDir: string, port: number): SparkServerState | undefined {
  return readServerStates(stateDir).find((s) => s.port === port);
}

/** The token a recorded server requires (for probing it), if any. */
export function readServerToken(stateDir: string, port: number): string | undefined {
  return readFile(stateFilePath(stateDir, port))?.token ?? readFile(join(stateDir, LEGACY_FILE))?.token;
}

export function writeServerState(stateDir: string, state: SparkServerState, token: string | undefined): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file: StateFile = { ...state, ...(token !== undefined ? { token } : {}) };
  writeFileSync(stateFilePath(stateDir, state.port), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

export function removeServerState(stateDir: string, port: number): void {
  rmSync(stateFilePath(stateDir, port), { force: true });
  const legacy = readFile(join(stateDir, LEGACY_FILE));
  if (legacy?.port === port) rmSync(join(stateDir, LEGACY_FILE), { force: true });
}
