"""The serving loop both PySpark variant scripts share (benchmarks/spark/pyspark_variants.py,
benchmarks/udf/udf_variants.py): connect once, say hello with the versions, then answer
one JSON command per line on stdin with one JSON line on stdout (see
benchmarks/spark/pyspark-process.ts for the other end).

A command's "op" is "time" (drive the variant's DataFrame into Spark's noop writer) or
"check" (collect its checksum aggregate). The script supplies ``dataframe(spark, cmd)``.
"""

import json
import sys
import time


def format_value(v):
    """Checksums as the suites print them: ints as digits, integral doubles without '.0'."""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def run(spark, cmd, dataframe):
    df = dataframe(spark, cmd)
    started = time.perf_counter()
    if cmd["op"] == "time":
        df.write.format("noop").mode("overwrite").save()
        return {"ok": True, "ms": (time.perf_counter() - started) * 1000}
    row = df.selectExpr(*cmd["checksum"]).collect()[0]
    ms = (time.perf_counter() - started) * 1000
    return {"ok": True, "ms": ms, "checksums": {k: format_value(v) for k, v in row.asDict().items()}}


def serve(remote, dataframe, modules):
    """Serves commands against ``remote`` until stdin ends; ``modules`` are reported with their versions."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(remote).getOrCreate()
    versions = {"python": sys.version.split()[0]}
    versions.update({m.__name__: m.__version__ for m in modules})
    print(json.dumps({"ready": True, "versions": versions}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        try:
            answer = run(spark, cmd, dataframe)
        except Exception as e:  # report, keep serving: the suite decides what a failure means
            answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, str(e)[-3000:])}
        print(json.dumps(answer), flush=True)
    spark.stop()
