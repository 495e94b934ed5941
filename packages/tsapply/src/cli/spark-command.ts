/**
 * `tsapply spark start|stop|status`: the managed local Spark Connect server
 * (`@tsapply/spark-local`) from the command line.
 *
 *   tsapply spark start [--master local[2]] [--port 15002] [--spark-version 4.3.0]
 *                       [--cluster [--executors 2] | --standalone [--workers 2]] [--conf k=v …] [--token T]
 *   tsapply spark status [--port N] [--json]
 *   tsapply spark stop [--port N]
 *
 * The server keeps running after `start` returns; its pid, address and log path are
 * kept in `<cacheDir>/spark/run/server-<port>.json` (override with --state-dir), which
 * is how `stop` and `status` find it again. Several servers may run side by side (one
 * per port); `--port` picks one, and is optional while only one runs. Tokens are
 * never printed.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_PORT,
  DEFAULT_SPARK_VERSION,
  listSparkConnect,
  startSparkConnect,
  statusSparkConnect,
  stopSparkConnect,
  type SparkServerStatus,
  type StartSparkConnectOptions,
} from '@tsapply/spark-local';
import type { CommandModule } from './command-module.js';
import { reportError } from './report-error.js';
import { InvalidOptionError } from '../errors.js';

function parseInteger(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number, got "${value}".`);
    return Number(value);
  };
}

function collectConf(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--conf expects key=value (e.g. spark.sql.shuffle.partitions=8), got "${value}".`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** `3723000` → `"1h 2m 3s"`. */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'm'], [s % 60, 's']] as const;
  const first = parts.findIndex(([n]) => n > 0);
  return first === -1 ? '0s' : parts.slice(first).map(([n, u]) => `${n}${u}`).join(' ');
}

/** The token of a connection string as `***`: what the CLI prints must be safe to log. */
function redactToken(address: string): string {
  return address.replace(/(;token=)[^;]*/g, '$1***');
}

/** ` --port N` when N is not the default port (what to type to reach that server). */
function stopPort(port: number): string {
  return port === DEFAULT_PORT ? '' : ` --port ${port}`;
}

function where(flags: { stateDir?: string; port?: number }): { stateDir?: string; port?: number } {
  return { ...(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {}), ...(flags.port !== undefined ? { port: flags.port } : {}) };
}

function formatStatus(status: SparkServerStatus): string {
  if (!status.running) return '';
  return (
    [
      `Running:  yes${status.answering ? '' : ' (process alive, but the gRPC port does not answer yet)'}`,
      `Address:  ${status.address}${status.authenticated ? ' (requires its token)' : ''}`,
      `Pid:      ${status.pid}`,
      `Uptime:   ${formatUptime(status.uptimeMs)}`,
      `Master:   ${status.master}`,
      `Version:  ${status.version}`,
      `Log:      ${status.log}`,
    ].join('\n') + '\n'
  );
}

/** Runs an action; a failure prints one message (a stack only with --verbose) and sets exit code 1. */
function action<F extends { verbose?: boolean }>(fn: (flags: F) => Promise<void>): (flags: F) => Promise<void> {
  return async (flags: F) => {
    try {
      await fn(flags);
    } catch (e) {
      reportError(e, flags.verbose === true);
      process.exitCode = 1;
    }
  };
}

