"""PySpark side of the UDF benchmark: the four workloads as Python users write them.

Run by benchmarks/udf/suite.ts with the managed venv's Python (pyspark, pyarrow, pandas,
numpy, and rapidfuzz + orjson, which the suite installs there), against the same server
as tsapply:

    python udf_variants.py --remote sc://localhost:15002

Same line protocol as benchmarks/spark/pyspark_variants.py: one JSON command per line on
stdin, one JSON answer per line on stdout:

    {"op": "check"|"time", "table": "tsapply_bench_udf_logs_1000000", "workload": "logs", "variant": "udf", "rows": 1000000,
     "partitions": 4, "input": [...selectExpr...], "schema": "...", "checksum": [...],
     "context": {...}}
    -> {"ok": true, "ms": 1234.5, "checksums": {...}}   (checksums only for "check")

Variants (the logic mirrors benchmarks/udf/fns.ts):

  udf           @udf, plain pickled Python, one call per row
  udf-arrow     the same function with useArrow=True (Arrow-optimised Python UDF)
  pandas        @pandas_udf over Series, written the pandas way (str.extract, map, numpy)
  loop          mapInArrow with a plain Python loop over each batch's rows
  clib          the best C-backed library a Python user would pick: rapidfuzz (edit
                distance), pyarrow.compute (regex, timestamps), orjson (JSON), numpy
                (simulation), in mapInArrow
  floor         mapInArrow reading nothing and returning no rows: the cost of the input
                through the Python worker alone, which every variant pays
"""

import argparse
import calendar
import json
import os
import re
import sys

STEPS = 200
MONTH = {m: i + 1 for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])}


# --- the per-row logic -------------------------------------------------------------


def levenshtein(a, b):
    """Edit distance with one reused row of the DP table (what one writes by hand)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        diagonal = row[0]
        row[0] = i
        for j, cb in enumerate(b, 1):
            above = row[j]
            row[j] = min(above + 1, row[j - 1] + 1, diagonal + (ca != cb))
            diagonal = above
    return row[len(b)]


def nearest(name, references):
    return min(levenshtein(name, r) for r in references)


LOG = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+)$')


def epoch_of(t):
    """'dd/Mon/yyyy:HH:mm:ss +hhmm' -> seconds since the epoch."""
    utc = calendar.timegm((int(t[7:11]), MONTH[t[3:6]], int(t[0:2]), int(t[12:14]), int(t[15:17]), int(t[18:20])))
    zone = t[21:]
    offset = (-1 if zone[0] == "-" else 1) * (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60)
    return utc - offset


def parse_log(line):
    m = LOG.match(line)
    return (m.group(1), epoch_of(m.group(2)), m.group(3), m.group(4), int(m.group(5)), int(m.group(6)))


def walk(doc, loads=json.loads):
    order = loads(doc)
    total = 0
    for item in order["items"]:
        total += item["qty"] * item["price_cents"]
    return (len(order["items"]), total, "vip" in order["user"]["tags"])


def simulate(x0, r):
    x = x0
    above = 0
    for _ in range(STEPS):
        x = r * x * (1 - x)
        if x > 0.5:
            above += 1
    return (x, above)


def row_function(workload, context):
    """The workload's logic for one row, from its UDF inputs to its output columns (after id)."""
    if workload == "fuzzy":
        references = context["references"]
        return lambda name: (nearest(name, references),)
    if workload == "logs":
        return parse_log
    if workload == "json":
        return walk
    return simulate


# --- variants ------------------------------------------------------------------------


def udf_frame(df, cmd, use_arrow):
    from pyspark.sql.functions import col, udf
    from pyspark.sql.types import StructType

    schema = StructType.fromDDL(cmd["schema"])
    out_type = StructType(schema.fields[1:])
    fn = row_function(cmd["workload"], cmd.get("context"))
    f = udf(lambda *args: fn(*args), out_type, useArrow=use_arrow)
    return df.select("id", f(*[col(c) for c in cmd["udf_inputs"]]).alias("o")).select("id", "o.*")


