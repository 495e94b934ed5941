/**
 * The project-managed Python environment that provides Spark itself.
 *
 * PyPI's `pyspark` wheel carries Spark's jars (the Connect server included) and
 * `bin/spark-submit`, so a venv with pyspark is a complete local Spark. It lives at
 * `<cacheDir()>/spark/<version>/venv` and is created on first use:
 *
 *   python3 -m venv …/venv
 *   …/venv/bin/python -m pip install pyspark==<version> pyarrow pandas grpcio …
 *
 * `ready.json` beside the venv is written only after everything succeeded, so an
 * environment half-made by a killed process is rebuilt from scratch. A lock file keeps
 * concurrent processes from building it twice; the second one waits and reuses it.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '@tsapply/common';
import { PythonEnvError } from './errors.js';
import { acquireFileLock } from './file-lock.js';
import { detectPython } from './python.js';
import { isLimitedSparkVersion, resolveSparkVersion } from './spark-version.js';

const execFileAsync = promisify(execFile);

/**
 * Installed beside pyspark: pyarrow + pandas for Arrow/pandas UDFs on executors, and the
 * dependencies of PySpark's own Connect client (grpcio, grpcio-status,
 * googleapis-common-protos, zstandard) so tests and benchmarks can compare against it.
 */
export const EXTRA_PYTHON_PACKAGES: readonly string[] = [
  'pyarrow',
  'pandas',
  'grpcio',
  'grpcio-status',
  'googleapis-common-protos',
  'zstandard',
];

/**
 * What pip installs for `sparkVersion`. PySpark 3.5 predates NumPy 2 and pandas 2.3 (its
 * pandas conversions use what they removed), and pyarrow 19+ needs NumPy 2: a 3.5
 * environment gets the newest releases that still fit together.
 */
export function pythonPackagesFor(sparkVersion: string): string[] {
  const pins: Record<string, string> = isLimitedSparkVersion(sparkVersion) ? { numpy: 'numpy<2', pandas: 'pandas<2.3', pyarrow: 'pyarrow<19' } : {};
  const extras = EXTRA_PYTHON_PACKAGES.map((p) => pins[p] ?? p);
  if (pins.numpy) extras.push(pins.numpy);
  return [`pyspark==${sparkVersion}`, ...extras];
}

/** A ready environment. */
export interface PythonEnv {
  sparkVersion: string;
  /** The venv directory. */
  venvDir: string;
  /** The venv's interpreter: give it to executors as PYSPARK_PYTHON. */
  python: string;
  /** `major.minor` of that interpreter (what Spark's `python_ver` must equal). */
  pythonVersion: string;
  /** The installed pyspark package directory; it is a complete SPARK_HOME (bin/, jars/). */
  sparkHome: string;
  /** Path of the Spark Connect server jar inside `sparkHome/jars`, if pip shipped one. */
  connectJar: string | undefined;
  /** When the environment was completed (ISO 8601). */
  createdAt: string;
}

export interface EnsurePythonEnvOptions {
  /** @default DEFAULT_SPARK_VERSION (or $TSAPPLY_SPARK_VERSION) */
  sparkVersion?: string;
  /** Receives progress lines (steps and pip's own output). @default writes to stderr */
  onProgress?: (line: string) => void;
}

/** Where the environment for `sparkVersion` lives (whether or not it exists yet). */
export function pythonEnvDir(sparkVersion: string): string {
  return join(cacheDir(), 'spark', sparkVersion);
}

/** Reads the marker of a complete environment; undefined when it is missing or half-made. */
export function readPythonEnv(sparkVersion: string): PythonEnv | undefined {
  const marker = join(pythonEnvDir(sparkVersion), 'ready.json');
  try {
    const env = JSON.parse(readFileSync(marker, 'utf8')) as PythonEnv;
    if (env.sparkVersion === sparkVersion && existsSync(env.python) && existsSync(join(env.sparkHome, 'bin', 'spark-submit'))) {
      return env;
    }
  } catch {
    // no marker: not ready
  }
  return undefined;
}

