/**
 * `@tsapply/spark-local`: a managed local Spark Connect server for development and tests.
 *
 * Spark comes from PyPI's `pyspark` (it ships the jars and `spark-submit`) installed into
 * a project-managed venv at `<cacheDir()>/spark/<version>/venv` on first use; Java 17+
 * comes from the machine. The server binds loopback only.
 *
 * @example
 * ```ts
 * import { startSparkConnect } from '@tsapply/spark-local';
 * const server = await startSparkConnect({ port: 15002 });   // or { mode: 'cluster', executors: 2 }
 * console.log(server.address);                                // sc://localhost:15002
 * // … connect a client …
 * await server.stop();
 * ```
 */
export { startSparkConnect, CONNECT_SERVER_CLASS } from './start-server.js';
export type { SparkConnectServer } from './start-server.js';
export { stopSparkConnect, statusSparkConnect, listSparkConnect } from './stop-server.js';
export type { StopSparkConnectOptions, StopResult, SparkServerStatus } from './stop-server.js';
export { DEFAULT_PORT, defaultStateDir } from './server-options.js';
export type { StartSparkConnectOptions, SparkLocalMode } from './server-options.js';
export type { SparkServerState } from './server-state.js';
export { DEFAULT_SPARK_VERSION, SPARK_VERSION_ENV, TESTED_SPARK_VERSIONS, LIMITED_SPARK_VERSIONS, SMOKE_SPARK_VERSIONS, isLimitedSparkVersion, resolveSparkVersion, supportedSparkLines } from './spark-version.js';
export { ensurePythonEnv, readPythonEnv, pythonEnvDir, EXTRA_PYTHON_PACKAGES } from './python-env.js';
export type { PythonEnv, EnsurePythonEnvOptions } from './python-env.js';
export { detectJava, parseJavaVersion, MIN_JAVA_MAJOR } from './java.js';
export type { JavaInfo } from './java.js';
export { detectPython } from './python.js';
export type { PythonInfo } from './python.js';
export { isPortFree, findFreePort, findListeningPid } from './ports.js';
// One class for every bad option in tsapply (from @tsapply/common); SparkLocalOptionError is its deprecated alias.
export { InvalidOptionError } from '@tsapply/common';
export {
  SparkLocalOptionError,
  MissingPrerequisiteError,
  PythonEnvError,
  PortInUseError,
  SparkAlreadyRunningError,
  SparkStartError,
} from './errors.js';
