/** stopSparkConnect() and statusSparkConnect(): find the managed server via its state file. */
import { resolve } from 'node:path';
import { probeSparkConnect } from './probe.js';
import { isProcessAlive, killProcessGroup, processCommandLine } from './process-utils.js';
import { readOptions } from '@tsapply/common';
import { defaultStateDir } from './server-options.js';
import { readServerState, removeServerState, type SparkServerState } from './server-state.js';

export interface StopSparkConnectOptions {
  /** @default `<cacheDir()>/spark/run` */
  stateDir?: string;
  /** Stop only if the recorded server has this pid (guards against stopping a newer server). */
  pid?: number;
  /** Milliseconds to wait after SIGTERM before SIGKILL. @default 15_000 */
  graceMs?: number;
}

export interface StopResult {
  /** True when a running server was stopped; false when none was running. */
  stopped: boolean;
  /** The state of the server that was stopped (or found dead and cleaned up). */
  server: SparkServerState | undefined;
}

export type SparkServerStatus =
  | { running: false; stateDir: string }
  | (SparkServerState & {
      running: true;
      stateDir: string;
      /** Milliseconds since the server was launched. */
      uptimeMs: number;
      /** Whether its gRPC port answered a Spark Connect call just now. */
      answering: boolean;
    });

/** True when the recorded pid is alive AND still our Spark Connect server (pids get reused). */
export function isManagedServerAlive(state: SparkServerState): boolean {
  if (!isProcessAlive(state.pid)) return false;
  const cmd = processCommandLine(state.pid);
  return cmd === undefined || cmd.includes('SparkConnectServer');
}

/** Ends the managed server of `stateDir` (its process group only) and removes its state. */
export async function stopSparkConnect(options: StopSparkConnectOptions = {}): Promise<StopResult> {
  const o = readOptions('stopSparkConnect()', options, ['stateDir', 'pid', 'graceMs']);
  const stateDir = resolve(o.string('stateDir', 'a folder path') ?? defaultStateDir());
  const pid = o.positiveInteger('pid');
  const graceMs = o.nonNegativeNumber('graceMs', 'a non-negative number of milliseconds') ?? 15_000;
  const state = readServerState(stateDir);
  if (!state || (pid !== undefined && state.pid !== pid)) {
    return { stopped: false, server: undefined };
  }
  const alive = isManagedServerAlive(state);
  if (alive) await killProcessGroup(state.pid, graceMs);
  removeServerState(stateDir);
  return { stopped: alive, server: state };
}

/** Reports whether the managed server of `stateDir` runs; cleans up the state of a dead one. */
export async function statusSparkConnect(options: { stateDir?: string } = {}): Promise<SparkServerStatus> {
  const o = readOptions('statusSparkConnect()', options, ['stateDir']);
  const stateDir = resolve(o.string('stateDir', 'a folder path') ?? defaultStateDir());
  const state = readServerState(stateDir);
  if (!state) return { running: false, stateDir };
  if (!isManagedServerAlive(state)) {
    removeServerState(stateDir);
    return { running: false, stateDir };
  }
  const token = /;token=([^;]+)/.exec(state.address)?.[1];
  const answering = (await probeSparkConnect(state.port, token, 3000)) === 'ready';
  return { ...state, running: true, stateDir, uptimeMs: Date.now() - Date.parse(state.startedAt), answering };
}
