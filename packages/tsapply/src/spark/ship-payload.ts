/**
 * From a built payload to the pieces of a Spark plan: uploads the shim, the worker
 * script and the payload (each at most once per session), finds the executors'
 * Python version, and assembles the shim's spec. The spec names the artifacts by
 * SparkFiles name and sha256 only, so the plan stays small however large the payload.
 */
import { readFile } from 'node:fs/promises';
import { parseDDL } from '@tsapply/common';
import type { SparkSession } from '@tsapply/spark-connect';
import type { PreparedPayload } from '../job/prepare-payload.js';
import { shimModule, sparkSchemaJson, type ShimCommandSpec } from './pickle-command.js';
import { executorPythonVersion } from './python-version.js';
import { ensureArtifacts } from './session-artifacts.js';
import type { UdfPlanOptions } from './udf-plan.js';
import { buildWorkerBundle } from './worker-bundle.js';

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
}

export interface ShippedPayload {
  plan: UdfPlanOptions;
  /** Artifact names this call uploaded (empty when the session already had them all). */
  uploaded: string[];
  /** Bytes this call uploaded. */
  uploadedBytes: number;
}

export async function shipPayload(spark: SparkSession, payload: PreparedPayload, options: ShipOptions): Promise<ShippedPayload> {
  const shim = shimModule();
  const worker = await buildWorkerBundle();
  const payloadName = payloadFileName(payload.hash);
  // The probe is a Spark job (about 1 s, mostly the session's first Python worker, which
  // the real job then reuses) and the uploads are plain transfers: run them side by side.
  const probe = options.pythonVer instanceof Promise ? options.pythonVer : executorPythonVersion(spark, options.pythonVer);
  const [{ uploaded, uploadedBytes }, pythonVer] = await Promise.all([
    ensureArtifacts(spark, [
      { name: `pyfiles/${shim.fileName}`, data: Buffer.from(shim.source, 'utf8') },
      { name: `files/${worker.fileName}`, data: worker.bytes },
      { name: `files/${payloadName}`, data: () => readFile(payload.path) },
    ]),
    probe,
  ]);
  const spec: ShimCommandSpec = {
    mode: options.mode,
    payload: { file: payloadName, sha256: payload.hash },
    worker: { file: worker.fileName, sha256: worker.sha256 },
    schemaDDL: options.schemaDDL,
    schemaJson: sparkSchemaJson(parseDDL(options.schemaDDL)),
    groupColumns: options.groupColumns ?? [],
  };
  return { plan: { spec, shimModuleName: shim.moduleName, pythonVer, functionName: options.functionName }, uploaded, uploadedBytes };
}
