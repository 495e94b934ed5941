"""PySpark side of the Spark client benchmark: PySpark's own Spark Connect client.

Run by benchmarks/spark-client/suite.ts with the managed venv's Python (pyspark, pyarrow,
grpcio, zstandard...), against the same server and the same plan as the tsapply client:

    python pyspark_collect.py --remote sc://localhost:15002 --rows 10000000 --runs 5 \
        --exprs '["id", "id * 0.5D AS x", ...]'

For each mode, one warm-up call whose result is checked in full (checksums of every
column, matching benchmarks/spark-client/query.ts), then --runs timed calls, each checked
for its row count only, and records wall time and this process's CPU time (all threads).
Prints one JSON object on stdout (the ClientReport shape of
ts-client.ts); progress goes to stderr.

Modes:
  toArrow   spark.range(n).selectExpr(...).toArrow() -> pyarrow.Table
"""

import argparse
import gc
import json
import sys
import time

# Microseconds since the epoch at id 0 (see query.ts: TS_BASE_MICROS).
TS_BASE_MICROS = 1_700_000_000_000_000


def log(message):
    print(f"[pyspark-client] {message}", file=sys.stderr, flush=True)


def format_double(v):
    """A double printed like query.ts formatDouble: integers without a fraction."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def checksums(table):
    """Checksums of a pyarrow Table with the benchmark's columns, computed by pyarrow.compute."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def int_sum(column):
        s = pc.sum(column).as_py()
        return 0 if s is None else s

    ts_offsets = pc.subtract(table.column("ts").cast(pa.int64()), pa.scalar(TS_BASE_MICROS, pa.int64()))
    sum_x = pc.sum(table.column("x")).as_py() or 0.0
    return {
        "rows": str(table.num_rows),
        "sumId": str(int_sum(table.column("id"))),
        "sumX": format_double(sum_x),
        "sumLenS": str(int_sum(pc.binary_length(table.column("s")))),
        "countB": str(int_sum(table.column("b").cast(pa.int64()))),
        "sumTsOffsetMicros": str(int_sum(ts_offsets)),
        "nulls": str(sum(c.null_count for c in table.columns)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exprs", required=True, help="JSON list of selectExpr expressions")
    args = parser.parse_args()
    exprs = json.loads(args.exprs)

    import grpc
    import pandas
    import pyarrow
    import pyspark
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(args.remote).getOrCreate()
    try:
        df = spark.range(args.rows).selectExpr(*exprs)
        report = {
            "client": "pyspark",
            "versions": {
                "python": sys.version.split()[0],
                "pyspark": pyspark.__version__,
                "pyarrow": pyarrow.__version__,
                "grpcio": grpc.__version__,
                "pandas": pandas.__version__,
                "spark": spark.version,
            },
            "rows": args.rows,
            "arrowBytes": 0,
            "modes": {},
        }
        log("toArrow: warm-up and check")
        warm = df.toArrow()
        report["arrowBytes"] = warm.nbytes
        sums = checksums(warm)
        batches = len(warm.to_batches())
        del warm
        samples = []
        cpu_samples = []
        for r in range(args.runs):
            gc.collect()  # outside the timing, like ts-client's gc()
            cpu = time.process_time()  # CPU of this process, all threads (gRPC's C core included)
            t = time.perf_counter()
            table = df.toArrow()
            ms = (time.perf_counter() - t) * 1000
            cpu_ms = (time.process_time() - cpu) * 1000
            if table.num_rows != args.rows:
                raise SystemExit(f"toArrow run {r + 1} returned {table.num_rows} rows, expected {args.rows}")
            del table
            samples.append(ms)
            cpu_samples.append(cpu_ms)
            log(f"toArrow run {r + 1}/{args.runs}: {ms:.0f} ms (client CPU {cpu_ms:.0f} ms)")
        report["modes"]["toArrow"] = {"checksums": sums, "samplesMs": samples, "cpuMs": cpu_samples, "batches": batches}
        print(json.dumps(report), flush=True)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
