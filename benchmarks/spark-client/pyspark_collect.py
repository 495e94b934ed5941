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

Modes (--modes, default both):
  toArrow   spark.range(n).selectExpr(...).toArrow() -> pyarrow.Table
  collect   spark.range(n).selectExpr(...).collect() -> list of Row
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


def row_checksums(rows):
    """The same checksums from Row objects, computed in Python (the warm-up check of collect).

    Timestamps come back as naive datetimes in this process's local time zone, so they
    are turned back into microseconds with time.mktime (whole seconds, exact) plus the
    microseconds."""
    sum_id = sum_x = sum_len_s = count_b = sum_ts = nulls = 0
    for r in rows:
        for v in r:
            if v is None:
                nulls += 1
        if r.id is not None:
            sum_id += r.id
        if r.x is not None:
            sum_x += r.x
        if r.s is not None:
            sum_len_s += len(r.s.encode("utf-8"))
        if r.b:
            count_b += 1
        if r.ts is not None:
            sum_ts += int(time.mktime(r.ts.timetuple())) * 1_000_000 + r.ts.microsecond - TS_BASE_MICROS
    return {
        "rows": str(len(rows)),
        "sumId": str(sum_id),
        "sumX": format_double(float(sum_x)),
        "sumLenS": str(sum_len_s),
        "countB": str(count_b),
        "sumTsOffsetMicros": str(sum_ts),
        "nulls": str(nulls),
    }


def time_mode(name, call, count, runs):
    """Timed calls of one mode: wall ms and this process's CPU ms (all threads) per call."""
    samples = []
    cpu_samples = []
    for r in range(runs):
        gc.collect()  # outside the timing, like ts-client's gc()
        cpu = time.process_time()  # CPU of this process, all threads (gRPC's C core included)
        t = time.perf_counter()
        result = call()
        ms = (time.perf_counter() - t) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        if count(result) != ROWS[0]:
            raise SystemExit(f"{name} run {r + 1} returned {count(result)} rows, expected {ROWS[0]}")
        del result
        samples.append(ms)
        cpu_samples.append(cpu_ms)
        log(f"{name} run {r + 1}/{runs}: {ms:.0f} ms (client CPU {cpu_ms:.0f} ms)")
    return samples, cpu_samples


ROWS = [0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exprs", required=True, help="JSON list of selectExpr expressions")
    parser.add_argument("--modes", default="toArrow,collect", help="comma-separated: toArrow, collect")
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
        ROWS[0] = args.rows
        modes = args.modes.split(",")
        if "toArrow" in modes:
            log("toArrow: warm-up and check")
            warm = df.toArrow()
            report["arrowBytes"] = warm.nbytes
            sums = checksums(warm)
            batches = len(warm.to_batches())
            del warm
            samples, cpu_samples = time_mode("toArrow", df.toArrow, lambda t: t.num_rows, args.runs)
            report["modes"]["toArrow"] = {"checksums": sums, "samplesMs": samples, "cpuMs": cpu_samples, "batches": batches}
        if "collect" in modes:
            log("collect: warm-up and check")
            warm = df.collect()
            sums = row_checksums(warm)
            del warm
            samples, cpu_samples = time_mode("collect", df.collect, len, args.runs)
            report["modes"]["collect"] = {"checksums": sums, "samplesMs": samples, "cpuMs": cpu_samples}
        print(json.dumps(report), flush=True)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
