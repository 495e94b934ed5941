/**
 * Finds the Python used to create the project-managed environment: `$TSAPPLY_PYTHON`
 * when set, else `python3` (then `python`) on PATH. PySpark 4 needs Python 3.10+, and the
 * environment is made with `python -m venv`, so the `venv` and `ensurepip` modules must
 * be importable (Debian/Ubuntu ship them separately as `python3-venv`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MissingPrerequisiteError } from './errors.js';
import { findOnPath } from './which.js';

const execFileAsync = promisify(execFile);

export const MIN_PYTHON: readonly [number, number] = [3, 10];

const INSTALL_HINT =
  'Install Python 3.10 or newer with the venv module (e.g. "apt-get install python3 python3-venv", ' +
  '"brew install python@3.11", or https://www.python.org/downloads/), or point TSAPPLY_PYTHON at one.';

export interface PythonInfo {
  /** Absolute path of the interpreter used to create the venv. */
  python: string;
  /** `major.minor.micro`, e.g. `"3.11.7"`. */
  version: string;
  major: number;
  minor: number;
}

// Prints the version and fails (exit 3) when venv/ensurepip are missing.
const PROBE = [
  'import sys',
  'print("%d.%d.%d" % sys.version_info[:3])',
  'try:',
  '    import venv, ensurepip',
  'except ImportError as e:',
  '    print("NOVENV " + str(e)); sys.exit(3)',
].join('\n');

/** Locates Python 3.10+ with venv. Rejects with MissingPrerequisiteError. */
export async function detectPython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const explicit = env.TSAPPLY_PYTHON?.trim();
  const python = explicit || findOnPath('python3', env.PATH) || findOnPath('python', env.PATH);
  if (!python) {
    throw new MissingPrerequisiteError(
      `Python not found: there is no "python3" on PATH. The managed Spark server needs Python ${MIN_PYTHON.join('.')}+ for PySpark. ${INSTALL_HINT}`,
      { tool: 'python' },
    );
  }
  let stdout = '';
  let failed: Error | undefined;
  try {
    stdout = (await execFileAsync(python, ['-c', PROBE], { env: { ...env }, timeout: 60_000 })).stdout;
  } catch (e) {
    failed = e as Error;
    stdout = String((e as { stdout?: unknown }).stdout ?? '');
  }
  const m = /^(\d+)\.(\d+)\.(\d+)/m.exec(stdout);
  if (!m) {
    throw new MissingPrerequisiteError(
      `Python at ${python} could not be run (${failed?.message.split('\n')[0] ?? 'no version printed'}). ${INSTALL_HINT}`,
      { tool: 'python', found: python },
    );
  }
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const version = `${m[1]}.${m[2]}.${m[3]}`;
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new MissingPrerequisiteError(
      `Python ${version} at ${python} is too old: PySpark 4 needs Python ${MIN_PYTHON.join('.')} or newer. ${INSTALL_HINT}`,
      { tool: 'python', found: `python ${version} at ${python}` },
    );
  }
  const noVenv = /^NOVENV (.*)$/m.exec(stdout);
  if (noVenv) {
    throw new MissingPrerequisiteError(
      `Python ${version} at ${python} cannot create virtual environments (${noVenv[1]}). ${INSTALL_HINT}`,
      { tool: 'python', found: `python ${version} at ${python}` },
    );
  }
  return { python, version, major, minor };
}
