/**
 * Finds a Java runtime for the Spark JVM: `$JAVA_HOME/bin/java` when JAVA_HOME is set,
 * else `java` on PATH. Spark 4 needs Java 17 or newer; anything else is refused up front
 * with a message that says what to install, instead of a JVM stack trace minutes later.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MissingPrerequisiteError } from './errors.js';
import { findOnPath } from './which.js';

const execFileAsync = promisify(execFile);

/** Spark 4.x refuses to run on anything older. */
export const MIN_JAVA_MAJOR = 17;

const INSTALL_HINT =
  `Install a Java ${MIN_JAVA_MAJOR} or newer runtime (e.g. "apt-get install openjdk-17-jre-headless", ` +
  `"brew install openjdk@17", or https://adoptium.net) and put its "java" on PATH or set JAVA_HOME.`;

export interface JavaInfo {
  /** Absolute path of the `java` executable. */
  javaBin: string;
  /** JAVA_HOME to hand to Spark's launcher scripts (the directory above `bin/java`). */
  javaHome: string;
  /** Feature release number, e.g. 17 or 21. */
  major: number;
  /** Full version string as printed by `java -version`, e.g. `"17.0.15"`. */
  version: string;
}

/**
 * Parses the first line of `java -version` output (`openjdk version "17.0.15" …`,
 * `java version "1.8.0_392"`) into its major number and version text.
 */
export function parseJavaVersion(output: string): { major: number; version: string } | undefined {
  const m = /version "([^"]+)"/.exec(output);
  if (!m) return undefined;
  const version = m[1]!;
  const parts = version.split(/[._+-]/);
  // Java 8 and older report "1.8.0_x"; 9+ report the feature release first.
  const major = parts[0] === '1' ? Number(parts[1]) : Number(parts[0]);
  return Number.isFinite(major) ? { major, version } : undefined;
}

/** Locates Java and checks its version. Rejects with MissingPrerequisiteError. */
export async function detectJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo> {
  let javaBin: string;
  const javaHomeEnv = env.JAVA_HOME?.trim();
  if (javaHomeEnv) {
    javaBin = join(javaHomeEnv, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (!existsSync(javaBin)) {
      throw new MissingPrerequisiteError(
        `Java not found: JAVA_HOME is "${javaHomeEnv}" but ${javaBin} does not exist. ` +
          `Point JAVA_HOME at a Java ${MIN_JAVA_MAJOR}+ installation or unset it to use "java" from PATH. ${INSTALL_HINT}`,
        { tool: 'java' },
      );
    }
  } else {
    const onPath = findOnPath('java', env.PATH);
    if (!onPath) {
      throw new MissingPrerequisiteError(
        `Java not found: JAVA_HOME is not set and there is no "java" on PATH. Spark needs Java ${MIN_JAVA_MAJOR} or newer. ${INSTALL_HINT}`,
        { tool: 'java' },
      );
    }
    javaBin = onPath;
  }
  let output: string;
  try {
    // `java -version` prints to stderr.
    const r = await execFileAsync(javaBin, ['-version'], { env: { ...env }, timeout: 30_000 });
    output = `${r.stderr}\n${r.stdout}`;
  } catch (e) {
    throw new MissingPrerequisiteError(
      `Java at ${javaBin} could not be run ("java -version" failed: ${(e as Error).message.split('\n')[0]}). ${INSTALL_HINT}`,
      { tool: 'java', found: javaBin },
    );
  }
  const parsed = parseJavaVersion(output);
  if (!parsed) {
    throw new MissingPrerequisiteError(
      `Could not read the Java version from "${javaBin} -version" (output: ${JSON.stringify(output.trim().split('\n')[0] ?? '')}). ${INSTALL_HINT}`,
      { tool: 'java', found: javaBin },
    );
  }
  if (parsed.major < MIN_JAVA_MAJOR) {
    throw new MissingPrerequisiteError(
      `Java ${parsed.version} at ${javaBin} is too old: Spark 4 needs Java ${MIN_JAVA_MAJOR} or newer. ${INSTALL_HINT}`,
      { tool: 'java', found: `java ${parsed.version} at ${javaBin}` },
    );
  }
  const javaHome = javaHomeEnv || dirname(dirname(realpathSync(javaBin)));
  return { javaBin, javaHome, major: parsed.major, version: parsed.version };
}
