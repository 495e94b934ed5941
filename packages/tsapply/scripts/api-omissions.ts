/**
 * PySpark members tsapply leaves out on purpose, each with the reason a user would be
 * given. api-coverage.ts counts them apart from what is simply not written yet.
 */
const PANDAS = 'pandas and Python: in TypeScript use toArrow()/collect(), and mapInArrow/applyInArrow with a TS function';
const STREAMING = 'Structured Streaming is out of scope for tsapply (batch DataFrames only)';
const PYTHON_UDF = 'registers a Python function; tsapply ships TypeScript functions with mapInArrow/applyInArrow/foreachPartition';

export const API_OMISSIONS: Record<string, Record<string, string>> = {
  DataFrame: {
    toPandas: PANDAS,
    pandas_api: PANDAS,
    mapInPandas: PANDAS,
    plot: 'Python plotting through pandas; tsapply returns Arrow tables for any JS charting library',
    rdd: 'Spark Connect has no RDD API',
    writeStream: STREAMING,
    withWatermark: STREAMING,
    dropDuplicatesWithinWatermark: STREAMING,
    registerTempTable: 'deprecated since Spark 2.0; use createOrReplaceTempView',
    asTable: 'makes a TableArg, the table argument of a Python UDTF call; tsapply registers no Python UDTFs (see SparkSession.udtf)',
  },
  SparkSession: {
    Builder: 'a Python class; tsapply connects with SparkSession.connect(url, options)',
    builder: 'PySpark\'s builder pattern; tsapply connects with SparkSession.connect(url, options)',
    Hook: 'a Python class of the builder',
    udf: PYTHON_UDF,
    udtf: PYTHON_UDF,
    dataSource: 'registers a Python data source',
    profile: 'the Python UDF profiler',
    readStream: STREAMING,
    streams: STREAMING,
    client: 'PySpark\'s internal gRPC client object',
  },
  Catalog: {
    registerFunction: `${PYTHON_UDF} (PySpark's is spark.udf.register under another name)`,
  },
  Column: {
    to_plan: 'PySpark\'s internal plan conversion (tsapply\'s is toProto())',
  },
  GroupedData: {
    apply: PANDAS,
    applyInPandas: PANDAS,
    applyInPandasWithState: `${PANDAS}; ${STREAMING}`,
    transformWithState: STREAMING,
    transformWithStateInPandas: STREAMING,
  },
  functions: {
    udf: PYTHON_UDF,
    pandas_udf: PYTHON_UDF,
    udtf: PYTHON_UDF,
    arrow_udf: PYTHON_UDF,
    arrow_udtf: PYTHON_UDF,
  },
};
