/**
 * The bad-input census (issue 14, item 7): what a hurried user types wrong, through the
 * CLI, in a job file and through the library, each with the exact first line of what
 * they are told. test/census/bad-inputs.test.ts runs every case in a fresh folder and
 * asserts the message and that nothing was written; test/census/print-table.ts prints
 * the README's troubleshooting table from the same list.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSparkConnect } from '@tsapply/spark-local';
import { runJob, runJobOnSpark, SparkSession } from 'tsapply';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'packages/tsapply/bin/tsapply.js');
/** A fixture job, as a path from the repository's root. */
const FIXTURE = (name: string) => `test/fixtures/tsapply/jobs/${name}.ts`;

/** A job file that works, for cases whose mistake is elsewhere. */
const GOOD_JOB = `import { defineJob } from 'tsapply';
export default defineJob({ input: { range: 10 }, schema: 'id bigint', apply: (batch) => [...batch].map((r) => ({ id: r.id as bigint })) });
`;

/** A job file with `fields` added to a working job (the mistake under test). */
const jobWith = (fields: string) => `import { defineJob } from 'tsapply';
export default defineJob({ input: { range: 10 }, schema: 'id bigint', apply: (batch) => [...batch].map((r) => ({ id: r.id as bigint })), ${fields} });
`;

export interface Case {
  where: 'CLI' | 'job file' | 'library';
  /** What the user did, as they would describe it. */
  input: string;
  /** Runs the case in `dir` (a fresh, empty folder, also the working folder of CLI runs); resolves to the first line the user is shown. */
  run(dir: string): Promise<string>;
  /** The exact first line; `{dir}` stands for the case's folder, `{root}` for the repository's. */
  message: string;
}

/**
 * `tsapply <args>` in `dir` with `files` written there first (and removed after, so the
 * folder must be empty again); the first line of stderr (the process must exit 1).
 */
function cli(args: string[], files: Record<string, string> = {}) {
  return async (dir: string): Promise<string> => runCli(args, dir, files);
}

/** `tsapply <args>` from the repository (for the fixture jobs under test/fixtures). */
function cliInRepo(args: string[]) {
  return async (): Promise<string> => runCli(args, ROOT, {});
}

