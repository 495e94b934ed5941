/**
 * Turns a failed Spark job back into the error the user should see.
 *
 * When the shim fails a task it raises a Python exception whose text ends with a
 * marker line `tsapply-error: {json}` (the serialized tsapply error: name, code,
 * message, fields, stack). Spark wraps it in its own layers (`PythonException`, the
 * task-failure and job-abort messages), and the client receives the whole traceback
 * through FetchErrorDetails. This module finds the marker in that text and rebuilds
 * the original error — a `UserCodeError` with the user's message, the ORIGINAL .ts
 * file:line and the partition; a `ResultShapeError` or a `SchemaMismatchError` with the
 * partition; a `WorkerCrashError` with exit status and stderr tail; an
 * `ExecutorSetupError` — instead of "Python worker failed".
 *
 * Problems Spark's own Python worker hits before the shim runs (no pyarrow, wrong
 * Python) have no marker and are recognised by their text.
 */
import { existsSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import { deserializeError, UserCodeError, type SerializedError } from '@tsapply/common';
import { ExecutorSetupError, WorkerCrashError } from './errors.js';

const MARKER = /tsapply-error: (\{.*\})\s*$/m;

/** What the driver knows to re-anchor source paths (`examples/x.ts`) to the user's cwd. */
export interface TranslateContext {
  /** Folder the bundle's source paths are relative to (`JobBundle.sourceRoot`). */
  sourceRoot?: string;
  /** The user's working directory. @default process.cwd() */
  cwd?: string;
}

/** Every text Spark returned about an error: the full message and its chained causes. */
function errorTexts(e: unknown): string[] {
  const err = e as { serverMessage?: unknown; message?: unknown; causes?: unknown };
  const texts: string[] = [];
  if (typeof err?.serverMessage === 'string') texts.push(err.serverMessage);
  if (typeof err?.message === 'string') texts.push(err.message);
  if (Array.isArray(err?.causes)) for (const c of err.causes) if (typeof c === 'string') texts.push(c);
  return texts;
}

/** The shim's marker JSON in `text`, if any (Python's json.dumps keeps it on one line). */
export function findMarker(text: string): Record<string, unknown> | undefined {
  const m = MARKER.exec(text);
  if (!m) return undefined;
  try {
    const value = JSON.parse(m[1]!) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Problems of the executor's Python environment that Spark's worker reports before
 * tsapply's shim runs. Returns one clear error, or undefined.
 */
export function executorSetupProblem(text: string): ExecutorSetupError | undefined {
  if (/No module named '?pyarrow'?/.test(text)) {
    return new ExecutorSetupError(
      "The Spark executors' Python cannot import pyarrow, which mapInArrow needs. Install it in the executors' Python (pip install pyarrow), the one PYSPARK_PYTHON points to.",
      { reason: 'PYARROW_MISSING' },
    );
  }
  if (/No module named '?pyspark'?/.test(text)) {
    return new ExecutorSetupError(
      "The Spark executors' Python cannot import pyspark. Point PYSPARK_PYTHON at a Python with pyspark and pyarrow installed.",
      { reason: 'PYSPARK_MISSING' },
    );
  }
  if (/No module named '?tsapply_shim_/.test(text)) {
    return new ExecutorSetupError(
      "The Spark executors could not import tsapply's Python shim (a pyfiles/ session artifact). The session may have been reset; run the job again.",
      { reason: 'ARTIFACT_MISSING' },
    );
  }
  return undefined;
}

/** `PYTHON_VERSION_MISMATCH` after the probe (e.g. a wrong TSAPPLY_PYTHON_VER). */
function pythonMismatch(text: string, pythonVer: string | undefined): ExecutorSetupError | undefined {
  if (!text.includes('PYTHON_VERSION_MISMATCH')) return undefined;
  const found = workerVersionFromMismatch(text);
  const worker = found ?? 'another version';
  return new ExecutorSetupError(
    `The Spark executors run Python ${worker}, but the job was planned for Python ${pythonVer ?? '(unknown)'}. ` +
      `Unset TSAPPLY_PYTHON_VER to let tsapply detect the version, or set it to ${worker}.`,
    { reason: 'PYTHON_VERSION_MISMATCH', workerPythonVersion: found },
  );
}

/** Parses the worker's version out of a `[PYTHON_VERSION_MISMATCH]` message. */
export function workerVersionFromMismatch(message: string): string | undefined {
  const m = /worker has different version:?\s*\(?(\d+),\s*(\d+)\)?/.exec(message) ?? /worker has different version:?\s*(\d+)\.(\d+)/.exec(message);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** Source roots of bundles shipped by this process, newest last (for errors met in plain DataFrame actions). */
const sourceRoots: string[] = [];

/** Remembers a bundle's source root so a later error can be shown relative to the cwd. */
export function registerSourceRoot(root: string): void {
  const i = sourceRoots.indexOf(root);
  if (i >= 0) sourceRoots.splice(i, 1);
  sourceRoots.push(root);
}

function reanchor(file: string, ctx: TranslateContext): string {
  if (isAbsolute(file) || file.startsWith('node:')) return file;
  const root = ctx.sourceRoot ?? [...sourceRoots].reverse().find((r) => existsSync(resolve(r, file)));
  if (root === undefined) return file;
  const rel = relative(ctx.cwd ?? process.cwd(), resolve(root, file));
  return rel.split('\\').join('/');
}

/**
 * Error class names by code. Every tsapply class names itself by its declared
 * `className`, but a user bundle may carry a minified older copy of tsapply whose
 * errors report mangled names; their code is reliable.
 */
const NAME_BY_CODE: Record<string, string> = {
  USER_CODE: 'UserCodeError',
  SCHEMA_MISMATCH: 'SchemaMismatchError',
  RESULT_SHAPE: 'ResultShapeError',
  JOB_DEFINITION: 'JobDefinitionError',
  SCHEMA_INFERENCE: 'SchemaInferenceError',
  DDL_PARSE: 'DDLParseError',
  SERIALIZER: 'SerializerError',
};

function fromMarker(details: Record<string, unknown>, ctx: TranslateContext): Error {
  const code = typeof details.code === 'string' ? details.code : undefined;
  const name = (code !== undefined ? NAME_BY_CODE[code] : undefined) ?? (code?.startsWith('PAYLOAD') ? 'PayloadError' : String(details.name ?? 'Error'));
  const message = String(details.message ?? 'tsapply task failed');
  if (name === 'ExecutorSetupError') {
    // The shim sends the reason (`PYARROW_MISSING`, …) beside the class's code.
    return new ExecutorSetupError(message, { reason: typeof details.reason === 'string' ? details.reason : (code ?? 'EXECUTOR_SETUP') });
  }
  if (name === 'WorkerCrashError') {
    return new WorkerCrashError(message, {
      pid: typeof details.pid === 'number' ? details.pid : undefined,
      exitCode: typeof details.exitCode === 'number' ? details.exitCode : null,
      signal: typeof details.signal === 'string' ? details.signal : null,
      partition: typeof details.partition === 'number' ? details.partition : undefined,
      stderrTail: Array.isArray(details.stderrTail) ? details.stderrTail.map(String) : [],
    });
  }
  const fields = (typeof details.fields === 'object' && details.fields !== null ? details.fields : {}) as Record<string, unknown>;
  const serialized: SerializedError = {
    __tsapplyError: 1,
    tsapply: code !== undefined,
    name,
    message,
    ...(code !== undefined ? { code } : {}),
    ...(typeof details.stack === 'string' ? { stack: details.stack } : {}),
    fields,
  };
  const err = deserializeError(serialized);
  if (err instanceof UserCodeError && err.location !== undefined) {
    // Rebuild so the message shows the path relative to the user's cwd.
    const location = { ...err.location, file: reanchor(err.location.file, ctx) };
    const rebuilt = UserCodeError.fromFields({
      userMessage: err.userMessage,
      errorName: err.errorName,
      location,
      ...(err.userStack !== undefined ? { userStack: err.userStack } : {}),
      ...(err.partition !== undefined ? { partition: err.partition } : {}),
      ...(err.group !== undefined ? { group: err.group } : {}),
      phase: err.phase,
    });
    if (err.stack !== undefined) Object.defineProperty(rebuilt, 'stack', { value: err.stack, configurable: true, writable: true });
    return rebuilt;
  }
  return err;
}

/**
 * The error to show for a failed Spark job: the rebuilt tsapply error when the text
 * holds the shim's marker or a known executor problem, else `e` unchanged (a
 * `SparkError` keeps its errorClass/sqlState). The original is kept as `cause`.
 */
export function translateSparkError(e: unknown, ctx: TranslateContext = {}, pythonVer?: string): unknown {
  const texts = errorTexts(e);
  for (const text of texts) {
    const details = findMarker(text);
    if (details) {
      const err = fromMarker(details, ctx);
      if (err.cause === undefined) Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
      return err;
    }
  }
  for (const text of texts) {
    const problem = executorSetupProblem(text) ?? pythonMismatch(text, pythonVer);
    if (problem) {
      Object.defineProperty(problem, 'cause', { value: e, configurable: true, writable: true });
      return problem;
    }
  }
  return e;
}
