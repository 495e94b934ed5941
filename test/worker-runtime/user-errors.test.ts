import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isTsapplyError, PayloadError, ResultShapeError, SchemaMismatchError, UserCodeError } from '@tsapply/common';
import { JobRunner, JobShapeError } from '@tsapply/worker-runtime';
import { collectRows, fixturePayload, handPayload, rejection, ROOT, xBatch } from './payload-helpers.js';

const THROWS = 'test/fixtures/worker-runtime/throws.ts';
const HELPER = 'test/fixtures/worker-runtime/throws-helper.ts';

async function throwsRunner(mode: string): Promise<JobRunner> {
  const p = await fixturePayload('throws.ts', { context: { mode } });
  return JobRunner.fromBytes(p.bytes, { expectedHash: p.hash });
}

describe('user errors map to the ORIGINAL .ts source', () => {
  it('apply() throwing: message, location, partition, mapped stack', async () => {
    const runner = await throwsRunner('apply');
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 3 })));
    assert.ok(err instanceof UserCodeError);
    assert.equal(err.message, `Error in apply() at ${THROWS}:19:13 (partition 3): temperature out of range`);
    assert.equal(err.userMessage, 'temperature out of range');
    assert.equal(err.errorName, 'Error');
    assert.deepEqual(err.location, { file: THROWS, line: 19, column: 13 });
    assert.equal(err.partition, 3);
    assert.equal(err.phase, 'apply');
    const frames = err.userStack!.split('\n');
    assert.equal(frames[0], 'Error: temperature out of range');
    assert.equal(frames[1], `    at Object.apply (${THROWS}:19:13)`);
    // No tsapply internals and no bundle positions in what the user sees.
    assert.ok(!/worker-runtime[\\/]dist|packages[\\/]common|tsapply-bundle:|node:internal/.test(err.userStack!), err.userStack);
    assert.ok(!/worker-runtime[\\/]dist|tsapply-bundle:/.test(err.stack!), err.stack);
  });

  it('init() throwing: phase init, error name kept, every later batch fails the same way without re-running init', async () => {
    const runner = await throwsRunner('init');
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 0 })));
    assert.equal(err.message, `Error in init() at ${THROWS}:14:40 (partition 0): TypeError: model file missing`);
    assert.equal(err.errorName, 'TypeError');
    assert.equal(err.phase, 'init');
    const again = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 5 })));
    assert.equal(again, err);
    assert.equal(runner.initCalls, 1);
  });

  it('a throw inside the async generator apply() returned', async () => {
    const runner = await throwsRunner('generator');
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1, 2]), { partitionIndex: 2 })));
    assert.ok(err instanceof UserCodeError);
    assert.equal(err.message, `Error in apply() at ${THROWS}:26:15 (partition 2): RangeError: bad row 1`);
    assert.deepEqual(err.location, { file: THROWS, line: 26, column: 15 });
  });

  it('a throw in a helper in another file points at the helper, with the caller in the stack', async () => {
    const runner = await throwsRunner('helper');
    const err = await rejection(collectRows(runner.applyBatch(xBatch([5, 500]), { partitionIndex: 1 })));
    assert.equal(err.message, `Error in apply() at ${HELPER}:4:11 (partition 1): RangeError: value 500 is above 100`);
    const frames = err.userStack!.split('\n').slice(1);
    assert.equal(frames[0], `    at checkRange (${HELPER}:4:11)`);
    assert.ok(frames.some((f: string) => f.includes(`${THROWS}:21:`)), err.userStack);
  });

  it('a thrown non-Error value keeps its text', async () => {
    const runner = await throwsRunner('string');
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 0 })));
    assert.equal(err.message, 'Error in apply() (partition 0): plain string thrown');
    assert.equal(err.location, undefined);
  });

  it('applyBatchRows maps user errors the same way', async () => {
    const runner = await throwsRunner('apply');
    const err = await rejection(runner.applyBatchRows(xBatch([1]), { partitionIndex: 7 }));
    assert.equal(err.message, `Error in apply() at ${THROWS}:19:13 (partition 7): temperature out of range`);
  });

  it('a throw while the module loads is phase "load"', () => {
    const file = join(ROOT, 'examples', 'broken.ts');
    const p = handPayload('const cfg = undefined;\nmodule.exports.default = { apply() { return []; }, n: cfg.n };\n', file);
    const err = (() => {
      try {
        JobRunner.fromBytes(p.bytes);
      } catch (e) {
        return e as UserCodeError;
      }
      throw new Error('expected a throw');
    })();
    assert.ok(err instanceof UserCodeError);
    assert.equal(err.phase, 'load');
    assert.equal(err.errorName, 'TypeError');
    assert.match(err.message, /^Error in load\(\): TypeError: Cannot read properties of undefined \(reading 'n'\)$/);
  });
});

