// Test harness for the executor path without Spark: real payloads (bundled with
// @tsapply/bundler, framed with @tsapply/common), the real worker bundle, the real
// pickle command and the real Python shim, driven by test/fixtures/process/drive_shim.py
// in a real Python with pyarrow. Not a test file itself.
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleJob } from '@tsapply/bundler';
import { encodePayload, parseDDL, payloadHash, serializers } from '@tsapply/common';
import type { PayloadMeta, Serializer } from '@tsapply/common';
import { ensurePythonEnv } from '@tsapply/spark-local';
import { buildShimCommand, shimModule, sparkSchemaJson } from '../../../packages/tsapply/dist/spark/pickle-command.js';
import type { ShimCommandSpec } from '../../../packages/tsapply/dist/spark/pickle-command.js';
import { buildWorkerBundle } from '../../../packages/tsapply/dist/spark/worker-bundle.js';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'process');
export const DRIVER = join(FIXTURES, 'drive_shim.py');
export const SHIM_SOURCE = join(ROOT, 'worker-runtime', 'python', 'tsapply_shim.py');

/**
 * Loads the real shim module in `python` (stdlib only at import) as `shim`, runs `code`
 * and returns what it prints as JSON. For the shim's own functions, without a job.
 */
export function fromShim(code: string, python = process.env.TSAPPLY_TEST_PYTHON ?? 'python3', env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const program = [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("tsapply_shim_check", sys.argv[1])',
    'shim = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(shim)',
    code,
  ].join('\n');
  const r = spawnSync(python, ['-c', program, SHIM_SOURCE], { encoding: 'utf8', env });
  assert.equal(r.error, undefined, `cannot run ${python}: ${String(r.error)}`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/**
 * The Python to drive the shim with: $TSAPPLY_TEST_PYTHON when set, else the managed
 * venv of @tsapply/spark-local (pyspark + pyarrow; the Spark tests need it anyway).
 * Undefined (with the reason) only when no Python 3 exists on this machine.
 */
export async function testPython(): Promise<{ python: string } | { skip: string }> {
  const fromEnv = process.env.TSAPPLY_TEST_PYTHON;
  if (fromEnv) return { python: fromEnv };
  try {
    const env = await ensurePythonEnv({ onProgress: (line) => process.stderr.write(`${line}\n`) });
    return { python: env.python };
  } catch (e) {
    if ((e as { code?: string; tool?: string }).code === 'SPARK_LOCAL_PREREQUISITE' && (e as { tool?: string }).tool === 'python') return { skip: `no Python 3 here: ${(e as Error).message}` };
    throw e;
  }
}

export interface JobFiles {
  /** Absolute path of the pickled command for this job. */
  command: string;
  payloadFile: string;
  payloadHash: string;
}

/**
 * A folder laid out like an executor's SparkFiles dir: the shim module, the worker
 * bundle and one payload per job, each under its artifact name.
 */
export class ShimWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'tsapply-shim-'));
  worker: { file: string; sha256: string } | undefined;
  private jobs = 0;

  async init(): Promise<this> {
    const shim = shimModule();
    writeFileSync(join(this.dir, shim.fileName), shim.source);
    const bundle = await buildWorkerBundle();
    copyFileSync(bundle.path, join(this.dir, bundle.fileName));
    this.worker = { file: join(this.dir, bundle.fileName), sha256: bundle.sha256 };
    return this;
  }

  /** Bundles a fixture job, writes its payload and a command for it. */
  async addJob(
    fixture: string,
    schema: string,
    opts: { mode?: 'map' | 'grouped'; groupColumns?: string[]; relativeNames?: boolean; workerSha256?: string; serializer?: Serializer; context?: unknown; nodeOptions?: ShimCommandSpec['nodeOptions'] } = {},
  ): Promise<JobFiles> {
    const bundle = await bundleJob(join(FIXTURES, fixture));
    const meta: PayloadMeta = {
      kind: 'job',
      exportName: 'default',
      schema,
      groupBy: opts.groupColumns ?? null,
      batchSize: null,
      sourceFile: bundle.entry,
      tsapplyVersion: '0.1.0',
    };
    const bytes = encodePayload(
      { meta, bundle: bundle.code, sourceMap: bundle.sourceMap, context: opts.context ?? null },
      opts.serializer ?? serializers.fast,
    );
    const hash = payloadHash(bytes);
    const payloadFile = `tsapply-payload-${hash.slice(0, 16)}.bin`;
    writeFileSync(join(this.dir, payloadFile), bytes);
    const command = join(this.dir, `command-${++this.jobs}-${fixture.replace(/\W/g, '_')}.pkl`);
    const worker = this.worker!;
    writeFileSync(
      command,
      buildShimCommand({
        mode: opts.mode ?? 'map',
        payload: { file: opts.relativeNames ? payloadFile : join(this.dir, payloadFile), sha256: hash },
        worker: {
          file: opts.relativeNames ? worker.file.slice(this.dir.length + 1) : worker.file,
          sha256: opts.workerSha256 ?? worker.sha256,
        },
        schemaDDL: schema,
        schemaJson: sparkSchemaJson(parseDDL(schema)),
        groupColumns: opts.groupColumns ?? [],
        ...(opts.nodeOptions ? { nodeOptions: opts.nodeOptions } : {}),
      }),
    );
    return { command, payloadFile, payloadHash: hash };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type InputSpec =
  | { kind: 'rows'; schema: [string, string][]; rows: unknown[][]; batchRows?: number }
  | { kind: 'range'; rows: number; batchRows: number };

export interface Step {
  command: string;
  partition?: number;
  input: InputSpec;
  collect?: 'rows' | 'summary';
  measureRss?: boolean;
  killAfterOutputBatches?: number;
  stopAfterOutputBatches?: number;
}

export interface StepResult {
  ok: boolean;
  callable: boolean;
  returnType: string | null;
  errorType?: string;
  message?: string;
  schema?: string;
  rows?: Record<string, unknown>[];
  rowsOut: number;
  seconds: number;
  maxRssKb?: number;
  pid: number | null;
  /** Bytes the pipes to and from the worker hold (Linux), as the kernel reports them after the step. */
  pipeBytes?: [number, number];
}

/** Runs the steps in one Python process (so one Node worker serves them all). */
export function runDriver(
  python: string,
  shimDir: string,
  steps: Step[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<{ results: StepResult[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER], {
      cwd: opts.cwd ?? shimDir,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`drive_shim.py exited with ${signal ?? code}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      const results = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as StepResult);
      resolve({ results, stderr });
    });
    child.stdin.end(JSON.stringify({ shimDir, steps }));
  });
}

/** The user-facing first line of a shim exception message (the marker line follows it). */
export function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0];
}

/** The JSON after the `tsapply-error: ` marker line. */
export function markerJson(message: string | undefined): Record<string, unknown> {
  const line = (message ?? '').split('\n').find((l) => l.startsWith('tsapply-error: '));
  if (line === undefined) throw new Error(`no tsapply-error marker in: ${message}`);
  return JSON.parse(line.slice('tsapply-error: '.length)) as Record<string, unknown>;
}
