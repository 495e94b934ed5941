"""PySpark side of the start-up benchmark: the same small job as startup-job.ts.

    python pyspark_startup.py --remote sc://localhost:15002

Connects, runs spark.range(0, 1000, 1, 2).mapInArrow(double) and prints the first
result row as one JSON line on stdout (the suite times from spawning this process to
that line, as it does for `tsapply run startup-job.ts --remote`).
"""

import argparse
import json


def double(batches):
    import pyarrow as pa
    import pyarrow.compute as pc

    for batch in batches:
        ids = batch.column("id")
        yield pa.RecordBatch.from_arrays([ids, pc.multiply(ids, 2)], names=["id", "twice"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", required=True)
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(args.remote).getOrCreate()
    rows = spark.range(0, 1000, 1, 2).mapInArrow(double, "id bigint, twice bigint").collect()
    print(json.dumps({"rows": len(rows), "first": [rows[0]["id"], rows[0]["twice"]]}), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