/** Returns the environment for the version, creating it first if needed. */
export async function ensurePythonEnv(options: EnsurePythonEnvOptions = {}): Promise<PythonEnv> {
  const sparkVersion = resolveSparkVersion(options.sparkVersion);
  const progress = options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ready = readPythonEnv(sparkVersion);
  if (ready) return ready;

  const baseDir = pythonEnvDir(sparkVersion);
  const release = await acquireFileLock(join(baseDir, 'create.lock'), {
    onWait: (pid) =>
      progress(`[spark-local] Another process (pid ${pid ?? '?'}) is creating the Python environment for Spark ${sparkVersion}; waiting for it…`),
  });
  try {
    // The other process may have finished it while we waited.
    const made = readPythonEnv(sparkVersion);
    if (made) return made;
    return await createPythonEnv(sparkVersion, baseDir, progress);
  } finally {
    release();
  }
}

async function createPythonEnv(sparkVersion: string, baseDir: string, progress: (line: string) => void): Promise<PythonEnv> {
  const started = Date.now();
  const venvDir = join(baseDir, 'venv');
  const base = await detectPython();
  rmSync(join(baseDir, 'ready.json'), { force: true });
  if (existsSync(venvDir)) {
    progress(`[spark-local] Removing incomplete Python environment ${venvDir}`);
    rmSync(venvDir, { recursive: true, force: true });
  }
  mkdirSync(baseDir, { recursive: true });
  progress(`[spark-local] Creating Python environment for Spark ${sparkVersion} at ${venvDir} (Python ${base.version}, first use only)`);
  await run(base.python, ['-m', 'venv', venvDir], venvDir, progress);
  const python = join(venvDir, 'bin', 'python');
  const packages = pythonPackagesFor(sparkVersion);
  progress(`[spark-local] pip install ${packages.join(' ')} (pyspark is ~450 MB; this takes a few minutes the first time)`);
  await run(
    python,
    ['-m', 'pip', 'install', '--progress-bar', 'off', '--disable-pip-version-check', ...packages],
    venvDir,
    (line) => progress(`[spark-local]   ${line}`),
  );
  const probe = await execFileAsync(python, [
    '-c',
    'import os, sys, pyspark, pyarrow; print(os.path.dirname(pyspark.__file__)); print(pyspark.__version__); print("%d.%d" % sys.version_info[:2])',
  ]);
  const [sparkHome, installed, pythonVersion] = probe.stdout.trim().split('\n');
  if (!sparkHome || installed !== sparkVersion || !pythonVersion) {
    throw new PythonEnvError(
      `The Python environment at ${venvDir} has pyspark ${installed ?? '?'} instead of ${sparkVersion}. Delete ${baseDir} and try again.`,
      { envDir: venvDir },
    );
  }
  const jarsDir = join(sparkHome, 'jars');
  const connectJar = readdirSync(jarsDir).find((f) => /^spark-connect_[\d.]+-.*\.jar$/.test(f));
  const env: PythonEnv = {
    sparkVersion,
    venvDir,
    python,
    pythonVersion,
    sparkHome,
    connectJar: connectJar ? join(jarsDir, connectJar) : undefined,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(baseDir, 'ready.json'), `${JSON.stringify(env, null, 2)}\n`);
  progress(`[spark-local] Python environment ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return env;
}

/** Runs a command, streaming its output lines to `onLine`; rejects with the output tail. */
function run(cmd: string, args: string[], envDir: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    const tail: string[] = [];
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => reject(new PythonEnvError(`Could not run ${cmd}: ${e.message}`, { envDir })));
    child.on('close', (code, signal) => {
      if (partial.trim()) tail.push(partial);
      if (code === 0) return resolve();
      const outputTail = tail.join('\n');
      reject(
        new PythonEnvError(
          `Creating the Python environment at ${envDir} failed: "${[cmd, ...args].join(' ')}" exited with ${signal ?? `code ${code}`}.\n` +
            `Last output:\n${outputTail}\nFix the cause (network access to PyPI, disk space, Python's venv module) and run again; the half-made environment is rebuilt automatically.`,
          { envDir, outputTail },
        ),
      );
    });
  });
}
