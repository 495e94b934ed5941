// Every error class tsapply exports: one constructor shape `(message, fields?, { cause }?)`,
// registered so deserializeError rebuilds it (class, code and fields survive JSON and
// structuredClone), and recognised by isTsapplyError and `X.is(e)` across copies of the
// library. The second copy is what a user's job bundle carries: the packages' error
// modules bundled by esbuild — minified without keepNames, so class names are mangled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import * as common from '@tsapply/common';
import * as bundler from '@tsapply/bundler';
import * as workerRuntime from '@tsapply/worker-runtime';
import * as sparkConnect from '@tsapply/spark-connect';
import * as sparkLocal from '@tsapply/spark-local';
import * as tsapply from 'tsapply';
import * as tsapplyErrors from '../../packages/tsapply/dist/errors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The modules that define error classes (dist), as one copy of tsapply would bundle them. */
const ERROR_MODULES = [
  'packages/common/dist/index.js',
  'bundler/dist/errors.js',
  'worker-runtime/dist/errors.js',
  'packages/spark-connect/dist/errors.js',
  'packages/spark-local/dist/errors.js',
  'packages/tsapply/dist/errors.js',
  'packages/tsapply/dist/spark/errors.js',
];

type Module = Record<string, unknown>;
type ErrorClass = (abstract new (...args: never[]) => Error) & { is(e: unknown): boolean; code: string; className: string };

