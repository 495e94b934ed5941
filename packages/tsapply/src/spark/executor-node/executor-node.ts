/**
 * Which `node` the executors run, decided once per job on the driver:
 * - `'auto'` (default): the executors' own node >= 20 when the probe finds one; else tsapply
 *   ships a runtime for their platform (the shim still prefers a local node on each host).
 * - `'ship'`: always ship (the same Node everywhere, whatever the hosts have).
 * - `'local'`: never ship; the executors must have node (the behaviour before shipping).
 * - an absolute path: that binary, which must exist on every executor.
 * `$TSAPPLY_EXECUTOR_NODE` sets the default; `executorNodeVersion` (`$TSAPPLY_EXECUTOR_NODE_VERSION`)
 * picks the shipped Node's version from the registry instead of the driver's own binary.
 */
import { isAbsolute } from 'node:path';
import { InvalidOptionError } from '@tsapply/common';
import type { SparkSession } from '@tsapply/spark-connect';
import { nodePlatformOf, probeExecutorPlatform } from './executor-platform.js';
import { NODE_IN_ARCHIVE, nodeRuntimeFor, type NodeRuntime } from './node-runtime-cache.js';

export const EXECUTOR_NODE_ENV = 'TSAPPLY_EXECUTOR_NODE';
export const EXECUTOR_NODE_VERSION_ENV = 'TSAPPLY_EXECUTOR_NODE_VERSION';

export type ExecutorNodeChoice = 'auto' | 'ship' | 'local' | (string & {});

const WORDS = ['auto', 'ship', 'local'];

/** Checks an `executorNode` value (`auto`, `ship`, `local` or an absolute path on the executors). */
export function checkExecutorNode(value: unknown, where: string): ExecutorNodeChoice {
  if (typeof value === 'string' && (WORDS.includes(value) || (isAbsolute(value) && !value.endsWith('/')))) return value;
  const got = typeof value === 'string' ? `"${value}"` : String(value);
  throw new InvalidOptionError(
    `${where} must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got ${got}.` +
      (typeof value === 'string' && value !== '' && !isAbsolute(value) ? ' A relative path would be resolved in each executor\'s working folder; give an absolute one.' : ''),
    { option: where },
  );
}

/** Checks an `executorNodeVersion` value: a Node major, major.minor or exact version >= 20. */
export function checkExecutorNodeVersion(value: unknown, where: string): string {
  const m = typeof value === 'string' ? /^v?(\d+)(\.\d+){0,2}$/.exec(value) : null;
  if (m === null || Number(m[1]) < 20) {
    throw new InvalidOptionError(`${where} must be a Node.js version 20 or newer, as a major (24), major.minor (24.19) or exact version (24.19.0); got ${JSON.stringify(value)}.`, {
      option: where,
    });
  }
  return (value as string).replace(/^v/, '');
}

/** `--json`'s account of the executors' Node. */
export interface ExecutorNodeReport {
  choice: ExecutorNodeChoice;
  /** Whether a runtime was shipped with this job (uploaded now or earlier in the session). */
  shipped: boolean;
  /** The executors' own node the probe found (`auto` without shipping). */
  executorNode?: string;
  /** The shipped runtime: `v24.19.0`, `linux-x64-glibc`, where it came from, its archive's size. */
  version?: string;
  platform?: string;
  source?: NodeRuntime['source'];
  archiveBytes?: number;
}

/** What the spec and the uploads need. */
export interface ExecutorNodePlan {
  nodeOptions: { node: string | null; policy: 'auto' | 'ship' | 'local'; shipped: { archive: string; path: string; sha256: string } | null };
  /** The archive to upload (`archives/<name>`), when shipping. */
  artifact?: { name: string; path: string };
  report: ExecutorNodeReport;
}

export interface PlanExecutorNodeOptions {
  choice?: ExecutorNodeChoice;
  version?: string;
  shimModuleName: string;
  pythonVer: string;
  note: (line: string) => void;
}

/** The choice in effect: the option, else `$TSAPPLY_EXECUTOR_NODE`, else `auto`. */
export function executorNodeChoice(option: ExecutorNodeChoice | undefined): ExecutorNodeChoice {
  if (option !== undefined) return option;
  const env = process.env[EXECUTOR_NODE_ENV];
  return env && env.trim() !== '' ? checkExecutorNode(env.trim(), EXECUTOR_NODE_ENV) : 'auto';
}

export async function planExecutorNode(spark: SparkSession, o: PlanExecutorNodeOptions): Promise<ExecutorNodePlan> {
  const choice = executorNodeChoice(o.choice);
  const envVersion = process.env[EXECUTOR_NODE_VERSION_ENV];
  const version = o.version ?? (envVersion && envVersion.trim() !== '' ? checkExecutorNodeVersion(envVersion.trim(), EXECUTOR_NODE_VERSION_ENV) : undefined);
  if (choice === 'local') return { nodeOptions: { node: null, policy: 'local', shipped: null }, report: { choice, shipped: false } };
  if (choice !== 'auto' && choice !== 'ship') return { nodeOptions: { node: choice, policy: 'auto', shipped: null }, report: { choice, shipped: false, executorNode: choice } };
  const executors = await probeExecutorPlatform(spark, o.shimModuleName, o.pythonVer);
  if (choice === 'auto' && executors.node !== null && version === undefined) {
    return { nodeOptions: { node: null, policy: 'auto', shipped: null }, report: { choice, shipped: false, executorNode: executors.node } };
  }
  const runtime = await nodeRuntimeFor({ host: nodePlatformOf(executors), ...(version !== undefined ? { version } : {}), note: o.note });
  return {
    // A version asked for is a version to run: ship it as 'ship' does.
    nodeOptions: { node: null, policy: choice === 'ship' || version !== undefined ? 'ship' : 'auto', shipped: { archive: runtime.archiveName, path: NODE_IN_ARCHIVE, sha256: runtime.nodeSha256 } },
    artifact: { name: `archives/${runtime.archiveName}`, path: runtime.archivePath },
    report: { choice, shipped: true, version: runtime.version, platform: runtime.platform, source: runtime.source, archiveBytes: runtime.archiveBytes },
  };
}
