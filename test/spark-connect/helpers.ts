/** Shared helpers of the Spark Connect integration tests (server from SPARK_REMOTE). */
import { SparkSession, type ConnectOptions } from '@tsapply/spark-connect';
import { DEFAULT_SPARK_VERSION } from '@tsapply/spark-local';

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

/** The test server's Spark version: the per-version suite sets TSAPPLY_TEST_SPARK_VERSION, else the pinned one. */
export function testSparkVersion(): string {
  return process.env.TSAPPLY_TEST_SPARK_VERSION || DEFAULT_SPARK_VERSION;
}

/**
 * A test's `skip` for a member that Spark added in `version` (major.minor): the reason on
 * an older test server, else false.
 */
export function skipBefore(version: string): string | false {
  const server = testSparkVersion();
  const [major, minor] = server.split('.').map(Number);
  const [needMajor, needMinor] = version.split('.').map(Number);
  const older = major! < needMajor! || (major === needMajor && minor! < needMinor!);
  return older ? `needs Spark ${version}; the test server runs ${server}` : false;
}
