import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { parseDDL, toDDL, serializers } from '@tsapply/common';
import { clearRunnerCache, getRunner, JobRunner } from '@tsapply/worker-runtime';
import { join } from 'node:path';
import { collectRows, fixturePayload, handPayload, rejection, ROOT, xBatch } from './payload-helpers.js';

const LABELLED = 'x double, label string';

async function runForm(form: string, xs = [1, 2, 3]) {
  const p = await fixturePayload('result-forms.ts', { context: { form }, schema: LABELLED });
  const runner = JobRunner.fromBytes(p.bytes, { expectedHash: p.hash });
  return collectRows(runner.applyBatch(xBatch(xs), { partitionIndex: 0 }));
}

describe('JobRunner: apply result forms', () => {
  const doubled = [
    { x: 2, label: 'r1' },
    { x: 4, label: 'r2' },
    { x: 6, label: 'r3' },
  ];

  it('converts an array of rows', async () => assert.deepEqual(await runForm('rows'), doubled));
  it('converts a {column: array} object (typed arrays included)', async () => assert.deepEqual(await runForm('columns'), doubled));
  it('converts an Arrow Table built with the bundle\'s own apache-arrow copy', async () =>
    assert.deepEqual(await runForm('table'), doubled));
  it('converts a promise of rows', async () =>
    assert.deepEqual(await runForm('promise', [5]), [{ x: 5, label: 'p' }]));
  it('converts a sync generator giving several rows per input row', async () =>
    assert.deepEqual(await runForm('generator', [1, 2]), [
      { x: 2, label: 'r1' },
      { x: -1, label: null },
      { x: 4, label: 'r2' },
      { x: -2, label: null },
    ]));
  it('converts an async generator', async () => assert.deepEqual(await runForm('asyncGenerator'), doubled));
  it('gives no rows for null', async () => assert.deepEqual(await runForm('null'), []));

  it('passes a returned RecordBatch through in the output schema', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'recordBatch' }, schema: 'x double' });
    const runner = JobRunner.fromBytes(p.bytes);
    const out = [];
    for await (const b of runner.applyBatch(xBatch([7, 8]), { partitionIndex: 1 })) out.push(b);
    assert.equal(out.length, 1);
    assert.equal(toDDL(out[0]!.schema), 'x double');
    assert.deepEqual([...out[0]!.getChild('x')!.toArray()], [7, 8]);
  });

  it('chunks large results to maxRowsPerBatch', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'rows' }, schema: LABELLED });
    const runner = JobRunner.fromBytes(p.bytes);
    const xs = Array.from({ length: 25 }, (_, i) => i);
    const sizes = [];
    for await (const b of runner.applyBatch(xBatch(xs), { partitionIndex: 0, maxRowsPerBatch: 10 })) sizes.push(b.numRows);
    assert.deepEqual(sizes, [10, 10, 5]);
  });
});

describe('JobRunner: init, context, key', () => {
  const context = {
    factor: 10,
    tags: new Map([['big', 9007199254740993n]]),
    when: new Date('2024-02-29T12:00:00Z'),
    weights: new Float64Array([0.5, 0.25]),
  };
  const schema = 'x double, init_calls int, thread int, partition int, key string, ctx_ok boolean';

  for (const serializer of [serializers.fast, serializers.compressed]) {
    it(`runs init once across many batches, and the context round-trips (${serializer.id})`, async () => {
      const p = await fixturePayload('counter.ts', { context, schema, serializer });
      const runner = JobRunner.fromBytes(p.bytes, { expectedHash: p.hash });
      // Concurrent first batches must share one init call.
      const results = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((i) => collectRows(runner.applyBatch(xBatch([i]), { partitionIndex: i }))),
      );
      assert.equal(runner.initCalls, 1);
      for (const [i, rows] of results.entries()) {
        assert.deepEqual(rows, [{ x: i * 10, init_calls: 1, thread: 0, partition: i, key: null, ctx_ok: true }]);
      }
      // The fixture's module-level counter lives in this runner's bundle evaluation.
      const more = await collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 9 }));
      assert.equal(more[0]!.init_calls, 1);
    });
  }

  it('passes the groupBy key through to ctx.key', async () => {
    const p = await fixturePayload('counter.ts', { context, schema });
    const runner = JobRunner.fromBytes(p.bytes);
    const rows = await collectRows(runner.applyBatch(xBatch([3, 4]), { partitionIndex: 5, key: { station: 'SEA', n: 2 } }));
    assert.deepEqual(rows.map((r) => [r.partition, r.key]), [
      [5, '{"station":"SEA","n":2}'],
      [5, '{"station":"SEA","n":2}'],
    ]);
  });

  it('loads a payload once per process through getRunner', async () => {
    clearRunnerCache();
    const p = await fixturePayload('counter.ts', { context, schema });
    let loads = 0;
    const load = () => {
      loads++;
      return p.bytes;
    };
    const [a, b] = await Promise.all([getRunner(p.hash, load), getRunner(p.hash, load)]);
    const c = await getRunner(p.hash, load);
    assert.equal(loads, 1);
    assert.equal(a, b);
    assert.equal(a, c);
    clearRunnerCache();
  });
});

