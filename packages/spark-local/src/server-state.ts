/**
 * The state file of a managed server, `<stateDir>/server.json`: what `stop` and
 * `status` need to find the server again from another process. One server per state
 * directory. Written with mode 0600 because the address may carry the auth token.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SparkLocalMode } from './server-options.js';

export interface SparkServerState {
  /** Pid of the server JVM; it leads its own process group (executors, Python workers). */
  pid: number;
  port: number;
  /** `sc://localhost:PORT` (with `/;token=…` when started with a token). */
  address: string;
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

export function stateFilePath(stateDir: string): string {
  return join(stateDir, 'server.json');
}

export function readServerState(stateDir: string): SparkServerState | undefined {
  try {
    return JSON.parse(readFileSync(stateFilePath(stateDir), 'utf8')) as SparkServerState;
  } catch {
    return undefined;
  }
}

export function writeServerState(stateDir: string, state: SparkServerState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFilePath(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeServerState(stateDir: string): void {
  rmSync(stateFilePath(stateDir), { force: true });
}
