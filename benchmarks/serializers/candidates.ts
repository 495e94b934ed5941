/**
 * The serializers compared, each with the oracle its round trip is checked against:
 * `exact` — the value itself, types included (typed arrays, Map, Set, Date, bigint);
 * `json` — the JSON projection of the value (`jsonProjection`), for serializers built on
 * JSON, which cannot carry those types (the report says so next to their figures).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';
import { createCompressedSerializer, createZstdSerializer, serializers, validateSerializer, type Serializer } from '@tsapply/common';
import { bundleSerializerModule } from '@tsapply/bundler';
import { evaluateCommonJs } from '@tsapply/worker-runtime';

export interface Candidate {
  /** Short label used in tables and charts. */
  label: string;
  serializer: Serializer;
  /** What the round trip must reproduce (see the module doc). */
  oracle: 'exact' | 'json';
  /** Types lost, for the report. */
  loses: string;
  /** Whether it is one of tsapply's built-ins. */
  builtin: boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..');
export const CUSTOM_SERIALIZER_PATH = join(HERE, 'custom-json-gzip.ts');

/** A custom serializer loaded exactly as `tsapply run --serializer <module>` loads one: bundled, evaluated, validated. */
export async function loadCustomSerializer(path: string): Promise<Serializer> {
  const bundle = await bundleSerializerModule(path, { cwd: REPO_ROOT });
  const exports = evaluateCommonJs(bundle.code, { filename: `tsapply-serializer:${bundle.sha256.slice(0, 16)}.js`, requireFrom: path }) as {
    default?: unknown;
  };
  return validateSerializer(exports?.default ?? exports, `serializer module ${path}`);
}

const json: Serializer = {
  id: 'json',
  serialize: (v) => Buffer.from(JSON.stringify(v), 'utf8'),
  deserialize: (b) => JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')),
};

const v8: Serializer = {
  id: 'v8',
  serialize: (v) => v8Serialize(v),
  deserialize: (b) => v8Deserialize(b),
};

export const JSON_LOSES = 'typed arrays→objects, Map/Set→{}, Date→string, bigint throws';

/** The candidates in report order: built-ins first, then the baselines and the custom module. */
export async function candidates(): Promise<Candidate[]> {
  return [
    { label: 'fast', serializer: serializers.fast, oracle: 'exact', loses: 'nothing', builtin: true },
    { label: 'compressed', serializer: serializers.compressed, oracle: 'exact', loses: 'nothing', builtin: true },
    { label: 'zstd', serializer: createZstdSerializer(), oracle: 'exact', loses: 'nothing', builtin: true },
    { label: 'json', serializer: json, oracle: 'json', loses: JSON_LOSES, builtin: false },
    { label: 'v8', serializer: v8, oracle: 'exact', loses: 'nothing (format tied to the Node/V8 version)', builtin: false },
    { label: 'custom json-gzip', serializer: await loadCustomSerializer(CUSTOM_SERIALIZER_PATH), oracle: 'json', loses: JSON_LOSES, builtin: false },
  ];
}

/**
 * Variants measured in full mode only, to choose defaults: zstd levels, and the
 * pure-JS decoders that executors fall back to (lz4js for `compressed`, fzstd for `zstd`).
 */
export async function variants(): Promise<Candidate[]> {
  const exact = (label: string, serializer: Serializer): Candidate => ({ label, serializer, oracle: 'exact', loses: 'nothing', builtin: true });
  return [
    exact('compressed, lz4js decoder', createCompressedSerializer({ lz4: 'js' })),
    exact('zstd-3 (default)', createZstdSerializer({ level: 3 })),
    exact('zstd-9', createZstdSerializer({ level: 9 })),
    exact('zstd-15', createZstdSerializer({ level: 15 })),
    exact('zstd, fzstd decoder', createZstdSerializer({ decoder: 'js' })),
  ];
}