function runCli(args: string[], cwd: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, SPARK_REMOTE: '' } });
    if (r.status !== 1) throw new Error(`expected exit code 1, got ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stderr.split('\n')[0]!;
  } finally {
    for (const name of Object.keys(files)) rmSync(join(cwd, name));
  }
}

/** A library call that must reject; the first line of its message. */
function lib(call: (dir: string) => Promise<unknown>) {
  return async (dir: string): Promise<string> => {
    try {
      await call(dir);
    } catch (e) {
      return String((e as Error).message).split('\n')[0]!;
    }
    throw new Error('expected the call to fail');
  };
}

const quiet = { quiet: true, typecheck: false } as const;

/** Runs `call` as a user without SPARK_REMOTE in the environment (the test runner sets it). */
async function withoutSparkRemote<T>(call: () => Promise<T>): Promise<T> {
  const saved = process.env.SPARK_REMOTE;
  delete process.env.SPARK_REMOTE;
  try {
    return await call();
  } finally {
    if (saved !== undefined) process.env.SPARK_REMOTE = saved;
  }
}

export const CASES: Case[] = [
  // The CLI
  { where: 'CLI', input: '`--workers 0`', run: cli(['run', 'job.ts', '--workers', '0'], { 'job.ts': GOOD_JOB }), message: 'tsapply: --workers must be a positive integer, got "0"' },
  { where: 'CLI', input: '`--format xml`', run: cli(['run', 'job.ts', '--format', 'xml'], { 'job.ts': GOOD_JOB }), message: 'tsapply: --format must be one of parquet, csv, jsonl, arrow, got "xml"' },
  { where: 'CLI', input: '`--show -3`', run: cli(['run', 'job.ts', '--show', '-3'], { 'job.ts': GOOD_JOB }), message: 'tsapply: --show must be a non-negative integer, got "-3"' },
  {
    where: 'CLI',
    input: '`--workers` with `--remote`',
    run: cli(['run', 'job.ts', '--remote', 'sc://localhost:1', '--workers', '2'], { 'job.ts': GOOD_JOB }),
    message:
      'tsapply: --workers applies to the embedded engine only; with --remote the cluster decides how many tasks run at once (spark.executor.instances and spark.executor.cores). Remove --workers or --remote.',
  },
  {
    where: 'CLI',
    input: '`--python-ver` without `--remote`',
    run: cli(['run', 'job.ts', '--python-ver', '3.11'], { 'job.ts': GOOD_JOB }),
    message: "tsapply: --python-ver applies to Spark runs only (the executors' Python; the embedded engine runs no Python). Add --remote or remove --python-ver.",
  },
  {
    where: 'CLI',
    input: '`--executor-node ship` without `--remote`',
    run: cli(['run', 'job.ts', '--executor-node', 'ship'], { 'job.ts': GOOD_JOB }),
    message: "tsapply: --executor-node applies to Spark runs only (the executors' Node; the embedded engine runs this process's own). Add --remote or remove --executor-node.",
  },
  {
    where: 'CLI',
    input: '`--executor-node node` (a relative path)',
    run: cli(['run', 'job.ts', '--remote', 'sc://localhost:1', '--executor-node', 'node'], { 'job.ts': GOOD_JOB }),
    message:
      "tsapply: --executor-node must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got \"node\". A relative path would be resolved in each executor's working folder; give an absolute one.",
  },
  {
    where: 'CLI',
    input: '`--executor-node-version 18`',
    run: cli(['run', 'job.ts', '--remote', 'sc://localhost:1', '--executor-node-version', '18'], { 'job.ts': GOOD_JOB }),
    message: 'tsapply: --executor-node-version must be a Node.js version 20 or newer, as a major (24), major.minor (24.19) or exact version (24.19.0); got "18".',
  },
  {
    where: 'CLI',
    input: '`--show 5` with `--output`',
    run: cli(['run', 'job.ts', '--output', 'out', '--show', '5'], { 'job.ts': GOOD_JOB }),
    message: 'tsapply: --show sets how many rows are printed when there is no output; with --output the rows go to files. Remove --show or --output.',
  },
  { where: 'CLI', input: '`--task-timeout soon`', run: cli(['run', 'job.ts', '--task-timeout', 'soon'], { 'job.ts': GOOD_JOB }), message: 'tsapply: --task-timeout must be a positive number of seconds, such as 30 or 2.5, got "soon"' },
  {
    where: 'CLI',
    input: '`--worker-memory 1k`',
    run: cli(['run', 'job.ts', '--worker-memory', '1k'], { 'job.ts': GOOD_JOB }),
    message: "tsapply: --worker-memory must be a memory size of at least 64 MB, as megabytes (2048) or with a unit ('512m', '2g'); got the string \"1k\".",
  },
  { where: 'CLI', input: 'a job file that does not exist', run: cli(['run', 'jbo.ts']), message: "tsapply: Cannot bundle jbo.ts: file not found (resolved to {dir}/jbo.ts)." },
  {
    where: 'CLI',
    input: 'a job file name mistyped (`job.ts` is there)',
    run: cli(['run', 'jbo.ts'], { 'job.ts': GOOD_JOB }),
    message: 'tsapply: Cannot bundle jbo.ts: file not found (resolved to {dir}/jbo.ts). Did you mean job.ts?',
  },
  { where: 'CLI', input: '`--output ""`', run: cli(['run', 'job.ts', '--output', ''], { 'job.ts': GOOD_JOB }), message: 'tsapply: output must be a non-empty path, e.g. out/result.' },
  { where: 'CLI', input: '`--output . --overwrite` (the current folder)', run: cli(['run', 'job.ts', '--output', '.', '--overwrite'], { 'job.ts': GOOD_JOB }), message: "tsapply: Refusing to write the output to \"{dir}\": it is the current folder, and writing there replaces the whole folder (with overwrite, everything in it would be deleted). Choose a new folder for the results, e.g. --output out/result." },
  { where: 'CLI', input: '`--output / --overwrite`', run: cli(['run', 'job.ts', '--output', '/', '--overwrite'], { 'job.ts': GOOD_JOB }), message: "tsapply: Refusing to write the output to \"/\": it is the root of the file system, and writing there replaces the whole folder (with overwrite, everything in it would be deleted). Choose a new folder for the results, e.g. --output out/result." },
  { where: 'CLI', input: 'an unknown flag (`--wrokers 2`)', run: cli(['run', 'job.ts', '--wrokers', '2'], { 'job.ts': GOOD_JOB }), message: "error: unknown option '--wrokers'" },
  { where: 'CLI', input: '`--remote` with no URL and no `SPARK_REMOTE`', run: cli(['run', 'job.ts', '--remote'], { 'job.ts': GOOD_JOB }), message: "tsapply: --remote needs a Spark Connect URL (--remote sc://host:15002) or SPARK_REMOTE in the environment." },
  { where: 'CLI', input: '`--remote http://host:15002`', run: cli(['run', 'job.ts', '--remote', 'http://host:15002'], { 'job.ts': GOOD_JOB }), message: "tsapply: Invalid Spark Connect URL \"http://host:15002\": it must start with \"sc://\". Expected sc://host[:port]/[;token=\u2026;use_ssl=true;user_id=\u2026;session_id=\u2026;user_agent=\u2026]." },
  { where: 'CLI', input: '`spark stop --port abc`', run: cli(['spark', 'stop', '--port', 'abc']), message: "error: option '--port <port>' argument 'abc' is invalid. --port must be a whole number, got \"abc\"." },
  { where: 'CLI', input: '`spark start --standalone --workers abc`', run: cli(['spark', 'start', '--standalone', '--workers', 'abc']), message: "error: option '--workers <n>' argument 'abc' is invalid. --workers must be a whole number, got \"abc\"." },
  { where: 'CLI', input: '`spark start --standalone --workers 0`', run: cli(['spark', 'start', '--standalone', '--workers', '0']), message: 'tsapply: options.workers must be an integer from 1 to 8, got 0.' },
  { where: 'CLI', input: '`spark start --workers 2` without `--standalone`', run: cli(['spark', 'start', '--workers', '2']), message: "tsapply: options.workers only applies to mode 'standalone' (got mode 'local'). Pass mode: 'standalone' (CLI: --standalone)." },
  { where: 'CLI', input: '`spark start --standalone --cluster`', run: cli(['spark', 'start', '--standalone', '--cluster']), message: 'tsapply: --cluster and --standalone are two ways to run several executors; pass one of them.' },
  { where: 'CLI', input: '`spark start --standalone --master local[2]`', run: cli(['spark', 'start', '--standalone', '--master', 'local[2]']), message: "tsapply: options.master and mode 'standalone' conflict: standalone mode starts its own master (spark://127.0.0.1:<port>). Pass one or the other." },
  // Job files
  { where: 'job file', input: 'a syntax error', run: cliInRepo(['run', FIXTURE('syntax-error')]), message: "tsapply: Cannot bundle test/fixtures/tsapply/jobs/syntax-error.ts:" },
  { where: 'job file', input: 'a type error', run: cliInRepo(['run', FIXTURE('type-error')]), message: "tsapply: test/fixtures/tsapply/jobs/type-error.ts has 1 type error:" },
  { where: 'job file', input: 'no `export default`', run: cliInRepo(['run', FIXTURE('no-default'), '--no-typecheck']), message: "tsapply: Cannot bundle test/fixtures/tsapply/jobs/no-default.ts:" },
  { where: 'job file', input: 'a misspelt field (`shema`)', run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': jobWith("shema: 'x int'") }), message: "tsapply: The job in job.ts has an unknown field \"shema\". Did you mean \"schema\"? Valid fields: input, schema, groupBy, context, init, apply, output, batchSize, taskTimeoutMs." },
  { where: 'job file', input: '`batchSize: 0`', run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': jobWith('batchSize: 0') }), message: "tsapply: The job in job.ts has a \"batchSize\" of 0; it must be a positive integer (rows per call of apply), e.g. batchSize: 1000." },
  { where: 'job file', input: "`taskTimeoutMs: '30s'`", run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': jobWith("taskTimeoutMs: '30s'") }), message: "tsapply: The job in job.ts has a \"taskTimeoutMs\" of the string \"30s\"; it must be a positive integer of milliseconds (the longest one call of apply may run), e.g. taskTimeoutMs: 60_000." },
  { where: 'job file', input: '`groupBy: []`', run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': jobWith('groupBy: []') }), message: "tsapply: The job in job.ts has a \"groupBy\" that is an empty array; it must be a non-empty array of column names, e.g. groupBy: ['weather']." },
  { where: 'job file', input: "`output: { format: 'xml' }`", run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': jobWith("output: { path: 'out', format: 'xml' as never }") }), message: "tsapply: The job in job.ts has an output.format that is the string \"xml\"; it must be one of parquet, csv, jsonl, arrow." },
  { where: 'job file', input: "a schema with a typo (`'id bigintt'`)", run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': GOOD_JOB.replace("'id bigint'", "'id bigintt'") }), message: "tsapply: Invalid schema \"id bigintt\": unknown type \"bigintt\" at position 3. Valid types: boolean, tinyint, smallint, int, bigint, float, double, decimal(p,s), string, binary, date, timestamp, timestamp_ntz, array<T>, map<K,V>, struct<\u2026>." },
  { where: 'job file', input: 'an input file that does not exist', run: cliInRepo(['run', FIXTURE('missing-input'), '--no-typecheck']), message: "tsapply: Cannot read csv input \"{root}/test/fixtures/tsapply/data/does-not-exist.csv\": no such file or directory. Check input.path (a relative path is read from the folder of the file the job is written in)." },
  {
    where: 'job file',
    input: 'an input file name mistyped (`people.csv` is there)',
    run: cli(['run', 'job.ts', '--no-typecheck'], {
      'job.ts': GOOD_JOB.replace('{ range: 10 }', "{ format: 'csv', path: 'peple.csv' }"),
      'people.csv': 'id\n1\n',
    }),
    message: 'tsapply: Cannot read csv input "{dir}/peple.csv": no such file or directory. Did you mean {dir}/people.csv? Check input.path (a relative path is read from the folder of the file the job is written in).',
  },
  {
    where: 'job file',
    input: '`apply: (batch) => { … }` without `return`, no schema',
    run: cli(['run', 'job.ts', '--no-typecheck'], {
      'job.ts': "import { defineJob } from 'tsapply';\nexport default defineJob({ input: { range: 10 }, apply: (batch) => { [...batch].map((r) => ({ id: r.id })); } });\n",
    }),
    message: 'tsapply: Wrong result from apply() (partition 0): apply() returned undefined, and it has no return statement: an arrow function with braces returns only what `return` gives. Write (batch) => { …; return rows; }, or leave out the braces: (batch) => rows.',
  },
  {
    where: 'job file',
    input: '`apply` calls a batch member it does not have (`batch.rows()`)',
    run: cli(['run', 'job.ts', '--no-typecheck'], { 'job.ts': GOOD_JOB.replace('[...batch].map(', 'batch.rows().map(') }),
    message: 'tsapply: Error in apply() at job.ts:2:95 (partition 0): TypeError: batch.rows is not a function. A batch has no rows. Did you mean batch.toArray()? A batch has numRows, columns, column(name), values(name), toArray(), arrow, and is iterable: for (const row of batch).',
  },
  { where: 'job file', input: '`apply` throws', run: cliInRepo(['run', FIXTURE('apply-throws'), '--no-typecheck']), message: "tsapply: Error in apply() at test/fixtures/tsapply/jobs/apply-throws.ts:7:32 (partition 1): row 7 is cursed" },
  { where: 'job file', input: '`apply` throws for one group', run: cliInRepo(['run', FIXTURE('group-throws'), '--no-typecheck']), message: 'tsapply: Error in apply() at test/fixtures/tsapply/jobs/group-throws.ts:7:35 (partition 0, group g="b"): group b is cursed' },
  { where: 'job file', input: '`apply` returns a value that does not fit the schema', run: cliInRepo(['run', FIXTURE('schema-mismatch'), '--no-typecheck']), message: "tsapply: The value apply() returned for partition 1 does not fit the output schema: Column \"days\" expects bigint but row 0 has string \"abc\". Return a value of that type or change the schema." },
  { where: 'job file', input: '`apply` returns a number', run: cliInRepo(['run', FIXTURE('wrong-shape'), '--no-typecheck']), message: "tsapply: Wrong result from apply() (partition 0): apply() returned a number; expected an array of rows, a {column: values} object, an Arrow RecordBatch/Table, or an (async) iterable of rows" },
  { where: 'job file', input: 'a function in `context`', run: cliInRepo(['run', FIXTURE('context-function'), '--no-typecheck']), message: "tsapply: Cannot ship the job's context: context.model.predict (function) cannot be serialized. Functions cannot be shipped to workers; import the code in the job module instead, or build it in init()." },
  { where: 'job file', input: 'an import of a native addon, run on Spark', run: cliInRepo(['run', FIXTURE('native-addon'), '--no-typecheck', '--remote', 'sc://localhost:1']), message: "tsapply: The job imports 1 package with native addons, which cannot be bundled and shipped to Spark executors: lz4-napi@2.10.0 (ships a .node binary in 17 per-platform packages @antoniomuso/lz4-napi-*). Use a pure-JavaScript/WebAssembly alternative, or run on the embedded engine where node_modules is available." },
  {
    where: 'job file',
    input: 'a call that never returns (`taskTimeoutMs: 1000`)',
    run: cli(['run', 'job.ts', '--no-typecheck', '--workers', '1'], { 'job.ts': jobWith('taskTimeoutMs: 1000, init: () => { for (;;); }') }),
    message: "tsapply: The function ran longer than the task timeout in partition 0: one call took more than 1 s (taskTimeoutMs: 1000). Find where it hangs, make one call do less (a smaller batchSize), or allow more time with taskTimeoutMs (--task-timeout <seconds>).",
  },
  // The library
  { where: 'library', input: 'runJob(job, { workrs: 2 })', run: lib((d) => runJob(join(d, 'none.ts'), { workrs: 2 } as never)), message: "Invalid option in runJob(): \"workrs\". Did you mean \"workers\"? Valid options: workers, serializer, output, format, overwrite, show, collect, typecheck, onTypecheckConfig, quiet, numPartitions, taskTimeoutMs, workerMemory, stdout, stderr, onProgress, signal." },
  { where: 'library', input: 'runJob(job, null)', run: lib((d) => runJob(join(d, 'none.ts'), null as never)), message: "Invalid options in runJob(): expected an object, got null." },
  { where: 'library', input: "runJob(job, { overwrite: 'no' })", run: lib((d) => runJob(join(d, 'none.ts'), { overwrite: 'no' } as never)), message: "options.overwrite must be a boolean (true or false), got the string \"no\"." },
  { where: 'library', input: "runJob(job, { workerMemory: '2 gigs' })", run: lib((d) => runJob(join(d, 'none.ts'), { workerMemory: '2 gigs' })), message: "options.workerMemory must be a memory size of at least 64 MB, as megabytes (2048) or with a unit ('512m', '2g'); got the string \"2 gigs\"." },
  { where: 'library', input: 'runJob(job, { taskTimeoutMs: 2.5 })', run: lib((d) => runJob(join(d, 'none.ts'), { taskTimeoutMs: 2.5 })), message: "options.taskTimeoutMs must be a positive integer, got 2.5." },
  { where: 'library', input: "runJob(job, { signal: 'stop' })", run: lib((d) => runJob(join(d, 'none.ts'), { signal: 'stop' } as never)), message: "options.signal must be an AbortSignal (from new AbortController().signal), got the string \"stop\"." },
  {
    where: 'library',
    input: 'runJob() without a job',
    run: lib(() => runJob(undefined as never)),
    message: "runJob() takes a job file's path ('jobs/clean.ts') or a job object (defineJob({ input, apply })), got undefined.",
  },
  {
    where: 'library',
    input: "runJob(jobObject, { collect: true, output: 'out' })",
    run: lib(() => runJob({ input: { range: 3 }, apply: (batch) => [...batch] }, { ...quiet, collect: true, output: 'out' })),
    message: 'collect: true returns the results to you as summary.table, and options.output ("out") writes them to a folder: choose one. Remove collect, or the output.',
  },
  { where: 'library', input: 'runJob of a file that does not exist', run: lib((d) => runJob(join(d, 'none.ts'), quiet)), message: "Cannot bundle {dir}/none.ts: file not found (resolved to {dir}/none.ts)." },
  { where: 'library', input: 'runJobOnSpark(job) with no remote and no SPARK_REMOTE', run: lib((d) => withoutSparkRemote(() => runJobOnSpark(join(d, 'none.ts'), { ...quiet }))), message: "runJobOnSpark() needs a Spark Connect URL: pass remote: 'sc://host:port' (--remote) or set SPARK_REMOTE." },
  { where: 'library', input: "runJobOnSpark(job, { executorNode: 'shipp' })", run: lib((d) => runJobOnSpark(join(d, 'none.ts'), { remote: 'sc://localhost:1', executorNode: 'shipp' })), message: "options.executorNode must be 'auto', 'ship', 'local' or the absolute path of node on the executors (such as /usr/bin/node), got \"shipp\". A relative path would be resolved in each executor's working folder; give an absolute one." },
  { where: 'library', input: "runJobOnSpark(job, { pythonVer: '3' })", run: lib((d) => runJobOnSpark(join(d, 'none.ts'), { remote: 'sc://localhost:1', pythonVer: '3' })), message: "options.pythonVer must be a Python version \"major.minor\" such as 3.11, got \"3\"." },
  { where: 'library', input: "SparkSession.connect('http://host:15002')", run: lib(() => SparkSession.connect('http://host:15002')), message: "Invalid Spark Connect URL \"http://host:15002\": it must start with \"sc://\". Expected sc://host[:port]/[;token=\u2026;use_ssl=true;user_id=\u2026;session_id=\u2026;user_agent=\u2026]." },
  { where: 'library', input: "SparkSession.connect('sc://host:99999')", run: lib(() => SparkSession.connect('sc://host:99999')), message: "Invalid Spark Connect URL \"sc://host:99999\": the port \"99999\" must be an integer from 1 to 65535. Expected sc://host[:port]/[;token=\u2026;use_ssl=true;user_id=\u2026;session_id=\u2026;user_agent=\u2026]." },
  { where: 'library', input: 'startSparkConnect({ port: 70000 })', run: lib(() => startSparkConnect({ port: 70000 })), message: "options.port must be an integer from 1 to 65535, got 70000." },
  {
    where: 'library',
    input: "startSparkConnect({ conf: { 'spark.connect.grpc.binding.address': '0.0.0.0' } }) without a token",
    run: lib(() => startSparkConnect({ conf: { 'spark.connect.grpc.binding.address': '0.0.0.0' } })),
    message: "options.conf[\"spark.connect.grpc.binding.address\"] is \"0.0.0.0\", beyond this machine, but no token is set: anyone who reaches the port could run code here. Add a token (--token, or options.token) or listen on 127.0.0.1.",
  },
];
