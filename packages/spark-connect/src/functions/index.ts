/**
 * Spark SQL functions as thin Column builders (PySpark's `pyspark.sql.functions`, camelCase).
 * Nothing is computed in Node; use `call(name, ...args)` for any function not listed.
 */
export { col, column, lit, expr, when, call, callFunctionByName, coalesce, isnull, abs, round, sqrt, floor, ceil, year, month, toDate, sparkPartitionId } from './core.js';
export { count, countDistinct, sum, sumDistinct, avg, mean, min, max, first, last, stddev, variance, collectList, collectSet, approxCountDistinct } from './aggregates.js';
export { upper, lower, length, trim, ltrim, rtrim, reverse, initcap, concat, concatWs, substring, split, regexpReplace, regexpExtract, lpad, rpad, instr, formatString } from './strings.js';