def pandas_frame(df, cmd):
    import numpy as np
    import pandas as pd
    from pyspark.sql.functions import col, pandas_udf
    from pyspark.sql.types import StructType

    schema = StructType.fromDDL(cmd["schema"])
    out_type = StructType(schema.fields[1:])
    workload = cmd["workload"]
    if workload == "fuzzy":
        references = cmd["context"]["references"]

        def fn(name: pd.Series) -> pd.DataFrame:
            return pd.DataFrame({"dist": name.map(lambda n: nearest(n, references)).astype("int32")})

    elif workload == "logs":
        pattern = LOG.pattern

        def fn(line: pd.Series) -> pd.DataFrame:
            parts = line.str.extract(pattern)
            stamp = pd.to_datetime(parts[1], format="%d/%b/%Y:%H:%M:%S %z")
            return pd.DataFrame(
                {
                    "ip": parts[0],
                    "epoch": (stamp - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(seconds=1),
                    "method": parts[2],
                    "path": parts[3],
                    "status": parts[4].astype("int32"),
                    "bytes": parts[5].astype("int64"),
                }
            )

    elif workload == "json":

        def fn(doc: pd.Series) -> pd.DataFrame:
            walked = [walk(d) for d in doc]
            return pd.DataFrame(walked, columns=["n_items", "total_cents", "vip"]).astype({"n_items": "int32", "total_cents": "int64"})

    else:

        def fn(x0: pd.Series, r: pd.Series) -> pd.DataFrame:
            x = x0.to_numpy(copy=True)
            rr = r.to_numpy()
            above = np.zeros(len(x), dtype=np.int32)
            for _ in range(STEPS):
                x = rr * x * (1 - x)
                above += x > 0.5
            return pd.DataFrame({"x": x, "above": above})

    f = pandas_udf(fn, out_type)
    return df.select("id", f(*[col(c) for c in cmd["udf_inputs"]]).alias("o")).select("id", "o.*")


def loop_frame(df, cmd):
    import pyarrow as pa

    schema_ddl = cmd["schema"]
    fn = row_function(cmd["workload"], cmd.get("context"))
    inputs = cmd["udf_inputs"]

    def apply(batches):
        for batch in batches:
            ids = batch.column("id").to_pylist()
            columns = [batch.column(c).to_pylist() for c in inputs]
            results = [fn(*args) for args in zip(*columns)]
            out = list(zip(*results)) if results else [[] for _ in range(out_width)]
            yield pa.RecordBatch.from_arrays([pa.array(ids, pa.int64())] + [pa.array(c, t) for c, t in zip(out, out_types)], schema=arrow_schema)

    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import StructType

    arrow_schema = to_arrow_schema(StructType.fromDDL(schema_ddl))
    out_types = [f.type for f in arrow_schema][1:]
    out_width = len(out_types)
    return df.mapInArrow(apply, schema_ddl)


def clib_frame(df, cmd):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import StructType

    arrow_schema = to_arrow_schema(StructType.fromDDL(cmd["schema"]))
    workload = cmd["workload"]
    if workload == "fuzzy":
        references = cmd["context"]["references"]

        def apply(batches):
            from rapidfuzz.distance import Levenshtein
            from rapidfuzz.process import cdist

            for batch in batches:
                names = batch.column("name").to_pylist()
                dist = cdist(names, references, scorer=Levenshtein.distance, dtype=np.int32).min(axis=1) if names else np.zeros(0, np.int32)
                yield pa.RecordBatch.from_arrays([batch.column("id"), pa.array(dist, pa.int32())], schema=arrow_schema)

    elif workload == "logs":
        # pyarrow's extract_regex (RE2) names its struct fields after named groups.
        named = re.sub(r"\((?!\?)", lambda m, c=iter(range(1, 7)): "(?P<g%d>" % next(c), LOG.pattern)

        def apply(batches):
            for batch in batches:
                parts = pc.extract_regex(batch.column("line"), named)
                stamp = pc.strptime(parts.field("g2"), format="%d/%b/%Y:%H:%M:%S %z", unit="s")
                yield pa.RecordBatch.from_arrays(
                    [
                        batch.column("id"),
                        parts.field("g1"),
                        pc.cast(stamp, pa.int64()),
                        parts.field("g3"),
                        parts.field("g4"),
                        pc.cast(parts.field("g5"), pa.int32()),
                        pc.cast(parts.field("g6"), pa.int64()),
                    ],
                    schema=arrow_schema,
                )

    elif workload == "json":

        def apply(batches):
            import orjson

            for batch in batches:
                walked = [walk(d, orjson.loads) for d in batch.column("doc").to_pylist()]
                n, total, vip = (list(c) for c in zip(*walked)) if walked else ([], [], [])
                yield pa.RecordBatch.from_arrays(
                    [batch.column("id"), pa.array(n, pa.int32()), pa.array(total, pa.int64()), pa.array(vip, pa.bool_())], schema=arrow_schema
                )

    else:

        def apply(batches):
            for batch in batches:
                x = batch.column("x0").to_numpy().copy()
                r = batch.column("r").to_numpy()
                above = np.zeros(len(x), dtype=np.int32)
                for _ in range(STEPS):
                    x = r * x * (1 - x)
                    above += x > 0.5
                yield pa.RecordBatch.from_arrays([batch.column("id"), pa.array(x), pa.array(above)], schema=arrow_schema)

    return df.mapInArrow(apply, cmd["schema"])


def floor_frame(df):
    """The input through the Python worker, nothing read from it, no rows back: the floor."""
    import pyarrow as pa

    empty = pa.RecordBatch.from_arrays([pa.array([], pa.int64())], names=["id"])

    def apply(batches):
        for _ in batches:
            yield empty

    return df.mapInArrow(apply, "id bigint")


def dataframe(spark, cmd):
    # The suite saved the input as a Parquet table; "input" builds the same rows where it did not.
    df = spark.table(cmd["table"]) if cmd.get("table") else spark.range(0, cmd["rows"], 1, cmd["partitions"]).selectExpr(*cmd["input"])
    variant = cmd["variant"]
    if variant == "udf":
        return udf_frame(df, cmd, False)
    if variant == "udf-arrow":
        return udf_frame(df, cmd, True)
    if variant == "pandas":
        return pandas_frame(df, cmd)
    if variant == "loop":
        return loop_frame(df, cmd)
    if variant == "clib":
        return clib_frame(df, cmd)
    if variant == "floor":
        return floor_frame(df)
    raise ValueError("unknown variant %r" % variant)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", required=True)
    args = parser.parse_args()

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from pyspark_serve import serve

    import numpy
    import orjson
    import pandas
    import pyarrow
    import pyspark
    import rapidfuzz

    serve(args.remote, dataframe, [pyspark, pyarrow, pandas, numpy, rapidfuzz, orjson])


if __name__ == "__main__":
    main()
