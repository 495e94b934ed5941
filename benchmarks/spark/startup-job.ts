/**
 * The job of the start-up benchmark: `tsapply run benchmarks/spark/startup-job.ts --remote`.
 * Small on purpose (1,000 rows, 2 partitions), so the time to its first result is the
 * cost of starting a job, not of running one. `pyspark_startup.py` runs the same job
 * with PySpark.
 */
import { defineJob } from 'tsapply';

export default defineJob({
  input: { range: 1000, numPartitions: 2 },
  schema: 'id bigint, twice bigint',
  apply(batch) {
    const id = batch.column('id').toArray() as BigInt64Array;
    return { id, twice: id.map((v) => v * 2n) };
  },
});
