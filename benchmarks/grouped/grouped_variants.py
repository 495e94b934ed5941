"""PySpark side of the grouped benchmark: the per-group function as PySpark users write it.

Run by benchmarks/grouped/suite.ts with the managed venv's Python, against the same server
as tsapply; the line protocol is benchmarks/lib/pyspark_serve.py's. Variants:

  arrow     groupBy('g').applyInArrow over a pyarrow.Table per group (pyarrow.compute)
  pandas    groupBy('g').applyInPandas over a pandas.DataFrame per group
  arrow-floor, pandas-floor
            the same two with a function that reads nothing and returns no rows: what
            Spark's own path for each costs (shuffle, sort, grouping, the groups sent to
            the Python worker as a table or a DataFrame), under any function run through it
"""

import argparse
import os
import sys


def dataframe(spark, cmd):
    import pyarrow as pa
    import pyarrow.compute as pc

    df = spark.range(0, cmd["rows"], 1, cmd["partitions"]).selectExpr(*cmd["input"])
    schema = cmd["schema"]
    if cmd["variant"].endswith("-floor"):
        # No rows, in the result's columns and types (the same table as a DataFrame for pandas).
        empty = pa.schema([("g", pa.int64()), ("n", pa.int64()), ("total", pa.float64()), ("top", pa.float64())]).empty_table()
        if cmd["variant"] == "arrow-floor":
            return df.groupBy("g").applyInArrow(lambda key, table: empty, schema)
        empty_pdf = empty.to_pandas()
        return df.groupBy("g").applyInPandas(lambda pdf: empty_pdf, schema)
    if cmd["variant"] == "arrow":

        def summarize(key, table):
            x = table.column("x")
            return pa.table(
                {
                    "g": pa.array([key[0].as_py()], pa.int64()),
                    "n": pa.array([table.num_rows], pa.int64()),
                    "total": pa.array([pc.sum(x).as_py()], pa.float64()),
                    "top": pa.array([pc.max(x).as_py()], pa.float64()),
                }
            )

        return df.groupBy("g").applyInArrow(summarize, schema)

    import pandas as pd

    def summarize_pandas(pdf):
        x = pdf["x"]
        return pd.DataFrame({"g": [pdf["g"].iloc[0]], "n": [len(pdf)], "total": [x.sum()], "top": [x.max()]})

    return df.groupBy("g").applyInPandas(summarize_pandas, schema)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", required=True)
    args = parser.parse_args()

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from pyspark_serve import serve

    import pandas
    import pyarrow
    import pyspark

    serve(args.remote, dataframe, [pyspark, pyarrow, pandas])


if __name__ == "__main__":
    main()
