/**
 * The payload frame: everything a worker needs to run one job, in one content-addressed
 * byte string (its sha256 is the payload's id).
 *
 * ```
 * offset  size  field
 * 0       8     magic "TSAPPLY\0"
 * 8       2     format version, u16 LE (currently 1)
 * 10      2     serializer id length L, u16 LE
 * 12      L     serializer id, UTF-8 ("fast", "compressed" or a custom id)
 * 12+L    20    section lengths, 5 × u32 LE: meta, bundle, sourceMap, serializerCode, context
 * 32+L    32    SHA-256 over every byte before this field and the whole body
 * 64+L    …     body: the five sections back to back
 * ```
 * meta is JSON (UTF-8); bundle, sourceMap and serializerCode are UTF-8 text (serializerCode
 * is empty when the job uses a built-in serializer); context is the serializer's bytes.
 */

export const PAYLOAD_MAGIC = new Uint8Array([0x54, 0x53, 0x41, 0x50, 0x50, 0x4c, 0x59, 0x00]); // "TSAPPLY\0"
export const PAYLOAD_FORMAT_VERSION = 1;
export const SECTION_NAMES = ['meta', 'bundle', 'sourceMap', 'serializerCode', 'context'] as const;
/** Bytes of the fixed header fields, excluding the variable-length serializer id. */
export const FIXED_HEADER_BYTES = 8 + 2 + 2 + SECTION_NAMES.length * 4;
export const CHECKSUM_BYTES = 32;

/** Job metadata carried in a payload (JSON). Extra keys are allowed and kept. */
export interface PayloadMeta {
  /** `job`: a defineJob() default export; `function`: a bare apply function (spark_apply style). */
  kind: 'job' | 'function';
  /** Name of the export that holds the job or function (`default` for `export default`). */
  exportName: string;
  /** Output schema as Spark DDL, or null when it is inferred at run time. */
  schema: string | null;
  groupBy?: readonly string[] | null;
  batchSize?: number | null;
  /** The job's source file, relative to the working directory, for messages. */
  sourceFile: string;
  tsapplyVersion: string;
  [key: string]: unknown;
}

export interface PayloadParts {
  meta: PayloadMeta;
  /** Bundled job code (JavaScript, UTF-8). */
  bundle: string;
  /** Source map of the bundle (JSON text). */
  sourceMap: string;
  /** Bundled code of a custom serializer module, so workers can decode the context. */
  serializerCode?: string;
  /** The job's context value, encoded with the payload's serializer. */
  context: unknown;
}

export interface DecodedPayload {
  /** sha256 hex of the whole frame: the payload's content address. */
  hash: string;
  formatVersion: number;
  serializerId: string;
  meta: PayloadMeta;
  bundle: string;
  sourceMap: string;
  serializerCode: string | undefined;
  context: unknown;
}
