/**
 * The PySpark process that shares a suite's Spark server (`../lib/spark-target.ts`): one
 * long-lived Python process (`pyspark_variants.py` for the Spark suite, the UDF suite's
 * `udf_variants.py`) answering one JSON command per line, so its runs interleave with
 * tsapply's in the same run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** A command for the variants script (see the docstring of `pyspark_variants.py`). */
export interface PySparkCommand {
  op: 'check' | 'time';
  workload: string;
  variant: string;
  rows: number;
  partitions: number;
  input: string[];
  schema: string;
  checksum: string[];
  /** What else the script's variants take (the UDF suite: UDF input columns, context). */
  [more: string]: unknown;
}

export interface PySparkAnswer {
  ms: number;
  checksums?: Record<string, string>;
}

/** The long-lived PySpark process. */
export class PySparkProcess {
  versions: Record<string, string> = {};
  private readonly lines: AsyncIterator<string>;
  private stderrTail = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderrTail = (this.stderrTail + d).slice(-4000)));
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** Starts `script` (default: the Spark suite's `pyspark_variants.py`) against `remote`. */
  static async start(python: string, remote: string, script = join(HERE, 'pyspark_variants.py')): Promise<PySparkProcess> {
    const child = spawn(python, [script, '--remote', remote], { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    const p = new PySparkProcess(child);
    const hello = JSON.parse(await p.nextLine()) as { versions: Record<string, string> };
    p.versions = hello.versions;
    return p;
  }

  private async nextLine(): Promise<string> {
    const next = await this.lines.next();
    if (next.done) throw new Error(`The PySpark variants script exited. Last output:\n${this.stderrTail}`);
    return next.value;
  }

  /** Runs one command; rejects with the Python error when it failed. */
  async run(cmd: PySparkCommand): Promise<PySparkAnswer> {
    this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const answer = JSON.parse(await this.nextLine()) as PySparkAnswer & { ok: boolean; error?: string };
    if (!answer.ok) throw new Error(`PySpark ${cmd.workload}/${cmd.variant} failed: ${answer.error}`);
    return answer;
  }

  /** Closes stdin (the script stops its session and exits); kills it if it lingers. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
