/**
 * Which Spark version the managed server runs.
 *
 * The pin lives here and nowhere else: the test suite, the CLI and `startSparkConnect()`
 * all default to {@link DEFAULT_SPARK_VERSION}. `TSAPPLY_SPARK_VERSION` overrides the
 * default for a whole run (that is how `test/versions/run-suite-per-version.mjs` runs the
 * whole suite on each supported line); an explicit `sparkVersion` option /
 * `--spark-version` flag wins over both.
 */
import { InvalidOptionError } from '@tsapply/common';

/** The PySpark release (from PyPI) the managed server uses unless told otherwise. */
export const DEFAULT_SPARK_VERSION = '4.3.0';

/**
 * The release of each supported line the suite runs on: the whole suite per line by
 * `test/versions/run-suite-per-version.mjs`, a short smoke of each on every `npm test`.
 */
export const TESTED_SPARK_VERSIONS = ['4.0.5', '4.1.4', '4.2.1', '4.3.0'] as const;

/** `4.0.x, 4.1.x, …` for messages. */
export function supportedSparkLines(): string {
  return TESTED_SPARK_VERSIONS.map((v) => v.replace(/\.\d+$/, '.x')).join(', ');
}

/** Environment variable that changes the default version for a whole process tree. */
export const SPARK_VERSION_ENV = 'TSAPPLY_SPARK_VERSION';

/** Oldest supported major version: tsapply targets Spark 4.0 and newer. */
const MIN_MAJOR = 4;

/**
 * Picks the version to use (explicit → `$TSAPPLY_SPARK_VERSION` → pinned default) and
 * checks it names an exact PyPI release `X.Y.Z` with X >= 4.
 */
export function resolveSparkVersion(explicit?: string): string {
  const fromEnv = process.env[SPARK_VERSION_ENV];
  const source = explicit !== undefined ? 'sparkVersion' : fromEnv ? SPARK_VERSION_ENV : 'default';
  const version = explicit ?? (fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_SPARK_VERSION);
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) {
    throw new InvalidOptionError(
      `Invalid Spark version "${version}" (from ${source}): expected an exact release like "${DEFAULT_SPARK_VERSION}" (major.minor.patch).`,
      { option: source },
    );
  }
  if (Number(m[1]) < MIN_MAJOR) {
    throw new InvalidOptionError(
      `Spark ${version} is not supported: tsapply needs Spark 4.0 or newer (supported: ${supportedSparkLines()}; for example "${DEFAULT_SPARK_VERSION}").`,
      { option: source },
    );
  }
  return version;
}
