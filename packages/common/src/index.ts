/**
 * `@tsapply/common`: the core every tsapply package codes against.
 *
 * - the job contract (`defineJob`, `JobDefinition`, `Batch`, …),
 * - Spark DDL ⇄ Arrow schemas (`parseDDL`, `toDDL`, `inferSchema`),
 * - the one parser of dates and times written as text (`parseDate`, `parseTimestamp`),
 * - rows ⇄ Arrow record batches (`rowsToRecordBatch`, `createBatch`), and the one check of what
 *   `apply()` returns (`classifyResult`, used by `applyResultToBatches` and `applyResultToRows`),
 * - context serializers (`serializers.fast`, `serializers.compressed`),
 * - payload framing (`encodePayload`, `decodePayload`, `payloadHash`),
 * - error classes with one constructor shape and a cross-copy check (`isTsapplyError`, `X.is(e)`).
 *
 * @example
 * ```ts
 * import { parseDDL, rowsToRecordBatch, recordBatchToRows } from '@tsapply/common';
 * const schema = parseDDL('name string, n bigint');
 * const batch = rowsToRecordBatch([{ name: 'a', n: 1n }], schema);
 * recordBatchToRows(batch); // [{ name: 'a', n: 1n }]
 * ```
 */
// The job-side API (defineJob, the job types, `image`), listed once in job-api.ts.
export * from './job-api.js';

export {
  TsapplyError,
  isTsapplyError,
  describeCallPlace,
  InvalidOptionError,
  SchemaMismatchError,
  ResultShapeError,
  JobDefinitionError,
  SchemaInferenceError,
  DDLParseError,
  SerializerError,
  PayloadError,
  UserCodeError,
  TaskTimeoutError,
  WorkerOutOfMemoryError,
  serializeError,
  deserializeError,
  registerErrorClass,
  registeredErrorClass,
} from './errors.js';
export type { SourceLocation, UserCodeErrorFields, SerializedError, TsapplyErrorOptions, TsapplyErrorFields, TsapplyErrorClass } from './errors.js';

export { parseDDL, parseDDLType } from './schema/ddl-parser.js';
export { toDDL, typeToDDL, quoteDDLName } from './schema/ddl-format.js';
export { inferSchema } from './schema/infer-schema.js';

export { rowsToRecordBatch, columnsToRecordBatch, assembleRecordBatch } from './arrow/rows-to-batch.js';
export { groupKeyPart, sameGroupKeyValue, describeGroupKey } from './group-key.js';
export { takeRows, concatRanges, byteWidth, RowLocator, type RowLocations, type BatchRange } from './arrow/take-rows.js';
export { recordBatchToRows } from './arrow/batch-to-rows.js';
export { vectorToJS } from './arrow/data-to-js.js';
export { isArrowRecordBatch, isArrowTable } from './arrow/adopt-arrow.js';
export { withSparkTypes } from './arrow/spark-types.js';
export { describeValue } from './arrow/describe-value.js';
export { createBatch } from './arrow/create-batch.js';
export { applyResultToBatches, applyResultToRows, resultToBatches } from './arrow/apply-result.js';
export type { ApplyResultOptions } from './arrow/apply-result.js';
export { classifyResult, lazyRowsKind, checkRow } from './arrow/classify-result.js';
export type { ClassifiedResult, ColumnValues } from './arrow/classify-result.js';

export type { Serializer } from './serializers/serializer.js';
export { serializers, resolveSerializer, validateSerializer, BUILTIN_SERIALIZER_IDS } from './serializers/index.js';
export { createCompressedSerializer } from './serializers/compressed.js';
export { registerArrowIpcCodecs } from './arrow-ipc-codecs.js';
export { createZstdSerializer, ZSTD_DEFAULT_LEVEL } from './serializers/zstd.js';
export type { ZstdSerializerOptions } from './serializers/zstd.js';
export type { CompressedSerializerOptions } from './serializers/compressed.js';

export { encodePayload, payloadHash } from './payload/encode.js';
export { decodePayload, defaultLoadSerializer } from './payload/decode.js';
export type { DecodePayloadOptions } from './payload/decode.js';
export { PAYLOAD_FORMAT_VERSION } from './payload/payload-format.js';
export type { PayloadMeta, PayloadParts, DecodedPayload } from './payload/payload-format.js';

export { findUnserializable, describeUnserializable } from './context/find-unserializable.js';
export type { UnserializableValue } from './context/find-unserializable.js';

export { formatTable, formatCell, javaFloatString } from './format-table.js';
export { closestName, didYouMean } from './did-you-mean.js';
export { fileNamedLike } from './nearby-file.js';
export type { FormatTableOptions } from './format-table.js';

export { cacheDir, ensurePrivateDir, writePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './cache-dir.js';

export { parseDate, parseTimestamp, parseTimestampMillis, epochDay, isLeapYear, daysInMonth } from './date-time.js';

export { readOptions, OptionReader } from './options/read-options.js';
export { OUTPUT_FORMATS, JOB_FIELDS, USER_APPLY_KEY } from './job-definition.js';
export { shownValue } from './options/shown-value.js';
export { parseMemorySize } from './options/memory-size.js';

export { ImageError, IMAGE_STRUCT_DDL, IMAGE_SCHEMA_DDL, BINARY_FILE_SCHEMA_DDL } from './image/index.js';
export type { Image, ImageRow, ChannelOrder, BinaryFileRow } from './image/index.js';
