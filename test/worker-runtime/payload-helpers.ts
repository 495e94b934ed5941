// Shared helpers for test/worker-runtime: real payloads built with @tsapply/bundler and
// @tsapply/common's framing, plus small Arrow helpers. Not a test file itself.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleJob, bundleModuleFunction } from '@tsapply/bundler';
import type { JobBundle } from '@tsapply/bundler';
import {
  encodePayload,
  parseDDL,
  payloadHash,
  recordBatchToRows,
  rowsToRecordBatch,
  serializers,
} from '@tsapply/common';
import type { PayloadMeta, Serializer } from '@tsapply/common';
import type { RecordBatch } from 'apache-arrow';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'worker-runtime');

const bundles = new Map<string, Promise<JobBundle>>();

/** Bundles a fixture once per test process (bundling is the slow part). */
export function fixtureBundle(name: string, exportName?: string): Promise<JobBundle> {
  const key = `${name}#${exportName ?? 'default'}`;
  let b = bundles.get(key);
  if (b === undefined) {
    const entry = join(FIXTURES, name);
    b = exportName === undefined ? bundleJob(entry) : bundleModuleFunction(entry, exportName);
    bundles.set(key, b);
  }
  return b;
}

export interface Payload {
  bytes: Uint8Array;
  hash: string;
}

export interface PayloadSpec {
  context?: unknown;
  /** Output DDL; null = inference mode. @default 'x double' */
  schema?: string | null;
  kind?: 'job' | 'function';
  exportName?: string;
  initExportName?: string;
  batchSize?: number | null;
  serializer?: Serializer;
}

/** A payload around hand-written CommonJS code (for shapes the bundler would refuse). */
export function handPayload(code: string, sourceFile: string, spec: PayloadSpec = {}, sourceMap = ''): Payload {
  const meta: PayloadMeta = {
    kind: spec.kind ?? 'job',
    exportName: spec.exportName ?? 'default',
    schema: spec.schema === undefined ? 'x double' : spec.schema,
    groupBy: null,
    batchSize: spec.batchSize ?? null,
    sourceFile,
    tsapplyVersion: '0.1.0',
    ...(spec.initExportName !== undefined ? { initExportName: spec.initExportName } : {}),
  };
  const bytes = encodePayload({ meta, bundle: code, sourceMap, context: spec.context ?? null }, spec.serializer ?? serializers.fast);
  return { bytes, hash: payloadHash(bytes) };
}

/** A payload of a bundled fixture job (or a named function of a fixture module). */
export async function fixturePayload(name: string, spec: PayloadSpec = {}): Promise<Payload> {
  const b = await fixtureBundle(name, spec.kind === 'function' ? spec.exportName : undefined);
  return handPayload(b.code, b.entry, spec, b.sourceMap);
}

/** A record batch with one `x double` column. */
export function xBatch(xs: number[]): RecordBatch {
  return rowsToRecordBatch(xs.map((x) => ({ x })), parseDDL('x double'));
}

/** Drains `applyBatch` into plain rows. */
export async function collectRows(batches: AsyncIterable<RecordBatch>): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const b of batches) rows.push(...recordBatchToRows(b));
  return rows;
}

/** Awaits `p` and returns what it rejected with (fails when it resolves). */
export async function rejection(p: Promise<unknown> | (() => unknown)): Promise<any> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but it resolved');
}
