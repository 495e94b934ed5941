/**
 * `tsapply spark start|stop|status`: the managed local Spark Connect server
 * (`@tsapply/spark-local`) from the command line.
 *
 *   tsapply spark start [--master local[2]] [--port 15002] [--spark-version 4.1.1]
 *                       [--cluster [--executors 2]] [--conf k=v …] [--token T]
 *   tsapply spark status [--json]
 *   tsapply spark stop
 *
 * The server keeps running after `start` returns; its pid, address and log path are
 * kept in `<cacheDir>/spark/run/server.json` (override with --state-dir), which is how
 * `stop` and `status` find it again.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_PORT,
  DEFAULT_SPARK_VERSION,
  startSparkConnect,
  statusSparkConnect,
  stopSparkConnect,
  type StartSparkConnectOptions,
} from '@tsapply/spark-local';
import type { CommandModule } from './command-module.js';
import { reportError } from './report-error.js';

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
        if (flags.cluster) options.mode = 'cluster';
        if (flags.executors !== undefined) options.executors = flags.executors;
        if (flags.conf !== undefined) options.conf = flags.conf;
        if (flags.token !== undefined) options.token = flags.token;
        if (flags.timeout !== undefined) options.timeoutMs = flags.timeout * 1000;
        if (flags.stateDir !== undefined) options.stateDir = flags.stateDir;
        const server = await startSparkConnect(options);
        if (flags.json) {
          const { stop: _stop, ...info } = server;
          process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `Spark Connect ${server.version} is running at ${server.address} (pid ${server.pid}, master ${server.master})\n` +
            `Log: ${server.log}\n` +
            `Use it with: export SPARK_REMOTE=${server.address}    Stop it with: tsapply spark stop\n`,
        );
      }),
    );

  spark
    .command('stop')
    .description('Stop the managed Spark Connect server (only that server and its executors)')
    .addOption(new Option('--state-dir <dir>').hideHelp())
    .option('--verbose', 'show stacks on errors')
    .action(
      action(async (flags: { stateDir?: string; verbose?: boolean }) => {
        const result = await stopSparkConnect(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {});
        if (result.stopped && result.server) {
          process.stdout.write(`Stopped the Spark Connect server at ${result.server.address} (pid ${result.server.pid}).\n`);
        } else {
          process.stdout.write('No managed Spark Connect server is running.\n');
        }
      }),
    );

  spark
    .command('status')
    .description('Show whether the managed Spark Connect server runs: address, pid, uptime, log')
    .addOption(new Option('--state-dir <dir>').hideHelp())
    .option('--json', 'print the status as JSON')
    .option('--verbose', 'show stacks on errors')
    .action(
      action(async (flags: { stateDir?: string; json?: boolean; verbose?: boolean }) => {
        const status = await statusSparkConnect(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {});
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          return;
        }
        if (!status.running) {
          process.stdout.write('No managed Spark Connect server is running. Start one with: tsapply spark start\n');
          return;
        }
        process.stdout.write(
          [
            `Running:  yes${status.answering ? '' : ' (process alive, but the gRPC port does not answer yet)'}`,
            `Address:  ${status.address}`,
            `Pid:      ${status.pid}`,
            `Uptime:   ${formatUptime(status.uptimeMs)}`,
            `Master:   ${status.master}`,
            `Version:  ${status.version}`,
            `Log:      ${status.log}`,
          ].join('\n') + '\n',
        );
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
