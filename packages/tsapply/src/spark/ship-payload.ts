/**
 * From a built payload to the pieces of a Spark plan: uploads the shim, the worker
 * script and the payload (each at most once per session), finds the executors'
 * Python version, decides which node they run (shipping a runtime when they have
 * none, once per session), and assembles the shim's spec. The spec names the artifacts by
 * SparkFiles name and sha256 only, so the plan stays small however large the payload.
 */
import { readFile } from 'node:fs/promises';
import { parseDDL } from '@tsapply/common';
import type { SparkSession } from '@tsapply/spark-connect';
import type { PreparedPayload } from '../job/prepare-payload.js';
import { shimModule, sparkSchemaJson, type ShimCommandSpec } from './pickle-command.js';
import { executorPythonVersion } from './python-version.js';
import { ensureArtifacts, takeUnreportedUploads } from './session-artifacts.js';
import { checkServerVersion } from './server-version.js';
import type { UdfPlanOptions } from './udf-plan.js';
import { buildWorkerBundle } from './worker-bundle.js';
import { planExecutorNode, type ExecutorNodeChoice, type ExecutorNodeReport } from './executor-node/executor-node.js';

/** SparkFiles name of a payload: content-addressed, so re-adding it is a no-op. */
export function payloadFileName(hash: string): string {
  return `tsapply-payload-${hash}.tsap`;
}

export interface ShipOptions {
  mode: 'map' | 'grouped';
  /** Output schema as Spark DDL. */
  schemaDDL: string;
  groupColumns?: string[];
  /**
   * Pins the executors' Python `major.minor` (else $TSAPPLY_PYTHON_VER, else probed), or
   * a probe the caller started earlier with `executorPythonVersion`.
   */
  pythonVer?: string | Promise<string>;
  functionName: string;
  /** Which node the executors run: 'auto', 'ship', 'local' or a path there. @default $TSAPPLY_EXECUTOR_NODE, else 'auto' */
  executorNode?: ExecutorNodeChoice;
  /** The Node version to ship from the registry. @default the driver's binary when it fits, else its major */
  executorNodeVersion?: string;
  /** Longest one call of the function may run on an executor (ms). @default no limit */
  taskTimeoutMs?: number;
  /** JavaScript heap of each executor's Node worker, in MB. @default Node's default */
  workerMemoryMb?: number;
  /** How long an executor's Node worker may sit idle before it is closed (ms). @default 300000 (the shim's) */
  workerIdleTimeoutMs?: number;
  /** Notes for the user (packing or downloading a Node runtime). @default stderr */
  note?: (line: string) => void;
}

export interface ShippedPayload {
  plan: UdfPlanOptions;
  /** Artifact names this call uploaded (empty when the session already had them all). */
  uploaded: string[];
  /** Bytes this call uploaded. */
  uploadedBytes: number;
  /** The executors' Node: found there, or shipped (and how large, how long the upload took). */
  executorNode: ExecutorNodeReport & { uploadedBytes: number; uploadMs: number };
}

export async function shipPayload(spark: SparkSession, payload: PreparedPayload, options: ShipOptions): Promise<ShippedPayload> {
  await checkServerVersion(spark);
  const shim = shimModule();
  const worker = await buildWorkerBundle();
  const payloadName = payloadFileName(payload.hash);
  // The probe is a Spark job (about 1 s, mostly the session's first Python worker, which
  // the real job then reuses) and the uploads are plain transfers: run them side by side.
  const probe = options.pythonVer instanceof Promise ? options.pythonVer : executorPythonVersion(spark, options.pythonVer);
  const [, pythonVer] = await Promise.all([
    ensureArtifacts(spark, [
      { name: `pyfiles/${shim.fileName}`, data: Buffer.from(shim.source, 'utf8') },
      { name: `files/${worker.fileName}`, data: worker.bytes },
      { name: `files/${payloadName}`, data: () => readFile(payload.path) },
    ]),
    probe,
  ]);
  // Needs the shim on the session (the platform probe runs its code) and the Python version.
  const node = await planExecutorNode(spark, {
    ...(options.executorNode !== undefined ? { choice: options.executorNode } : {}),
    ...(options.executorNodeVersion !== undefined ? { version: options.executorNodeVersion } : {}),
    shimModuleName: shim.moduleName,
    pythonVer,
    note: options.note ?? ((line) => process.stderr.write(`${line}\n`)),
  });
  const uploadStarted = Date.now();
  const runtimeUpload = node.artifact
    ? await ensureArtifacts(spark, [{ name: node.artifact.name, data: () => readFile(node.artifact!.path) }])
    : { uploaded: [], uploadedBytes: 0 };
  const uploadMs = runtimeUpload.uploaded.length > 0 ? Date.now() - uploadStarted : 0;
  const spec: ShimCommandSpec = {
    mode: options.mode,
    payload: { file: payloadName, sha256: payload.hash },
    worker: { file: worker.fileName, sha256: worker.sha256 },
    schemaDDL: options.schemaDDL,
    schemaJson: sparkSchemaJson(parseDDL(options.schemaDDL)),
    groupColumns: options.groupColumns ?? [],
    nodeOptions: { ...node.nodeOptions, args: options.workerMemoryMb !== undefined ? [`--max-old-space-size=${options.workerMemoryMb}`] : [] },
    ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
    ...(options.workerIdleTimeoutMs !== undefined ? { workerIdleTimeoutMs: options.workerIdleTimeoutMs } : {}),
  };
  // Counted per job, including the shim the Python probe uploaded on this job's behalf.
  const { uploaded, uploadedBytes } = takeUnreportedUploads(spark);
  return {
    plan: { spec, shimModuleName: shim.moduleName, pythonVer, functionName: options.functionName },
    uploaded,
    uploadedBytes,
    executorNode: { ...node.report, uploadedBytes: runtimeUpload.uploadedBytes, uploadMs },
  };
}
