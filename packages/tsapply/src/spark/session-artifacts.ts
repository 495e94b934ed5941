/**
 * Ships what executors need, once per session: the Python shim (`pyfiles/`), the Node
 * worker script and the job payload (`files/`). Every name carries a content hash, so
 * re-adding the same name is a no-op on the server and a changed file never collides
 * with an old one.
 *
 * Per session, this module remembers which names were already uploaded and skips them
 * without a round trip; for names it has not seen, the client's `addArtifacts` asks the
 * server first (`ArtifactStatus`) and skips what the server already holds. Uploads are
 * counted per session, so `--json` and tests can show that a payload went up once.
 */
import type { SparkSession } from '@tsapply/spark-connect';
import type { Artifact } from '@tsapply/spark-connect';

interface SessionArtifacts {
  /** Names known to be on the server for this session. */
  present: Set<string>;
  /** Artifacts this process sent to the session (names, in order). */
  uploads: string[];
  /** Uploads no job has reported yet, with their bytes (a probe uploads the shim before its job ships). */
  unreported: Map<string, number>;
  /** Serialises uploads so concurrent jobs do not send the same artifact twice. */
  queue: Promise<unknown>;
}

const sessions = new WeakMap<SparkSession, SessionArtifacts>();

function stateOf(spark: SparkSession): SessionArtifacts {
  let s = sessions.get(spark);
  if (s === undefined) sessions.set(spark, (s = { present: new Set(), uploads: [], unreported: new Map(), queue: Promise.resolve() }));
  return s;
}

/** What one `ensureArtifacts` call did. */
export interface EnsureArtifactsResult {
  /** Names sent to the server by this call. */
  uploaded: string[];
  /** Bytes sent by this call. */
  uploadedBytes: number;
}

/**
 * Makes sure every artifact is on the session's server; sends only the missing ones.
 * `data` may be a thunk so large files are read only when they must be sent.
 */
export function ensureArtifacts(
  spark: SparkSession,
  artifacts: { name: string; data: Uint8Array | (() => Promise<Uint8Array>) }[],
): Promise<EnsureArtifactsResult> {
  const state = stateOf(spark);
  const run = async (): Promise<EnsureArtifactsResult> => {
    const missing = artifacts.filter((a) => !state.present.has(a.name));
    if (missing.length === 0) return { uploaded: [], uploadedBytes: 0 };
    const loaded: Artifact[] = [];
    for (const a of missing) loaded.push({ name: a.name, data: typeof a.data === 'function' ? await a.data() : a.data });
    const result = await spark.addArtifacts(loaded, { skipExisting: true });
    for (const name of [...result.uploaded, ...result.skipped]) state.present.add(name);
    state.uploads.push(...result.uploaded);
    const sent = loaded.filter((a) => result.uploaded.includes(a.name));
    for (const a of sent) state.unreported.set(a.name, a.data.byteLength);
    const uploadedBytes = sent.reduce((n, a) => n + a.data.byteLength, 0);
    return { uploaded: result.uploaded, uploadedBytes };
  };
  const next = state.queue.then(run, run);
  state.queue = next.catch(() => undefined);
  return next;
}

/**
 * The uploads to `spark`'s session that no job has reported yet, which the caller now
 * reports: what a job's `--json` counts, whoever made the upload on its behalf.
 */
export function takeUnreportedUploads(spark: SparkSession): EnsureArtifactsResult {
  const state = stateOf(spark);
  const uploaded = [...state.unreported.keys()];
  const uploadedBytes = [...state.unreported.values()].reduce((n, b) => n + b, 0);
  state.unreported.clear();
  return { uploaded, uploadedBytes };
}

/** Names this process uploaded to `spark`'s session, in order (for tests and reports). */
export function sessionUploads(spark: SparkSession): readonly string[] {
  return stateOf(spark).uploads;
}
