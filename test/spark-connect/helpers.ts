/** Shared helpers of the Spark Connect integration tests (server from SPARK_REMOTE). */
import { SparkSession, type ConnectOptions } from '@tsapply/spark-connect';

export function sparkRemote(): string {
  const url = process.env.SPARK_REMOTE;
  if (!url) throw new Error('SPARK_REMOTE is not set; run the tests through node test/run-tests.mjs');
  return url;
}

/** SPARK_REMOTE with extra `;k=v` parameters appended. */
export function remoteWith(params: string): string {
  const url = sparkRemote();
  return url.includes(';') ? `${url};${params}` : `${url.replace(/\/$/, '')}/;${params}`;
}

export function connect(options?: ConnectOptions): Promise<SparkSession> {
  return SparkSession.connect(sparkRemote(), options);
}
