/**
 * Session artifacts (`AddArtifacts`, client-streaming). Names are relative paths whose
 * prefix says what Spark does with them: `pyfiles/` (importable in Python workers),
 * `files/` (fetched by executors into SparkFiles), `jars/`, `archives/`, `cache/<sha256>`
 * (session cache). Small artifacts are batched into one `Batch` request (up to 32 KiB per
 * request, Spark's own chunk size); a larger one is a `BeginChunkedArtifact` followed by
 * `ArtifactChunk`s. Every chunk carries its CRC-32; the server verifies it.
 */
import { createHash } from 'node:crypto';
import { InvalidOptionError, readOptions, TsapplyError } from '@tsapply/common';
import { crc32 } from './crc32.js';
import type { SparkConnectClient } from './spark-connect-client.js';

/** Bytes per chunk (Spark's clients use 32 KiB). */
export const ARTIFACT_CHUNK_BYTES = 32 * 1024;

export const ARTIFACT_PREFIXES = ['pyfiles/', 'files/', 'jars/', 'archives/', 'cache/'] as const;

export interface Artifact {
  /** Relative path with a known prefix, e.g. `files/payload-<sha256>.bin`. */
  name: string;
  data: Uint8Array;
}

export interface AddArtifactsOptions {
  /** Ask the server first (`ArtifactStatus`) and skip artifacts it already has. @default true */
  skipExisting?: boolean;
}

export interface AddArtifactsResult {
  /** Names sent to the server. */
  uploaded: string[];
  /** Names the server already had. */
  skipped: string[];
}

/** `cache/<sha256 hex>` for `data`: content-addressed, so re-adding is a no-op. */
export function cacheArtifactName(data: Uint8Array): string {
  return `cache/${createHash('sha256').update(data).digest('hex')}`;
}

function validateName(name: string): void {
  if (!ARTIFACT_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length)) {
    throw new InvalidOptionError(`Artifact name "${name}" must start with one of ${ARTIFACT_PREFIXES.join(', ')} followed by a file name.`, { option: 'name' });
  }
  if (name.split('/').some((part) => part === '..' || part === '')) {
    throw new InvalidOptionError(`Artifact name "${name}" must be a relative path without empty or ".." segments.`, { option: 'name' });
  }
}

type ArtifactRequest = Parameters<SparkConnectClient['addArtifacts']>[0] extends Iterable<infer T> ? T : never;

/** The request sequence for `artifacts` (exported for tests). */
export function* artifactRequests(artifacts: Artifact[]): Generator<ArtifactRequest> {
  let batch: { name: string; data: { data: Uint8Array; crc: bigint } }[] = [];
  let batchBytes = 0;
  for (const a of artifacts) {
    if (a.data.length > ARTIFACT_CHUNK_BYTES) {
      if (batch.length) {
        yield { payload: { case: 'batch', value: { artifacts: batch } } };
        batch = [];
        batchBytes = 0;
      }
      const numChunks = Math.ceil(a.data.length / ARTIFACT_CHUNK_BYTES);
      for (let i = 0; i < numChunks; i++) {
        const data = a.data.subarray(i * ARTIFACT_CHUNK_BYTES, (i + 1) * ARTIFACT_CHUNK_BYTES);
        const chunk = { data, crc: BigInt(crc32(data)) };
        yield i === 0
          ? { payload: { case: 'beginChunk', value: { name: a.name, totalBytes: BigInt(a.data.length), numChunks: BigInt(numChunks), initialChunk: chunk } } }
          : { payload: { case: 'chunk', value: chunk } };
      }
      continue;
    }
    if (batchBytes + a.data.length > ARTIFACT_CHUNK_BYTES && batch.length) {
      yield { payload: { case: 'batch', value: { artifacts: batch } } };
      batch = [];
      batchBytes = 0;
    }
    batch.push({ name: a.name, data: { data: a.data, crc: BigInt(crc32(a.data)) } });
    batchBytes += a.data.length;
  }
  if (batch.length) yield { payload: { case: 'batch', value: { artifacts: batch } } };
}

/** Uploads `artifacts` to the session; fails if the server rejects a CRC. */
export async function addArtifacts(client: SparkConnectClient, artifacts: Artifact[], options: AddArtifactsOptions = {}): Promise<AddArtifactsResult> {
  const skipExisting = readOptions('addArtifacts()', options, ['skipExisting']).boolean('skipExisting') ?? true;
  for (const a of artifacts) validateName(a.name);
  let todo = artifacts;
  const skipped: string[] = [];
  if (skipExisting) {
    const st = await client.artifactStatus(artifacts.map((a) => a.name));
    todo = artifacts.filter((a) => {
      const exists = st.statuses[a.name]?.exists === true;
      if (exists) skipped.push(a.name);
      return !exists;
    });
  }
  if (todo.length === 0) return { uploaded: [], skipped };
  await sendArtifacts(client, todo);
  return { uploaded: todo.map((a) => a.name), skipped };
}

/**
 * Sends `artifacts` as they are (no name check, no status check) and fails if the server
 * rejects a CRC. `addArtifacts` and `copyFromLocalToFs` (whose `forward_to_fs/…` names are
 * not session artifacts) both upload through it.
 */
export async function sendArtifacts(client: SparkConnectClient, artifacts: Artifact[]): Promise<void> {
  const r = await client.addArtifacts(artifactRequests(artifacts));
  const bad = r.artifacts.filter((s) => !s.isCrcSuccessful).map((s) => s.name);
  if (bad.length) {
    throw new TsapplyError(`The server rejected the CRC of artifact(s) ${bad.join(', ')}; the upload was corrupted in transit. Retry the upload.`, {
      code: 'SPARK_ARTIFACT_CRC',
    });
  }
}
