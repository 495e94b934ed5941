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

/**
 * Older lines tsapply supports in part, each with the release a short smoke runs on: the
 * Spark Connect client, mapInArrow, grouped apply (as on 4.x: repartition by the keys,
 * sortWithinPartitions, then mapInArrow; 3.5 has no applyInArrow) and job files with
 * --remote. Spark ML over Connect needs 4.0.
 * 3.5.7 is the newest 3.5 release whose Connect server jar Maven Central serves here.
 */
export const LIMITED_SPARK_VERSIONS = ['3.5.7'] as const;

/** Every release a smoke runs on: the limited lines, then the fully tested ones. */
export const SMOKE_SPARK_VERSIONS: readonly string[] = [...LIMITED_SPARK_VERSIONS, ...TESTED_SPARK_VERSIONS];

/** `3.5.x, 4.0.x, 4.1.x, …` for messages. */
export function supportedSparkLines(): string {
  return SMOKE_SPARK_VERSIONS.map((v) => v.replace(/\.\d+$/, '.x')).join(', ');
}

/** Whether Spark `version` is an older line with part of tsapply (no Spark ML over Connect). */
export function isLimitedSparkVersion(version: string): boolean {
  const [major] = version.split('.').map(Number);
  return major !== undefined && major < 4;
}

/** Environment variable that changes the default version for a whole process tree. */
export const SPARK_VERSION_ENV = 'TSAPPLY_SPARK_VERSION';

/** Oldest supported release line: Spark 3.5 (in part, see LIMITED_SPARK_VERSIONS). */
const MIN_LINE = [3, 5] as const;

/**
 * Picks the version to use (explicit → `$TSAPPLY_SPARK_VERSION` → pinned default) and
 * checks it names an exact PyPI release `X.Y.Z`, 3.5 or newer.
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
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < MIN_LINE[0] || (major === MIN_LINE[0] && minor < MIN_LINE[1])) {
    throw new InvalidOptionError(
      `Spark ${version} is not supported: tsapply needs Spark 3.5 or newer (supported: ${supportedSparkLines()}; for example "${DEFAULT_SPARK_VERSION}").`,
      { option: source },
    );
  }
  return version;
}