describe('a batch member apply() does not have: what a batch has instead', () => {
  const file = join(ROOT, 'examples', 'script.mjs');
  /** What apply (source text of a job module's default export) threw on a one-row batch. */
  async function misuse(apply: string): Promise<UserCodeError> {
    const p = handPayload(`module.exports.default = { apply: ${apply} };\n`, file);
    const runner = JobRunner.fromBytes(p.bytes, { expectedHash: p.hash });
    return rejection(runner.applyBatchRows(xBatch([1]), { partitionIndex: 0 }));
  }
  const members = 'A batch has numRows, columns, column(name), values(name), toArray(), arrow, and is iterable';

  it('a guess from another tool (rows, count) names the member that does it', async () => {
    const rows = await misuse('(b) => b.rows().map((r) => r)');
    assert.equal(rows.userMessage, `b.rows is not a function. A batch has no rows. Did you mean b.toArray()? ${members}: for (const row of b).`);
    const count = await misuse('function (batch, ctx) { return [{ x: batch.count() }]; }');
    assert.match(count.userMessage, /^batch\.count is not a function\. A batch has no count\. Did you mean batch\.numRows\? /);
  });

  it('a misspelt member is matched to the closest, a value called as a method is told to drop ()', async () => {
    assert.match((await misuse('async (b) => b.toArrya()')).userMessage, /A batch has no toArrya\. Did you mean b\.toArray\(\)\?/);
    assert.match((await misuse('b => [{ x: b.numRows() }]')).userMessage, /^b\.numRows is not a function\. b\.numRows is a value, not a method: write b\.numRows without \(\)\. /);
    assert.match((await misuse('function* (b) { for (const r of b.records) yield r; }')).userMessage, /^b\.records is not iterable\. A batch has no records\. Did you mean b\.toArray\(\)\?/);
  });

  it('an error about anything other than the batch is left as it was', async () => {
    assert.equal((await misuse('(b, ctx) => ctx.rows()')).userMessage, 'ctx.rows is not a function');
    assert.equal((await misuse('({ numRows }) => numRows.rows()')).userMessage, 'numRows.rows is not a function');
    assert.equal((await misuse('(b) => b.column("x").rows()')).userMessage, 'b.column(...).rows is not a function');
  });
});

describe('apply without a return statement, while the schema is inferred', () => {
  const file = join(ROOT, 'examples', 'script.mjs');
  async function rowsOf(apply: string): Promise<unknown> {
    const p = handPayload(`module.exports.default = { apply: ${apply} };\n`, file, { schema: null });
    const runner = JobRunner.fromBytes(p.bytes, { expectedHash: p.hash });
    return runner.applyBatchRows(xBatch([1, 2]), { partitionIndex: 4 }).catch((e: unknown) => e);
  }

  it('braces and no return: the missing return is named, not "no rows"', async () => {
    const err = await rowsOf('(b) => { b.toArray().map((r) => ({ y: r.x })); }');
    assert.ok(err instanceof ResultShapeError, String(err));
    assert.equal(
      err.message,
      'Wrong result from apply() (partition 4): apply() returned undefined, and it has no return statement: an arrow function with braces returns only what `return` gives. Write (batch) => { …; return rows; }, or leave out the braces: (batch) => rows.',
    );
    assert.ok((await rowsOf('function (b) { console.log(b.numRows); }')) instanceof ResultShapeError);
  });

  it('a return that gave undefined, an expression body, a generator: no such message', async () => {
    assert.deepEqual(await rowsOf('(b) => { if (b.numRows > 5) return [{ y: 1 }]; }'), []);
    assert.deepEqual(await rowsOf('(b) => undefined'), []);
    assert.deepEqual(await rowsOf('function* (b) { for (const r of b) yield { y: r.x }; }'), [{ y: 1 }, { y: 2 }]);
  });
});

