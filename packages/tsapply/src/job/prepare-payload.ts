/**
 * Builds the job's payload on the driver: resolves the serializer (a built-in id, or a
 * module that is bundled, evaluated and validated here so a bad one fails before any
 * work), refuses an unshippable context naming the offending path, frames everything
 * with `encodePayload`, and stores it content-addressed at
 * `cacheDir()/payloads/<sha256>.tsap` (temp file + rename, so a reader never sees a
 * half-written payload).
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bundleSerializerModule, type JobBundle } from '@tsapply/bundler';
import {
  BUILTIN_SERIALIZER_IDS,
  cacheDir,
  describeUnserializable,
  encodePayload,
  payloadHash,
  resolveSerializer,
  SerializerError,
  validateSerializer,
  writePrivateFile,
  type JobDefinition,
  type PayloadMeta,
  type Serializer,
} from '@tsapply/common';
import { evaluateCommonJs } from '@tsapply/worker-runtime';
import { UnserializableContextError } from '../errors.js';
import { TSAPPLY_VERSION } from '../version.js';

export interface PreparedPayload {
  path: string;
  hash: string;
  bytes: number;
  serializer: string;
}

const BUILT_IN: readonly string[] = BUILTIN_SERIALIZER_IDS;

function looksLikePath(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/') || /\.[cm]?[jt]s$/.test(s);
}

async function loadSerializer(spec: string, cwd: string): Promise<{ serializer: Serializer; code?: string }> {
  if (BUILT_IN.includes(spec)) return { serializer: resolveSerializer(spec) };
  if (!looksLikePath(spec)) {
    throw new SerializerError(
      `Unknown serializer "${spec}". Use ${BUILT_IN.map((id) => `'${id}'`).join(', ')}, or a path to a module whose default export is { id, serialize, deserialize } (e.g. ./my-serializer.ts).`,
      { serializerId: spec },
    );
  }
  const path = resolve(cwd, spec);
  try {
    await stat(path);
  } catch {
    throw new SerializerError(`Serializer module "${spec}" not found (resolved to ${path}).`, { serializerId: spec });
  }
  const bundle = await bundleSerializerModule(path, { cwd });
  const exports = evaluateCommonJs(bundle.code, { filename: `tsapply-serializer:${bundle.sha256.slice(0, 16)}.js`, requireFrom: path }) as {
    default?: unknown;
  };
  const serializer = validateSerializer(exports?.default ?? exports, `serializer module ${spec}`);
  if (BUILT_IN.includes(serializer.id)) {
    throw new SerializerError(`The custom serializer in ${spec} uses the reserved id "${serializer.id}"; choose another id.`, { serializerId: serializer.id });
  }
  return { serializer, code: bundle.code };
}

/** Refuses a context no serializer can ship, naming the offending path (`context.model.predict`). */
export function checkContext(context: unknown): void {
  const bad = describeUnserializable(context);
  if (bad) {
    throw new UnserializableContextError(
      `Cannot ship the job's context: ${bad.path} (${bad.kind}) cannot be serialized. ${bad.reason}`,
      { path: bad.path },
    );
  }
}

export async function preparePayload(
  bundle: JobBundle,
  job: JobDefinition,
  opts: { serializer: string; cwd: string; schema: string | null },
): Promise<PreparedPayload> {
  checkContext(job.context);
  const { serializer, code } = await loadSerializer(opts.serializer, opts.cwd);
  const meta: PayloadMeta = {
    kind: 'job',
    exportName: 'default',
    schema: opts.schema,
    groupBy: job.groupBy ? [...job.groupBy] : null,
    batchSize: job.batchSize ?? null,
    sourceFile: bundle.entry,
    tsapplyVersion: TSAPPLY_VERSION,
  };
  const bytes = encodePayload(
    { meta, bundle: bundle.code, sourceMap: bundle.sourceMap, ...(code !== undefined ? { serializerCode: code } : {}), context: job.context ?? null },
    serializer,
  );
  return storePayload(bytes, serializer.id);
}

/**
 * Keeps payload bytes in the cache under their content address and describes them (also
 * for a payload read back from a saved TypeScript ML stage).
 */
export async function storePayload(bytes: Uint8Array, serializerId: string): Promise<PreparedPayload> {
  const hash = payloadHash(bytes);
  const path = join(cacheDir(), 'payloads', `${hash}.tsap`);
  // A cached file is reused only when it holds exactly these bytes: one changed on disk
  // (by accident or not) is replaced, never uploaded.
  const existing = await readFile(path).catch(() => undefined);
  if (existing === undefined || !existing.equals(bytes)) writePrivateFile(path, bytes);
  return { path, hash, bytes: bytes.length, serializer: serializerId };
}
