"""PySpark side of the Spark benchmark: the same three workloads as mapInArrow in Python.

Run by benchmarks/spark/suite.ts with the managed venv's Python (pyspark, pyarrow),
against the same server as tsapply:

    python pyspark_variants.py --remote sc://localhost:15002

It connects once, then reads one JSON command per line on stdin and answers with one
JSON line on stdout, so the suite can interleave PySpark runs with tsapply's and the
built-in's (the machine's load then hits every variant alike):

    {"op": "check"|"time", "workload": "numeric", "variant": "vectorised"|"loop",
     "rows": 5000000, "partitions": 4, "input": [...selectExpr...],
     "schema": "id bigint, y double", "checksum": [...selectExpr...]}
    -> {"ok": true, "ms": 1234.5, "checksums": {...}}   (checksums only for "check")

"time" drives the variant into Spark's `noop` writer (every row is produced, nothing
comes back); "check" computes the workload's checksum aggregate over the variant's
output. Functions:

  vectorised  pyarrow.compute over whole columns of each RecordBatch
  loop        a plain Python loop over the rows of each RecordBatch
"""

import argparse
import os
import math
import re
import sys


def log(message):
    print("[pyspark-variants] %s" % message, file=sys.stderr, flush=True)


# --- (a) identity -------------------------------------------------------------------


def identity_vectorised(batches):
    yield from batches


def identity_loop(batches):
    import pyarrow as pa

    for batch in batches:
        rows = [{"id": r["id"], "x": r["x"], "s": r["s"]} for r in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(rows, schema=batch.schema)


# --- (b) CPU-bound numeric ----------------------------------------------------------


def numeric_vectorised(batches):
    import pyarrow as pa
    import pyarrow.compute as pc

    for batch in batches:
        x = batch.column("x")
        y = pc.add(
            pc.add(pc.multiply(pc.sqrt(x), pc.sin(x)), pc.multiply(pc.log1p(x), pc.cos(x))),
            pc.exp(pc.negate(x)),
        )
        yield pa.RecordBatch.from_arrays([batch.column("id"), y], names=["id", "y"])


def numeric_loop(batches):
    import pyarrow as pa

    sqrt, sin, cos, log1p, exp = math.sqrt, math.sin, math.cos, math.log1p, math.exp
    schema = pa.schema([("id", pa.int64()), ("y", pa.float64())])
    for batch in batches:
        ids = batch.column("id").to_pylist()
        ys = [sqrt(v) * sin(v) + log1p(v) * cos(v) + exp(-v) for v in batch.column("x").to_pylist()]
        yield pa.RecordBatch.from_arrays([pa.array(ids, pa.int64()), pa.array(ys, pa.float64())], schema=schema)


# --- (c) string-heavy: tokenise -----------------------------------------------------

NON_LETTERS = re.compile(r"[^a-z]+")


def tokens_vectorised(batches):
    import pyarrow as pa
    import pyarrow.compute as pc

    for batch in batches:
        # Tokens = maximal runs of letters after lower-casing: count them directly.
        counts = pc.count_substring_regex(pc.utf8_lower(batch.column("text")), "[a-z]+")
        yield pa.RecordBatch.from_arrays([batch.column("id"), counts], names=["id", "n_tokens"])


def tokens_loop(batches):
    import pyarrow as pa

    split = NON_LETTERS.split
    schema = pa.schema([("id", pa.int64()), ("n_tokens", pa.int32())])
    for batch in batches:
        ids = batch.column("id").to_pylist()
        counts = [sum(1 for t in split(s.lower()) if t) for s in batch.column("text").to_pylist()]
        yield pa.RecordBatch.from_arrays([pa.array(ids, pa.int64()), pa.array(counts, pa.int32())], schema=schema)


FUNCTIONS = {
    ("identity", "vectorised"): identity_vectorised,
    ("identity", "loop"): identity_loop,
    ("numeric", "vectorised"): numeric_vectorised,
    ("numeric", "loop"): numeric_loop,
    ("tokens", "vectorised"): tokens_vectorised,
    ("tokens", "loop"): tokens_loop,
}


def dataframe(spark, cmd):
    fn = FUNCTIONS[(cmd["workload"], cmd["variant"])]
    # pyarrow.compute's count_substring_regex yields int32 for string input, matching the schema.
    df = spark.range(0, cmd["rows"], 1, cmd["partitions"]).selectExpr(*cmd["input"])
    return df.mapInArrow(fn, cmd["schema"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", required=True)
    args = parser.parse_args()

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from pyspark_serve import serve

    import pyarrow
    import pyspark

    serve(args.remote, dataframe, [pyarrow, pyspark])


if __name__ == "__main__":
    main()
