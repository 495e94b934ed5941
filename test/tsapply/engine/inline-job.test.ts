// A job written inline in the running script — runJob(defineJob({ input, apply })) instead
// of a job file's path — on the embedded engine's real worker threads: its functions are
// captured at the call with what they use (a helper, a Map, an npm import), its data fields
// are read as a job file's are (relative paths from the folder of the file it is written in), and
// a bad job fails at the call, naming what was wrong, with nothing written. Each result is
// checked against the same computation done here without tsapply.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { tableFromArrays } from 'apache-arrow';
import { mean } from 'simple-statistics';
import { defineJob, runJob, JobDefinitionError, InvalidOptionError, UserCodeError, type Batch, type JobDefinition } from 'tsapply';
import { readArrowDir } from '../../spark/both-engines.ts';
import { lineOf } from '../closures/helpers.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const WEATHER = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url));
const WEATHER_STATS = fileURLToPath(new URL('../../../examples/weather-stats.ts', import.meta.url));
const quietly = { workers: 2, quiet: true, format: 'arrow' as const };

/** A fresh output folder (not created: the run creates it), removed after `body`. */
async function withOutput<T>(body: (out: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tsapply-inline-'));
  try {
    return await body(join(dir, 'out'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const labels = new Map([[0, 'even'], [1, 'odd']]);
const labelOf = (id: bigint) => labels.get(Number(id % 2n))!;

describe('runJob with a job object of the running script', () => {
  it('runs inline functions with what they capture, a context and init on the worker threads', async () => {
    const weight = 0.5;
    await withOutput(async (out) => {
      const summary = await runJob(
        defineJob({
          input: { range: 1000, numPartitions: 4 },
          schema: 'id bigint, score double, label string, offset int, worker string',
          context: { offset: 7 },
          init: (context: { offset: number }) => ({ tag: `w${context.offset}` }),
          apply: (batch: Batch, ctx) =>
            [...batch].map((r) => ({
              id: r.id,
              score: Number(r.id) * weight,
              label: labelOf(r.id as bigint),
              offset: (ctx.context as { offset: number }).offset,
              worker: (ctx.state as { tag: string }).tag,
            })),
        }),
        { ...quietly, output: out },
      );
      assert.equal(summary.rowsIn, 1000);
      assert.equal(summary.rowsOut, 1000);
      assert.equal(summary.partitions, 4);
      const expected = Array.from({ length: 1000 }, (_, i) =>
        JSON.stringify({ id: `${i}n`, score: i * weight, label: i % 2 === 0 ? 'even' : 'odd', offset: 7, worker: 'w7' }),
      ).sort();
      assert.deepEqual(readArrowDir(out), { ddl: 'id bigint, score double, label string, offset int, worker string', rows: expected });
    });
  });

  it('groups with groupBy, imports an npm package, infers the schema and reads a path relative to the file it is written in', async () => {
    // What the file holds, counted here: days and mean temp_max per weather.
    const lines = readFileSync(WEATHER, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const byWeather = new Map<string, number[]>();
    for (const f of lines) byWeather.set(f[5]!, [...(byWeather.get(f[5]!) ?? []), Number(f[2])]);
    await withOutput(async (out) => {
      const summary = await runJob(
        {
          input: { format: 'csv', path: relative(dirname(THIS_FILE), WEATHER) },
          groupBy: ['weather'],
          apply: (batch: Batch, ctx) => [{ weather: ctx.key!.weather, days: batch.numRows, mean_temp_max: mean(Array.from(batch.values('temp_max') as Float64Array)) }],
        },
        { ...quietly, output: out },
      );
      assert.equal(summary.schemaInferred, true);
      assert.equal(summary.schema, 'weather string, days double, mean_temp_max double');
      const expected = [...byWeather].map(([weather, temps]) => JSON.stringify({ weather, days: temps.length, mean_temp_max: mean(temps) })).sort();
      assert.deepEqual(readArrowDir(out).rows, expected);
    });
  });

  it('returns the results as an Arrow table in input order with collect: true, printing and writing nothing', async () => {
    const printed: string[] = [];
    const stdout = new Writable({ write: (chunk, _enc, done) => (printed.push(String(chunk)), done()) });
    const summary = await runJob(
      { input: { range: 25_000, numPartitions: 3 }, batchSize: 1000, apply: (batch: Batch) => [...batch].map((r) => ({ id: r.id, half: Number(r.id) / 2 })) },
      { workers: 2, quiet: true, collect: true, stdout },
    );
    assert.deepEqual(summary.output, { path: null, format: 'collected' });
    assert.equal(printed.join(''), '');
    const table = summary.table!;
    assert.equal(table.schema.fields.map((f) => `${f.name} ${f.type}`).join(', '), 'id Int64, half Float64');
    assert.equal(table.numRows, 25_000);
    assert.deepEqual(Array.from(table.getChild('id')!.toArray() as BigInt64Array), Array.from({ length: 25_000 }, (_, i) => BigInt(i)));
    assert.deepEqual(Array.from(table.getChild('half')!.toArray() as Float64Array), Array.from({ length: 25_000 }, (_, i) => i / 2));
    // A job file's results come back the same way.
    const fromFile = await runJob(WEATHER_STATS, { workers: 2, quiet: true, collect: true, typecheck: false });
    assert.deepEqual(
      fromFile.table!.toArray().map((r) => `${r.weather} ${r.days}`).sort(),
      ['drizzle 53', 'fog 101', 'rain 641', 'snow 26', 'sun 640'],
    );
  });

  it('reads an Arrow table in memory as input: a collected result, and one from tableFromArrays in other layouts of Spark types', async () => {
    const first = await runJob({ input: { range: 30_000 }, batchSize: 7000, apply: (batch: Batch) => [...batch].map((r) => ({ id: r.id, half: Number(r.id) / 2 })) }, { workers: 2, quiet: true, collect: true });
    const second = await runJob(
      { input: { table: first.table! }, schema: 'id bigint, back bigint', apply: (batch: Batch) => [...batch].map((r) => ({ id: r.id, back: BigInt((r.half as number) * 2) })) },
      { workers: 2, quiet: true, collect: true },
    );
    assert.equal(second.rowsIn, 30_000);
    assert.deepEqual(Array.from(second.table!.getChild('back')!.toArray() as BigInt64Array), Array.from({ length: 30_000 }, (_, i) => BigInt(i)));
    // Strings dictionary-encoded, a timestamp in milliseconds: the function sees strings and Dates.
    const when = [new Date(Date.UTC(2024, 0, 1, 12)), new Date(Date.UTC(2024, 5, 30))];
    const built = tableFromArrays({ city: ['Oslo', 'Lima'], at: when, n: Int32Array.from([3, 4]) });
    assert.equal(String(built.schema.fields[0]!.type), 'Dictionary<Int32, Utf8>');
    const seen = await runJob(
      { input: { table: built }, apply: (batch: Batch) => [...batch].map((r) => ({ line: `${r.city} ${(r.at as Date).toISOString()} ${r.n}` })) },
      { workers: 1, quiet: true, collect: true },
    );
    assert.deepEqual(seen.table!.toArray().map((r) => r.line), ['Oslo 2024-01-01T12:00:00.000Z 3', 'Lima 2024-06-30T00:00:00.000Z 4']);
  });

  it('refuses an input table Spark has no type for, naming the column, and what is not a table', async () => {
    await assert.rejects(runJob({ input: { table: tableFromArrays({ ok: Int32Array.from([1]), count: Uint32Array.from([1]) }) }, apply: (batch: Batch) => [...batch] }, { quiet: true }), {
      name: 'InputError',
      message: /^Column "count" of input\.table: Arrow type Uint32 has no Spark SQL equivalent\./,
    });
    await assert.rejects(runJob({ input: { table: [{ a: 1 }] as never }, apply: (batch: Batch) => [...batch] }, { quiet: true }), {
      name: 'InputError',
      message: "input.table must be an apache-arrow Table (from tableFromArrays, tableFromIPC or a run's collect: true), got an array (for row objects, use input: { rows }).",
    });
  });

  it('refuses collect with an output folder, naming both', async () => {
    await assert.rejects(runJob({ input: { range: 3 }, apply: (batch: Batch) => [...batch] }, { collect: true, output: 'out/x' }), {
      name: 'InvalidOptionError',
      message: 'collect: true returns the results to you as summary.table, and options.output ("out/x") writes them to a folder: choose one. Remove collect, or the output.',
    });
    await assert.rejects(runJob({ input: { range: 3 }, output: { path: 'out/y' }, apply: (batch: Batch) => [...batch] }, { collect: true }), {
      name: 'InvalidOptionError',
      message: 'collect: true returns the results to you as summary.table, and the job\'s output.path ("out/y") writes them to a folder: choose one. Remove collect, or the output.',
    });
    await assert.rejects(runJob(WEATHER_STATS, { collect: 'yes' as never }), { name: 'InvalidOptionError', message: /options\.collect must be a boolean/ });
  });

  it('reads a job object imported from a job file as that file reads it: relative paths from its folder, whatever the current folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsapply-inline-import-'));
    try {
      mkdirSync(join(dir, 'data'));
      writeFileSync(join(dir, 'data', 'in.csv'), 'a,b\n1,2\n3,4\n');
      // A job file of its own folder, as a user keeps one; the test runs from the repository.
      writeFileSync(join(dir, 'job.mjs'), "export default { input: { format: 'csv', path: 'data/in.csv' }, apply: (batch) => [...batch].map((r) => ({ sum: r.a + r.b })) };\n");
      const job = ((await import(join(dir, 'job.mjs'))) as { default: JobDefinition }).default;
      const { table } = await runJob(job, { workers: 1, quiet: true, collect: true });
      assert.deepEqual(table!.toArray().map((r) => r.sum), [3, 7]);
      // The output checks read the input from there too: a folder holding it is refused, and it is kept.
      await assert.rejects(
        runJob(job, { quiet: true, output: join(dir, 'data'), overwrite: true }),
        (e: Error) => e.name === 'OutputError' && e.message.includes(`it contains the job's input (${join(dir, 'data', 'in.csv')})`),
      );
      assert.equal(readFileSync(join(dir, 'data', 'in.csv'), 'utf8'), 'a,b\n1,2\n3,4\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the values variables had at the call, not later ones', async () => {
    let factor = 2;
    await withOutput(async (out) => {
      const running = runJob({ input: { range: 10 }, schema: 'y bigint', apply: (batch: Batch) => [...batch].map((r) => ({ y: (r.id as bigint) * BigInt(factor) })) }, { ...quietly, output: out });
      factor = 3;
      await running;
      assert.deepEqual(readArrowDir(out).rows, Array.from({ length: 10 }, (_, i) => JSON.stringify({ y: `${i * 2}n` })).sort());
    });
  });

  it('reports a throw inside the inline function at its line in this file, and writes nothing', async () => {
    await withOutput(async (out) => {
      const job = defineJob({
        input: { range: 100 },
        apply: (batch: Batch) => {
          if (batch.numRows > 0) throw new Error('no rows wanted'); // THROW-HERE
          return [];
        },
      });
      await assert.rejects(runJob(job, { ...quietly, output: out }), (e: unknown) => {
        assert.ok(e instanceof UserCodeError, String(e));
        assert.match(e.message, new RegExp(`^Error in apply\\(\\) at test/tsapply/engine/inline-job\\.test\\.ts:${lineOf(THIS_FILE, 'THROW-HERE')}:\\d+ \\(partition \\d\\): no rows wanted$`));
        return true;
      });
      assert.equal(existsSync(out), false);
    });
  });

  it('answers a batch member apply does not have (a guess from another tool) with what a batch has', async () => {
    const job = { input: { range: 10 }, apply: (rowsOf: Batch) => (rowsOf as unknown as { rows(): [] }).rows() };
    await assert.rejects(runJob(job, { ...quietly, collect: true }), (e: unknown) => {
      assert.ok(e instanceof UserCodeError, String(e));
      assert.match(e.message, / \(partition \d\): TypeError: rowsOf\.rows is not a function\. A batch has no rows\. Did you mean rowsOf\.toArray\(\)\? A batch has numRows, /);
      return true;
    });
  });

  it('refuses at the call what cannot travel to the worker threads, a job without input and what is not a job', async () => {
    class Model {
      predict(x: number) {
        return 2 * x;
      }
    }
    const model = new Model();
    await assert.rejects(
      runJob({ input: { range: 3 }, apply: (batch: Batch) => [...batch].map((r) => ({ y: model.predict(Number(r.id)) })) }),
      (e: Error) => e.name === 'ClosureCaptureError' && /^Cannot ship the function to the worker threads: .* captures model, an instance of class Model/.test(e.message),
    );
    await assert.rejects(
      runJob({ apply: (batch: Batch) => [...batch] } as never),
      (e: unknown) => e instanceof JobDefinitionError && e.message.startsWith('The job passed to runJob() has no "input".'),
    );
    await assert.rejects(
      runJob({ input: { range: 3 }, apply: (batch: Batch) => [...batch], outptu: 'x' } as never),
      (e: unknown) => e instanceof JobDefinitionError && e.message.startsWith('The job passed to runJob() has an unknown field "outptu".'),
    );
    for (const [bad, what] of [[42, '42'], [null, 'null'], [['a.ts'], 'an array']] as const) {
      await assert.rejects(
        runJob(bad as never),
        (e: unknown) => e instanceof InvalidOptionError && e.message === `runJob() takes a job file's path ('jobs/clean.ts') or a job object (defineJob({ input, apply })), got ${what}.`,
      );
    }
  });
});