interface StartFlags {
  master?: string;
  port: number;
  sparkVersion?: string;
  cluster?: boolean;
  executors?: number;
  standalone?: boolean;
  workers?: number;
  conf?: Record<string, string>;
  token?: string;
  timeout?: number;
  stateDir?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Adds the `spark` command group to the tsapply program. */
export function registerSparkCommand(program: Command): Command {
  const spark = program.command('spark').description('Manage a local Spark Connect server for development and tests');

  spark
    .command('start')
    .description('Start a managed Spark Connect server (creates its Python environment on first use) and print its sc:// address')
    .option('--master <url>', 'Spark master URL (not with --cluster)', undefined)
    .option('--port <port>', 'gRPC port', parseInteger('--port'), DEFAULT_PORT)
    .option('--spark-version <version>', `pyspark release from PyPI (default ${DEFAULT_SPARK_VERSION}, or $TSAPPLY_SPARK_VERSION)`)
    .option('--cluster', 'several executor processes on this machine (local-cluster)')
    .option('--executors <n>', 'executor processes with --cluster (default 2)', parseInteger('--executors'))
    .option('--standalone', "a real Spark standalone cluster on this machine: Spark's Master and --workers Worker processes")
    .option('--workers <n>', 'Worker processes with --standalone (default 2; 1 core and 1 GB each)', parseInteger('--workers'))
    .option('--conf <key=value>', 'Spark conf, repeatable', collectConf)
    .option('--token <token>', 'require clients to authenticate with this bearer token')
    .option('--timeout <seconds>', 'give up if the server does not answer in time (default 300)', parseInteger('--timeout'))
    .addOption(new Option('--state-dir <dir>', 'where the state file and log live').hideHelp())
    .option('--json', 'print the result as JSON')
    .option('--verbose', 'show stacks on errors')
    .action(
      action(async (flags: StartFlags) => {
        const options: StartSparkConnectOptions = { port: flags.port };
        if (flags.master !== undefined) options.master = flags.master;
        if (flags.sparkVersion !== undefined) options.sparkVersion = flags.sparkVersion;
        if (flags.cluster && flags.standalone) {
          throw new InvalidOptionError('--cluster and --standalone are two ways to run several executors; pass one of them.', { option: '--standalone' });
        }
        if (flags.cluster) options.mode = 'cluster';
        if (flags.standalone) options.mode = 'standalone';
        if (flags.executors !== undefined) options.executors = flags.executors;
        if (flags.workers !== undefined) options.workers = flags.workers;
        if (flags.conf !== undefined) options.conf = flags.conf;
        if (flags.token !== undefined) options.token = flags.token;
        if (flags.timeout !== undefined) options.timeoutMs = flags.timeout * 1000;
        if (flags.stateDir !== undefined) options.stateDir = flags.stateDir;
        const server = await startSparkConnect(options);
        // The token never goes to stdout (it may be logged): the user passed it, and knows it.
        const address = redactToken(server.address);
        if (flags.json) {
          const { stop: _stop, ...info } = server;
          process.stdout.write(`${JSON.stringify({ ...info, address }, null, 2)}\n`);
          return;
        }
        const remote = flags.token !== undefined ? `'${address.replace('***', '<your --token>')}'` : address;
        process.stdout.write(
          `Spark Connect ${server.version} is running at ${address} (pid ${server.pid}, master ${server.master})\n` +
            `Log: ${server.log}\n` +
            `Use it with: export SPARK_REMOTE=${remote}    Stop it with: tsapply spark stop${stopPort(server.port)}\n`,
        );
      }),
    );

  spark
    .command('stop')
    .description('Stop a managed Spark Connect server (only that server and its executors)')
    .option('--port <port>', 'which server, when several run side by side', parseInteger('--port'))
    .addOption(new Option('--state-dir <dir>').hideHelp())
    .option('--verbose', 'show stacks on errors')
    .action(
      action(async (flags: { stateDir?: string; port?: number; verbose?: boolean }) => {
        const result = await stopSparkConnect(where(flags));
        if (result.stopped && result.server) {
          process.stdout.write(`Stopped the Spark Connect server at ${result.server.address} (pid ${result.server.pid}).\n`);
        } else {
          process.stdout.write('No managed Spark Connect server is running.\n');
        }
      }),
    );

  spark
    .command('status')
    .description('Show the managed Spark Connect servers that run: address, pid, uptime, log')
    .option('--port <port>', 'only the server on this port', parseInteger('--port'))
    .addOption(new Option('--state-dir <dir>').hideHelp())
    .option('--json', 'print the status as JSON')
    .option('--verbose', 'show stacks on errors')
    .action(
      action(async (flags: { stateDir?: string; port?: number; json?: boolean; verbose?: boolean }) => {
        // Without --port, every server that runs (several may run side by side).
        const statuses =
          flags.port !== undefined
            ? [await statusSparkConnect(where(flags))].filter((s) => s.running)
            : await listSparkConnect(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {});
        if (flags.json) {
          const json = flags.port !== undefined ? (statuses[0] ?? { running: false }) : statuses;
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        if (statuses.length === 0) {
          const which = flags.port !== undefined ? ` on port ${flags.port}` : '';
          process.stdout.write(`No managed Spark Connect server is running${which}. Start one with: tsapply spark start\n`);
          return;
        }
        process.stdout.write(statuses.map(formatStatus).join('\n'));
      }),
    );
  return spark;
}

/** The `spark` command group as a CLI command module (listed in `commands.ts`). */
export const sparkCommand: CommandModule = {
  register(program: Command) {
    registerSparkCommand(program);
  },
};
