/** stopSparkConnect(), statusSparkConnect() and listSparkConnect(): find managed servers via their state files. */
import { resolve } from 'node:path';
import { probeSparkConnect } from './probe.js';
import { isProcessAlive, killProcessGroup, processCommandLine } from './process-utils.js';
import { InvalidOptionError, readOptions } from '@tsapply/common';
import { defaultStateDir } from './server-options.js';
import { readServerState, readServerStates, readServerToken, removeServerState, type SparkServerState } from './server-state.js';

export interface StopSparkConnectOptions {
  /** @default `<cacheDir()>/spark/run` */
  stateDir?: string;
  /** The server's port; optional while only one managed server runs. */
  port?: number;
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

/**
 * The live recorded servers of `stateDir` (the state of dead ones is removed on the way).
 */
function liveServers(stateDir: string): SparkServerState[] {
  return readServerStates(stateDir).filter((state) => {
    if (isManagedServerAlive(state)) return true;
    removeServerState(stateDir, state.port);
    return false;
  });
}

/**
 * The server `port` names, or the only one running when no port is given; several
 * running and no port is an InvalidOptionError that lists them.
 */
function selectServer(stateDir: string, port: number | undefined, where: string): SparkServerState | undefined {
  const live = liveServers(stateDir);
  if (port !== undefined) return live.find((s) => s.port === port);
  if (live.length <= 1) return live[0];
  throw new InvalidOptionError(
    `${live.length} managed Spark Connect servers are running (ports ${live.map((s) => s.port).join(', ')}); ` +
      `${where} needs to know which: pass port (CLI: --port N).`,
    { option: 'port' },
  );
}

/**
 * Ends a managed server of `stateDir` (its process group only) and removes its state:
 * the one on `port`, or the only one running.
 */
export async function stopSparkConnect(options: StopSparkConnectOptions = {}): Promise<StopResult> {
  const o = readOptions('stopSparkConnect()', options, ['stateDir', 'port', 'pid', 'graceMs']);
  const stateDir = resolve(o.string('stateDir', 'a folder path') ?? defaultStateDir());
  const port = o.positiveInteger('port');
  const pid = o.positiveInteger('pid');
  const graceMs = o.nonNegativeNumber('graceMs', 'a non-negative number of milliseconds') ?? 15_000;
  // A dead server's state is cleaned up too, and reported as not stopped.
  const recorded = port !== undefined ? readServerState(stateDir, port) : undefined;
  const state = selectServer(stateDir, port, 'stopSparkConnect()') ?? recorded;
  if (!state || (pid !== undefined && state.pid !== pid)) {
    return { stopped: false, server: undefined };
  }
  const alive = isManagedServerAlive(state);
  if (alive) await killProcessGroup(state.pid, graceMs);
  removeServerState(stateDir, state.port);
  return { stopped: alive, server: state };
}

async function statusOf(stateDir: string, state: SparkServerState): Promise<SparkServerStatus> {
  const token = readServerToken(stateDir, state.port);
  const answering = (await probeSparkConnect(state.port, token, 3000)) === 'ready';
  return { ...state, running: true, stateDir, uptimeMs: Date.now() - Date.parse(state.startedAt), answering };
}

/**
 * Reports whether a managed server of `stateDir` runs (the one on `port`, or the only
 * one); cleans up the state of dead ones. The status never carries the token.
 */
export async function statusSparkConnect(options: { stateDir?: string; port?: number } = {}): Promise<SparkServerStatus> {
  const o = readOptions('statusSparkConnect()', options, ['stateDir', 'port']);
  const stateDir = resolve(o.string('stateDir', 'a folder path') ?? defaultStateDir());
  const state = selectServer(stateDir, o.positiveInteger('port'), 'statusSparkConnect()');
  return state ? statusOf(stateDir, state) : { running: false, stateDir };
}

/** The status of every managed server of `stateDir` that runs, by port. */
export async function listSparkConnect(options: { stateDir?: string } = {}): Promise<SparkServerStatus[]> {
  const o = readOptions('listSparkConnect()', options, ['stateDir']);
  const stateDir = resolve(o.string('stateDir', 'a folder path') ?? defaultStateDir());
  return Promise.all(liveServers(stateDir).map((s) => statusOf(stateDir, s)));
}