describe('results that do not fit', () => {
  it('a wrong return shape names the partition and says it came from what apply() returned', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'wrongShape' }, schema: 'x double, label string' });
    const runner = JobRunner.fromBytes(p.bytes);
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 4 })));
    assert.ok(isTsapplyError(err));
    assert.equal(err.partition, 4);
    assert.equal(err.actual, 'number 42');
    assert.equal(
      err.message,
      'Wrong result from apply() (partition 4): apply() returned a number; expected an array of rows, a {column: values} object, an Arrow RecordBatch/Table, or an (async) iterable of rows',
    );
  });

  it('a schema mismatch keeps column, expected, actual and row, and adds the partition', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'mismatch' }, schema: 'x double, label string' });
    const runner = JobRunner.fromBytes(p.bytes);
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1, 2]), { partitionIndex: 6 })));
    assert.ok(err instanceof SchemaMismatchError);
    assert.equal(err.column, 'x');
    assert.equal(err.expected, 'double');
    assert.equal(err.rowIndex, 0);
    assert.equal((err as SchemaMismatchError & { partition: number }).partition, 6);
    assert.equal(
      err.message,
      'The value apply() returned for partition 6 does not fit the output schema: Column "x" expects double but row 0 has string "not a number 1". Return a value of that type or change the schema.',
    );
  });
});

describe('bad jobs and bad payloads', () => {
  const file = join(ROOT, 'examples', 'no-default.ts');

  it('a missing default export names the file and what it exports', () => {
    const p = handPayload('exports.job = { apply() { return []; } };\nexports.helper = 1;\n', file);
    assert.throws(() => JobRunner.fromBytes(p.bytes), (e: unknown) => {
      assert.ok(e instanceof JobShapeError);
      assert.equal(
        e.message,
        'Job file examples/no-default.ts has no default export. A job file must export its job: export default defineJob({ input, apply(batch, ctx) { … } }). Exports found: job, helper.',
      );
      assert.equal(e.code, 'JOB_DEFINITION');
      assert.equal(e.name, 'JobDefinitionError');
      return true;
    });
  });

  it('apply that is not a function', () => {
    const p = handPayload('exports.default = { input: { rows: [] }, apply: "nope" };\n', file);
    assert.throws(() => JobRunner.fromBytes(p.bytes), {
      name: 'JobDefinitionError',
      message: 'The job in examples/no-default.ts has no apply() function: "apply" is a string. Add apply(batch, ctx) { … } to defineJob({ … }).',
    });
  });

  it('a missing named function export', () => {
    const p = handPayload('exports.other = () => [];\n', file, { kind: 'function', exportName: 'score' });
    assert.throws(() => JobRunner.fromBytes(p.bytes), {
      name: 'JobDefinitionError',
      message:
        'examples/no-default.ts has no export named "score". Exports found: other. Export the function you pass to tsapply: export function score(batch, ctx) { … }.',
    });
  });

  it('corrupted payload bytes are a PayloadError, never garbage', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'rows' } });
    const bad = Uint8Array.from(p.bytes);
    bad[bad.length - 20] ^= 0xff;
    assert.throws(() => JobRunner.fromBytes(bad), (e: unknown) => {
      assert.ok(e instanceof PayloadError, String(e));
      assert.equal(e.code, 'PAYLOAD_CHECKSUM');
      assert.match(e.message, /^Payload checksum mismatch \(corrupted in transit or on disk\): expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}\.$/);
      return true;
    });
    assert.throws(() => JobRunner.fromBytes(bad.subarray(0, 10)), {
      name: 'PayloadError',
      code: 'PAYLOAD_TRUNCATED',
      message: 'Payload truncated: expected 32 bytes, got 10.',
    });
  });

  it('a hash mismatch names both hashes', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'rows' } });
    const wrong = '0'.repeat(64);
    assert.throws(() => JobRunner.fromBytes(p.bytes, { expectedHash: wrong, source: '/tmp/x.payload' }), {
      name: 'PayloadError',
      code: 'PAYLOAD_HASH_MISMATCH',
      message:
        `Payload hash mismatch for /tmp/x.payload: expected sha256 ${wrong} but the bytes hash to ${p.hash}. ` +
        'The payload was modified or replaced after it was built; submit the job again.',
    });
  });

  it('an unreadable payload file rejects', async () => {
    const err = await rejection(JobRunner.fromFile('/nonexistent/tsapply.payload', 'ab'));
    assert.equal(err.code, 'PAYLOAD_UNREADABLE');
    assert.match(err.message, /^Cannot read payload file \/nonexistent\/tsapply\.payload: ENOENT/);
  });
});