/** One instance of each class, built from a copy of the library (`m`), with its expected code and fields. */
const CASES: { name: string; make: (m: Module) => Error; code: string; fields: Record<string, unknown> }[] = [
  { name: 'TsapplyError', make: (m) => new (m.TsapplyError as never as new (...a: unknown[]) => Error)('Arrow type Null has no Spark SQL equivalent.', { code: 'UNSUPPORTED_TYPE' }), code: 'UNSUPPORTED_TYPE', fields: {} },
  {
    name: 'InvalidOptionError',
    make: (m) => new (m.InvalidOptionError as never as new (...a: unknown[]) => Error)('options.workers must be a positive integer, got 0.', { option: 'workers' }),
    code: 'INVALID_OPTION',
    fields: { option: 'workers' },
  },
  {
    name: 'SchemaMismatchError',
    make: (m) => new (m.SchemaMismatchError as never as new (...a: unknown[]) => Error)('Column "a" expects bigint but row 3 has string "x".', { column: 'a', expected: 'bigint', actual: 'string "x"', rowIndex: 3, partition: 1 }),
    code: 'SCHEMA_MISMATCH',
    fields: { column: 'a', expected: 'bigint', actual: 'string "x"', rowIndex: 3, partition: 1 },
  },
  {
    name: 'ResultShapeError',
    make: (m) => new (m.ResultShapeError as never as new (...a: unknown[]) => Error)('Row 2 is number 5; each row must be an object like { name: value }.', { actual: 'number 5', rowIndex: 2, column: undefined, partition: 1 }),
    code: 'RESULT_SHAPE',
    fields: { actual: 'number 5', rowIndex: 2, column: undefined, partition: 1 },
  },
  { name: 'SchemaInferenceError', make: (m) => new (m.SchemaInferenceError as never as new (...a: unknown[]) => Error)('Cannot infer a type for column "b".', { column: 'b' }), code: 'SCHEMA_INFERENCE', fields: { column: 'b' } },
  {
    name: 'DDLParseError',
    make: (m) => new (m.DDLParseError as never as new (...a: unknown[]) => Error)('Unknown type "strin".', { ddl: 'a strin', position: 2, expected: 'a type' }),
    code: 'DDL_PARSE',
    fields: { ddl: 'a strin', position: 2, expected: 'a type' },
  },
  { name: 'SerializerError', make: (m) => new (m.SerializerError as never as new (...a: unknown[]) => Error)('Unknown serializer "json".', { serializerId: 'json' }), code: 'SERIALIZER', fields: { serializerId: 'json' } },
  { name: 'PayloadError', make: (m) => new (m.PayloadError as never as new (...a: unknown[]) => Error)('Payload truncated: expected 10 bytes, got 5.', { code: 'PAYLOAD_TRUNCATED' }), code: 'PAYLOAD_TRUNCATED', fields: {} },
  {
    name: 'UserCodeError',
    make: (m) => (m.UserCodeError as { fromFields(f: unknown): Error }).fromFields({ userMessage: 'boom', errorName: 'RangeError', location: { file: 'job.ts', line: 4, column: 9 }, userStack: 'RangeError: boom', partition: 2, group: 'g="a"' }),
    code: 'USER_CODE',
    fields: { userMessage: 'boom', errorName: 'RangeError', location: { file: 'job.ts', line: 4, column: 9 }, userStack: 'RangeError: boom', partition: 2, group: 'g="a"', phase: 'apply' },
  },
  {
    name: 'TaskTimeoutError',
    make: (m) => (m.TaskTimeoutError as { fromFields(f: unknown): Error }).fromFields({ partition: 1, timeoutMs: 2000, group: 'g="a"' }),
    code: 'TASK_TIMEOUT',
    fields: { partition: 1, timeoutMs: 2000, group: 'g="a"' },
  },
  {
    name: 'WorkerOutOfMemoryError',
    make: (m) => (m.WorkerOutOfMemoryError as { fromFields(f: unknown): Error }).fromFields({ partition: 0, heapLimitMb: 128 }),
    code: 'WORKER_OUT_OF_MEMORY',
    fields: { partition: 0, heapLimitMb: 128 },
  },
  {
    name: 'ImageError',
    make: (m) => new (m.ImageError as never as new (...a: unknown[]) => Error)('crop(): x must be a non-negative integer, got -1.', { reason: 'invalid-argument', origin: 'file:///data/a.png' }),
    code: 'IMAGE',
    fields: { reason: 'invalid-argument', origin: 'file:///data/a.png' },
  },
  {
    name: 'BundleError',
    make: (m) => (m.BundleError as { fromFields(f: unknown): Error }).fromFields({ entry: 'job.ts', problems: [{ kind: 'syntax', file: 'job.ts', line: 3, column: 1, text: 'Unexpected "}"' }] }),
    code: 'BUNDLE_FAILED',
    fields: { entry: 'job.ts', problems: [{ kind: 'syntax', file: 'job.ts', line: 3, column: 1, text: 'Unexpected "}"' }] },
  },
  {
    name: 'DisallowedImportError',
    make: (m) => (m.DisallowedImportError as { fromFields(f: unknown): Error }).fromFields({ entry: 'job.ts', problems: [{ kind: 'disallowed-import', file: 'job.ts', line: 1, column: 1, text: 'driver-only', specifier: 'esbuild' }] }),
    code: 'DISALLOWED_IMPORT',
    fields: { entry: 'job.ts', problems: [{ kind: 'disallowed-import', file: 'job.ts', line: 1, column: 1, text: 'driver-only', specifier: 'esbuild' }] },
  },
  {
    name: 'NativeAddonError',
    make: (m) => (m.NativeAddonError as { fromFields(f: unknown): Error }).fromFields({ addons: [{ name: 'lz4-napi', version: '2.10.0', reason: 'ships a .node binary' }], where: 'Spark executors' }),
    code: 'NATIVE_ADDON',
    fields: { addons: [{ name: 'lz4-napi', version: '2.10.0', reason: 'ships a .node binary' }], where: 'Spark executors' },
  },
  {
    name: 'TypecheckError',
    make: (m) =>
      (m.TypecheckError as { fromFields(f: unknown): Error }).fromFields({
        entry: 'job.ts',
        diagnostics: [{ file: 'job.ts', line: 1, column: 7, code: 2322, category: 'error', message: "Type 'string' is not assignable to type 'number'." }],
      }),
    code: 'TYPECHECK_FAILED',
    fields: { entry: 'job.ts', diagnostics: [{ file: 'job.ts', line: 1, column: 7, code: 2322, category: 'error', message: "Type 'string' is not assignable to type 'number'." }] },
  },
  {
    name: 'TsconfigError',
    make: (m) =>
      new (m.TsconfigError as never as new (...a: unknown[]) => Error)('Cannot type-check job.ts: tsconfig.json has 1 error.', {
        tsconfig: 'tsconfig.json',
        entry: 'job.ts',
        diagnostics: [{ file: 'tsconfig.json', line: 2, column: 5, code: 5023, category: 'error', message: "Unknown compiler option 'strictt'." }],
      }),
    code: 'INVALID_TSCONFIG',
    fields: { tsconfig: 'tsconfig.json', entry: 'job.ts', diagnostics: [{ file: 'tsconfig.json', line: 2, column: 5, code: 5023, category: 'error', message: "Unknown compiler option 'strictt'." }] },
  },
  { name: 'ProtocolError', make: (m) => new (m.ProtocolError as never as new (...a: unknown[]) => Error)('Unknown frame type 99 from the shim.', { frameType: 99 }), code: 'PROTOCOL', fields: { frameType: 99 } },
  { name: 'TruncatedFrameError', make: (m) => (m.TruncatedFrameError as { fromFields(f: unknown): Error }).fromFields({ expected: 5, got: 2 }), code: 'TRUNCATED_FRAME', fields: { expected: 5, got: 2 } },
  {
    name: 'SparkError',
    make: (m) =>
      (m.SparkError as { fromFields(f: unknown): Error }).fromFields({
        errorClass: 'PARSE_SYNTAX_ERROR',
        sqlState: '42601',
        errorId: 'e-1',
        messageParameters: { error: "'end of input'" },
        grpcCode: 13,
        errorTypeHierarchy: ['org.apache.spark.sql.catalyst.parser.ParseException'],
        serverMessage: "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601",
        causes: [],
      }),
    code: 'SPARK_ERROR',
    fields: {
      errorClass: 'PARSE_SYNTAX_ERROR',
      sqlState: '42601',
      errorId: 'e-1',
      messageParameters: { error: "'end of input'" },
      grpcCode: 13,
      errorTypeHierarchy: ['org.apache.spark.sql.catalyst.parser.ParseException'],
      serverMessage: '[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601',
      causes: [],
    },
  },
  {
    name: 'SparkConnectionError',
    make: (m) => new (m.SparkConnectionError as never as new (...a: unknown[]) => Error)('Cannot reach the Spark Connect server at localhost:1.', { address: 'localhost:1', attempts: 3, elapsedMs: 750 }),
    code: 'SPARK_CONNECTION',
    fields: { address: 'localhost:1', attempts: 3, elapsedMs: 750 },
  },
  { name: 'SparkUsageError', make: (m) => new (m.SparkUsageError as never as new (...a: unknown[]) => Error)('This SparkSession was stopped; create a new one with SparkSession.connect().'), code: 'SPARK_USAGE', fields: {} },
  {
    name: 'MissingPrerequisiteError',
    make: (m) => new (m.MissingPrerequisiteError as never as new (...a: unknown[]) => Error)('Java 11 is too old.', { tool: 'java', found: 'java 11.0.2 at /usr/bin/java' }),
    code: 'SPARK_LOCAL_PREREQUISITE',
    fields: { tool: 'java', found: 'java 11.0.2 at /usr/bin/java' },
  },
  {
    name: 'PythonEnvError',
    make: (m) => new (m.PythonEnvError as never as new (...a: unknown[]) => Error)('pip install failed.', { envDir: '/tmp/venv', outputTail: 'No space left on device' }),
    code: 'SPARK_LOCAL_PYTHON_ENV',
    fields: { envDir: '/tmp/venv', outputTail: 'No space left on device' },
  },
  { name: 'PortInUseError', make: (m) => (m.PortInUseError as { fromFields(f: unknown): Error }).fromFields({ port: 15002, pid: 42 }), code: 'SPARK_LOCAL_PORT_IN_USE', fields: { port: 15002, pid: 42 } },
  {
    name: 'SparkAlreadyRunningError',
    make: (m) => new (m.SparkAlreadyRunningError as never as new (...a: unknown[]) => Error)('A server is already running.', { pid: 42, address: 'sc://localhost:15002', port: 15002 }),
    code: 'SPARK_LOCAL_ALREADY_RUNNING',
    fields: { pid: 42, address: 'sc://localhost:15002', port: 15002 },
  },
  {
    name: 'SparkStartError',
    make: (m) => new (m.SparkStartError as never as new (...a: unknown[]) => Error)('The server exited with code 1 during start.', { reason: 'exited', exitStatus: 'code 1', log: '/tmp/s.log', logTail: 'boom' }),
    code: 'SPARK_LOCAL_START',
    fields: { reason: 'exited', exitStatus: 'code 1', log: '/tmp/s.log', logTail: 'boom' },
  },
  { name: 'InputError', make: (m) => new (m.InputError as never as new (...a: unknown[]) => Error)('Input "in.csv" does not exist.', { path: '/data/in.csv', format: 'csv' }), code: 'INPUT', fields: { path: '/data/in.csv', format: 'csv' } },
  {
    name: 'OutputError',
    make: (m) => new (m.OutputError as never as new (...a: unknown[]) => Error)('Output path "out" already exists.', { path: '/data/out', code: 'OUTPUT_EXISTS' }),
    code: 'OUTPUT_EXISTS',
    fields: { path: '/data/out' },
  },
  {
    name: 'UnsupportedSparkVersionError',
    make: (m) => new (m.UnsupportedSparkVersionError as never as new (...a: unknown[]) => Error)('The server runs Spark 3.5.1.', { serverVersion: '3.5.1' }),
    code: 'SPARK_VERSION_UNSUPPORTED',
    fields: { serverVersion: '3.5.1' },
  },
  {
    name: 'JobInterruptedError',
    make: (m) => new (m.JobInterruptedError as never as new () => Error)(),
    code: 'INTERRUPTED',
    fields: {},
  },
  {
    name: 'JobDefinitionError',
    make: (m) => new (m.JobDefinitionError as never as new (...a: unknown[]) => Error)('The job in job.ts has no apply() function: "apply" is a string.', { jobFile: 'job.ts', field: 'apply' }),
    code: 'JOB_DEFINITION',
    fields: { jobFile: 'job.ts', exportName: 'default', field: 'apply' },
  },
  {
    name: 'UnserializableContextError',
    make: (m) => new (m.UnserializableContextError as never as new (...a: unknown[]) => Error)('context.model.predict is a function.', { path: 'context.model.predict' }),
    code: 'UNSERIALIZABLE_CONTEXT',
    fields: { path: 'context.model.predict' },
  },
  {
    name: 'UnsupportedImageFormat',
    make: (m) => (m.UnsupportedImageFormat as { fromFields(f: unknown): Error }).fromFields({ formatName: 'GIF', hint: 'Convert the file' }),
    code: 'UNSUPPORTED_IMAGE_FORMAT',
    fields: { formatName: 'GIF', hint: 'Convert the file' },
  },
  { name: 'FunctionLocationError', make: (m) => (m.FunctionLocationError as { fromFields(f: unknown): Error }).fromFields({ problem: 'expected a function, got string' }), code: 'FUNCTION_LOCATION', fields: { problem: 'expected a function, got string' } },
  {
    name: 'ClosureCaptureError',
    make: (m) => new (m.ClosureCaptureError as never as new (...a: unknown[]) => Error)('Cannot ship the function to Spark: the arrow function at a.ts:3 captures model (an instance of class Model), declared at a.ts:1.', { variable: 'model', kind: 'an instance of class Model', declaredAt: 'a.ts:1' }),
    code: 'CLOSURE_CAPTURE',
    fields: { variable: 'model', kind: 'an instance of class Model', declaredAt: 'a.ts:1' },
  },
  { name: 'ExecutorSetupError', make: (m) => new (m.ExecutorSetupError as never as new (...a: unknown[]) => Error)('No node on the executors.', { reason: 'NODE_MISSING' }), code: 'EXECUTOR_SETUP', fields: { reason: 'NODE_MISSING', workerPythonVersion: undefined } },
  {
    name: 'WorkerCrashError',
    make: (m) => new (m.WorkerCrashError as never as new (...a: unknown[]) => Error)('The Node worker was killed by SIGKILL.', { pid: 42, exitCode: null, signal: 'SIGKILL', partition: 0, stderrTail: ['about to be killed'] }),
    code: 'WORKER_CRASHED',
    fields: { pid: 42, exitCode: null, signal: 'SIGKILL', partition: 0, stderrTail: ['about to be killed'] },
  },
];

