/**
 * Spark SQL functions as thin Column builders: PySpark's `pyspark.sql.functions`, in
 * camelCase. Nothing is computed in Node. Most are generated from PySpark's and Spark's
 * own definitions (./generated, see scripts/extract-functions.py); the ones PySpark
 * shapes on the client are written here. `call(name, ...args)` reaches any other.
 */
export * from './generated/index.js';
export { broadcast, col, column, lit, expr, when, call, callFunctionByName, callFunctionByName as callFunction, callFunctionByName as callUdf, asc, desc, ascNullsFirst, ascNullsLast, descNullsFirst, descNullsLast } from './core.js';
export { count } from './aggregates.js';
export { transform, filter, exists, forall, aggregate, reduce, zipWith, mapFilter, mapZipWith, transformKeys, transformValues, arraySort } from './higher-order.js';
export { fromJson, toJson, schemaOfJson, fromCsv, toCsv, schemaOfCsv, fromXml, toXml, schemaOfXml, sha2, makeTimestamp, tryMakeTimestamp, makeTimestampNtz, tryMakeTimestampNtz } from './formats.js';
export type { FormatOptions } from './formats.js';
