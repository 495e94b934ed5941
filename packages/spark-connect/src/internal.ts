/**
 * `@tsapply/spark-connect/internal`: building blocks for other tsapply modules (the
 * mapInArrow engine) — generated protocol messages and schemas, relation constructors,
 * and the plan execution loop. Not a stable public API.
 *
 * Adding a relation the DataFrame API lacks:
 * ```ts
 * import { DataFrame } from '@tsapply/spark-connect/internal';
 * const out = df.withRelation({ case: 'mapPartitions', value: { input: df.relation, func } });
 * // or: new DataFrame(session, create(RelationSchema, { relType: … }))  // plan id assigned
 * ```
 */
export * from './gen/spark/connect/base_pb.js';
export * from './gen/spark/connect/relations_pb.js';
export * from './gen/spark/connect/expressions_pb.js';
export * from './gen/spark/connect/commands_pb.js';
export * from './gen/spark/connect/types_pb.js';
export { DataFrame } from './data-frame.js';
export type { RelationType } from './data-frame.js';
export { SparkConnectClient, buildUserAgent } from './spark-connect-client.js';
export { executePlanStream } from './execute-stream.js';
export type { ExecuteStats } from './execute-stream.js';
export { arrowBatches } from './arrow-results.js';
export { artifactRequests, ARTIFACT_CHUNK_BYTES } from './artifacts.js';
export { crc32, crc32Portable } from './crc32.js';
export { dataTypeToDDL, structToSchemaDDL, unparsedType } from './data-types.js';
export { toLiteral } from './literal.js';
export { readErrorInfo } from './error-details.js';
export { channelCredentials } from './grpc-transport.js';
export { sortOrderOf } from './column.js';