describe('JobRunner: function payloads and inference mode', () => {
  it('runs a named export (kind "function", bundled with bundleModuleFunction)', async () => {
    const p = await fixturePayload('scale.ts', { kind: 'function', exportName: 'scale', context: { offset: 100 } });
    const runner = JobRunner.fromBytes(p.bytes);
    assert.deepEqual(await collectRows(runner.applyBatch(xBatch([1, 2]), { partitionIndex: 0 })), [{ x: 1 }, { x: 2 }]);
  });

  it('runs a named init export once when meta.initExportName is set', async () => {
    const code = [
      'let calls = 0;',
      'exports.setup = (context) => ({ offset: context.offset, calls: ++calls });',
      'exports.scale = (batch, ctx) => batch.toArray().map((r) => ({ x: r.x + ctx.state.offset + ctx.state.calls }));',
    ].join('\n');
    const p = handPayload(code, join(ROOT, 'examples', 'scale.js'), {
      kind: 'function',
      exportName: 'scale',
      initExportName: 'setup',
      context: { offset: 100 },
    });
    const runner = JobRunner.fromBytes(p.bytes);
    assert.deepEqual(await collectRows(runner.applyBatch(xBatch([1, 2]), { partitionIndex: 0 })), [{ x: 102 }, { x: 103 }]);
    assert.deepEqual(await collectRows(runner.applyBatch(xBatch([3]), { partitionIndex: 1 })), [{ x: 104 }]);
  });

  it('returns rows for a schema-less payload, then converts with a schema given later', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'columns' }, schema: null });
    const runner = JobRunner.fromBytes(p.bytes);
    assert.equal(runner.outputSchema, undefined);
    assert.deepEqual(await runner.applyBatchRows(xBatch([1, 2]), { partitionIndex: 0 }), [
      { x: 2, label: 'r1' },
      { x: 4, label: 'r2' },
    ]);
    const err = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 0 })));
    assert.equal(
      err.message,
      'applyBatch() needs an output schema: the payload declares none (inference mode). Run applyBatchRows() on a sample, infer the schema from its rows, then pass it as options.schema.',
    );
    const rows = await collectRows(runner.applyBatch(xBatch([3]), { partitionIndex: 0, schema: parseDDL(LABELLED) }));
    assert.deepEqual(rows, [{ x: 6, label: 'r3' }]);
  });

  it('rejects unknown and invalid applyBatch options', async () => {
    const p = await fixturePayload('result-forms.ts', { context: { form: 'rows' }, schema: LABELLED });
    const runner = JobRunner.fromBytes(p.bytes);
    const unknown = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: 0, partiton: 1 } as never)));
    assert.equal(unknown.message, 'Invalid option in applyBatch(): "partiton". Valid options: partitionIndex, key, schema, maxRowsPerBatch.');
    const negative = await rejection(collectRows(runner.applyBatch(xBatch([1]), { partitionIndex: -1 })));
    assert.equal(negative.message, 'options.partitionIndex must be a non-negative integer, got -1.');
  });
});