/** This copy's classes by name: every package's public exports plus the tsapply package's internal errors. */
const ONE: Module = { ...tsapplyErrors, ...sparkLocal, ...sparkConnect, ...workerRuntime, ...bundler, ...tsapply, ...common };

let dir: string;
/** The second copy: the error modules bundled and minified, as a job bundle carries them. */
let two: Module;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsapply-error-copy-'));
  const result = await esbuild.build({
    stdin: { contents: ERROR_MODULES.map((p) => `export * from ${JSON.stringify(join(ROOT, p))};`).join('\n'), resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const file = join(dir, 'copy.mjs');
  writeFileSync(file, result.outputFiles[0]!.contents);
  two = (await import(pathToFileURL(file).href)) as Module;
});

after(() => rmSync(dir, { recursive: true, force: true }));

const cls = (m: Module, name: string): ErrorClass => m[name] as ErrorClass;

describe('error classes', () => {
  it('the table covers every error class the packages export', () => {
    const exported = new Set<unknown>();
    for (const m of [common, bundler, workerRuntime, sparkConnect, sparkLocal, tsapply, tsapplyErrors] as Module[]) {
      for (const v of Object.values(m)) {
        if (typeof v === 'function' && (v === common.TsapplyError || v.prototype instanceof common.TsapplyError)) exported.add(v);
      }
    }
    const covered = new Set(CASES.map((c) => ONE[c.name]));
    assert.deepEqual([...exported].filter((c) => !covered.has(c)).map((c) => (c as ErrorClass).name), []);
  });

  it('the deprecated option classes are InvalidOptionError itself (JobShapeError is JobDefinitionError), so instanceof keeps working', () => {
    assert.equal(sparkConnect.SparkConnectOptionError, common.InvalidOptionError);
    assert.equal(sparkLocal.SparkLocalOptionError, common.InvalidOptionError);
    assert.equal(workerRuntime.InvalidTaskError, common.InvalidOptionError);
    // The worker's job-shape class became the one class of the one job check.
    assert.equal(workerRuntime.JobShapeError, common.JobDefinitionError);
    assert.equal(tsapply.JobDefinitionError, common.JobDefinitionError);
    const e = new common.InvalidOptionError('options.port must be an integer from 1 to 65535, got 70000.', { option: 'port' });
    assert.ok(e instanceof sparkLocal.SparkLocalOptionError);
    assert.ok(sparkConnect.SparkConnectOptionError.is(e));
  });

  for (const c of CASES) {
    describe(c.name, () => {
      it('has its name, code and fields, and is registered under its name', () => {
        const e = c.make(ONE) as Error & { code: string };
        assert.equal(e.name, c.name);
        assert.equal(e.code, c.code);
        assert.equal(cls(ONE, c.name).className, c.name);
        // Own enumerable properties: `code` and the typed fields, nothing else.
        assert.deepEqual({ ...e }, { code: c.code, ...c.fields });
        assert.equal(common.registeredErrorClass(c.name), ONE[c.name]);
      });

      it('round-trips through serializeError/deserializeError (JSON and structuredClone) with class, code and fields', () => {
        const original = c.make(ONE) as Error & { code: string };
        for (const carried of [JSON.parse(JSON.stringify(common.serializeError(original))), structuredClone(common.serializeError(original))]) {
          const back = common.deserializeError(carried) as Error & { code: string };
          assert.equal(back.constructor, ONE[c.name]);
          assert.equal(back.name, c.name);
          assert.equal(back.message, original.message);
          assert.equal(back.code, c.code);
          assert.equal(back.stack, original.stack);
          assert.deepEqual({ ...back }, { ...original });
        }
      });

      it('keeps its cause', () => {
        const root = new Error('root cause');
        const e = c.make(ONE);
        Object.defineProperty(e, 'cause', { value: root, configurable: true, writable: true });
        const back = common.deserializeError(JSON.parse(JSON.stringify(common.serializeError(e))));
        assert.equal((back.cause as Error).message, 'root cause');
      });

      it('is recognised across copies by isTsapplyError and its class check, where instanceof fails', () => {
        const mine = c.make(ONE);
        const theirs = c.make(two);
        assert.equal(theirs.name, c.name, 'the name survives minification');
        assert.equal(theirs instanceof cls(ONE, c.name), false);
        assert.equal(common.isTsapplyError(theirs), true);
        assert.equal(cls(ONE, c.name).is(theirs), true);
        assert.equal(cls(two, c.name).is(mine), true);
        assert.equal((two.isTsapplyError as (e: unknown) => boolean)(mine), true);
        assert.equal(common.TsapplyError.is(theirs), true);
        assert.equal(common.InvalidOptionError.is(theirs), c.name === 'InvalidOptionError');
        assert.equal(cls(ONE, c.name).is(new Error(mine.message)), false);
        // The other copy's error, serialized there, is rebuilt here as this copy's class.
        const back = common.deserializeError((two.serializeError as (e: unknown) => unknown)(theirs)) as Error & { code: string };
        assert.equal(back.constructor, ONE[c.name]);
        assert.equal(back.code, c.code);
        assert.deepEqual({ ...back }, { code: c.code, ...c.fields });
      });
    });
  }

  it('X.is(e) holds for subclasses: a DisallowedImportError is a BundleError, not the other way round', () => {
    const disallowed = CASES.find((c) => c.name === 'DisallowedImportError')!.make(two);
    const plain = CASES.find((c) => c.name === 'BundleError')!.make(two);
    assert.equal(bundler.BundleError.is(disallowed), true);
    assert.equal(bundler.DisallowedImportError.is(plain), false);
    assert.equal(bundler.BundleError.is(common.deserializeError(common.serializeError(disallowed))), true);
  });

  it('an error from an older copy (base brand only) is compared by name', () => {
    const old = Object.assign(new Error('options.workers must be a positive integer, got 0.'), { name: 'InvalidOptionError', code: 'INVALID_OPTION' });
    Object.defineProperty(old, Symbol.for('tsapply.error'), { value: true });
    assert.equal(common.InvalidOptionError.is(old), true);
    assert.equal(common.SchemaMismatchError.is(old), false);
  });
});
