// Functions as data scientists write them — inline arrows, function expressions, functions
// of the running script (this test file), factory-made closures, cycles of closures — are
// captured with what they use, shipped in a payload and run by the worker runtime. Each
// result is checked against calling the same function here, on the driver.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { format, addDays } from 'date-fns';
import * as stats from 'simple-statistics';
import label, { triple } from '../../fixtures/closures/helpers.ts';
import * as helpers from '../../fixtures/closures/helpers.ts';
import { createBatch } from '@tsapply/common';
import { ids, payloadOf, runShipped } from './helpers.ts';

type Row = { id: bigint };
const rowsOf = (batch: Iterable<unknown>) => [...batch] as Row[];

/** Runs `fn` on the driver on the same batch, with the same ctx, for the expected rows. */
async function onDriver(fn: (batch: never, ctx: never) => unknown, n: number, context?: unknown): Promise<unknown> {
  return fn(createBatch(ids(n)) as never, { context, partitionIndex: 0, state: undefined } as never);
}

const k = 3;
const big = 2n ** 62n;
const notANumber = Number.NaN;
const nothing = undefined;
const negativeZero = -0;
const rates = new Map<string, number>([['a', 1.5], ['b', 2]]);
const tags = new Set(['x', 'y']);
const epoch = new Date(Date.UTC(2024, 0, 2));
const pattern = /^row-(\d+)$/i;
const weights = new Float64Array([0.25, 0.5]);
const nested = { a: [1, 2, { b: 'c' }], when: epoch, bytes: new Uint8Array([1, 2, 3]) };

function helper(x: number): number {
  return x * k;
}
const isEven = (n: number): boolean => (n === 0 ? true : isOdd(n - 1));
const isOdd = (n: number): boolean => (n === 0 ? false : isEven(n - 1));
function makeScorer(w: number[]) {
  const bias = 0.5;
  return (x: number) => w[0]! * x + bias;
}
const ops = { twice: (x: number) => 2 * x, square: function (x: number) { return x * x; } };

describe('captured values', () => {
  it('primitives (bigint, NaN, -0, undefined), Map, Set, Date, RegExp, typed arrays and nested data arrive as they were', async () => {
    const fn = (batch: Iterable<unknown>) =>
      rowsOf(batch).map((r) => ({
        id: r.id,
        k,
        big: big + r.id,
        nan: Number.isNaN(notANumber),
        negZero: Object.is(negativeZero, -0),
        nothing: nothing === undefined,
        rate: rates.get('a')! * Number(r.id),
        tags: [...tags].join(','),
        day: epoch.toISOString(),
        match: pattern.test(`ROW-${r.id}`),
        weight: weights[Number(r.id) % 2]!,
        nested: `${nested.a.length}:${(nested.a[2] as { b: string }).b}:${nested.when.getTime()}:${nested.bytes[2]}`,
      }));
    const shipped = await runShipped(fn, 3);
    assert.deepEqual(shipped, await onDriver(fn as never, 3));
    assert.deepEqual(shipped[2], {
      id: 2n, k: 3, big: 2n ** 62n + 2n, nan: true, negZero: true, nothing: true, rate: 3, tags: 'x,y',
      day: '2024-01-02T00:00:00.000Z', match: true, weight: 0.25, nested: '3:c:1704153600000:3',
    });
  });

  it('same-script helpers, a cycle of closures, a factory-made closure and an object\'s function properties', async () => {
    const scorer = makeScorer([2]);
    const fn = (batch: Iterable<unknown>) =>
      rowsOf(batch).map((r) => {
        const x = Number(r.id);
        return { id: r.id, h: helper(x), even: isEven(x), score: scorer(x), twice: ops.twice(x), square: ops.square(x) };
      });
    const shipped = await runShipped(fn, 4);
    assert.deepEqual(shipped, await onDriver(fn as never, 4));
    assert.deepEqual(shipped[3], { id: 3n, h: 9, even: false, score: 6.5, twice: 6, square: 9 });
  });

  it('a factory-made closure passed directly, and two closures of the same factory with different captured values', async () => {
    const double = makeScorer([2]);
    const tenfold = makeScorer([10]);
    const each = (scorer: (x: number) => number) => (batch: Iterable<unknown>) => rowsOf(batch).map((r) => ({ id: r.id, s: scorer(Number(r.id)) }));
    assert.deepEqual((await runShipped(each(double), 2)).map((r) => r.s), [0.5, 2.5]);
    assert.deepEqual((await runShipped(each(tenfold), 2)).map((r) => r.s), [0.5, 10.5]);
  });

  it('a function expression, a named function of this script and an async function', async () => {
    const expression = function (batch: Iterable<unknown>) {
      return rowsOf(batch).map((r) => ({ id: r.id, k: k * 2 }));
    };
    assert.deepEqual(await runShipped(expression, 2), [{ id: 0n, k: 6 }, { id: 1n, k: 6 }]);
    assert.deepEqual(await runShipped(sameScriptFunction, 2), [{ id: 0n, h: 0 }, { id: 1n, h: 3 }]);
    const asynchronous = async (batch: Iterable<unknown>) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return rowsOf(batch).map((r) => ({ id: r.id, h: helper(Number(r.id)) }));
    };
    assert.deepEqual(await runShipped(asynchronous, 2), [{ id: 0n, h: 0 }, { id: 1n, h: 3 }]);
  });

  it('a generator function (apply may return an iterable of rows)', async () => {
    function* rows(batch: Iterable<unknown>) {
      for (const r of rowsOf(batch)) yield { id: r.id, k };
    }
    assert.deepEqual(await runShipped(rows, 2), [{ id: 0n, k: 3 }, { id: 1n, k: 3 }]);
  });

  it('imports: named and namespace npm imports, and named, default and namespace imports of the user\'s own module', async () => {
    const fn = (batch: Iterable<unknown>) =>
      rowsOf(batch).map((r) => ({
        id: r.id,
        day: format(addDays(new Date(2024, 0, 1), Number(r.id)), 'yyyy-MM-dd'),
        mean: stats.mean([1, 2, Number(r.id)]),
        tripled: triple(Number(r.id)),
        label: label(Number(r.id)),
        factor: helpers.factor,
      }));
    const fp = await payloadOf(fn);
    assert.deepEqual(fp.bundle.packages.map((p) => p.name), ['date-fns', 'simple-statistics']);
    const shipped = await (await import('./helpers.ts')).runPayload(fp, 2);
    assert.deepEqual(shipped, await onDriver(fn as never, 2));
    assert.deepEqual(shipped[1], { id: 1n, day: '2024-01-02', mean: 4 / 3, tripled: 3, label: '#1', factor: 3 });
  });

  it("import.meta in an inline function names this file, as it does on the driver (a file beside it is found from there)", async () => {
    const fn = (batch: Iterable<unknown>) =>
      rowsOf(batch).map((r) => ({ id: r.id, url: import.meta.url, beside: new URL('./helpers.ts', import.meta.url).pathname, dir: import.meta.dirname, file: import.meta.filename }));
    const shipped = await runShipped(fn, 1);
    assert.deepEqual(shipped, await onDriver(fn as never, 1));
    assert.equal(shipped[0]!.beside, fileURLToPath(new URL('./helpers.ts', import.meta.url)));
  });

  it('init: a captured function whose result is ctx.state, with ctx.context the user\'s own context', async () => {
    const init = (context: { prefix: string }) => ({ prefix: `${context.prefix}${k}` });
    const fn = (batch: Iterable<unknown>, ctx: { state: { prefix: string }; context: { prefix: string } }) =>
      rowsOf(batch).map((r) => ({ id: r.id, label: `${ctx.state.prefix}:${ctx.context.prefix}:${r.id}` }));
    assert.deepEqual(await runShipped(fn, 2, { init, context: { prefix: 'p' } }), [
      { id: 0n, label: 'p3:p:0' },
      { id: 1n, label: 'p3:p:1' },
    ]);
  });

  it('an object used only as obj.prop ships only the properties used (an unused client in it is not refused)', async () => {
    class Client {
      query() {
        return 1;
      }
    }
    const settings = { threshold: 1, client: new Client(), label: (id: bigint) => `#${id}` };
    const fn = (batch: Iterable<unknown>) => rowsOf(batch).map((r) => ({ id: r.id, over: Number(r.id) > settings.threshold, label: settings.label(r.id) }));
    assert.deepEqual(await runShipped(fn, 3), [
      { id: 0n, over: false, label: '#0' },
      { id: 1n, over: false, label: '#1' },
      { id: 2n, over: true, label: '#2' },
    ]);
  });

  it('takes the value a variable has at the call: a later reassignment does not reach the job', async () => {
    let threshold = 1;
    const fn = (batch: Iterable<unknown>) => rowsOf(batch).map((r) => ({ id: r.id, over: Number(r.id) > threshold }));
    const shipping = payloadOf(fn); // captured here, synchronously
    threshold = 100;
    const { runPayload } = await import('./helpers.ts');
    assert.deepEqual((await runPayload(await shipping, 3)).map((r) => r.over), [false, false, true]);
  });

  it('a captured object is a snapshot taken at the call', async () => {
    const limits = { max: 1 };
    const fn = (batch: Iterable<unknown>) => rowsOf(batch).map((r) => ({ id: r.id, capped: Math.min(Number(r.id), limits.max) }));
    const shipping = payloadOf(fn);
    limits.max = 100;
    const { runPayload } = await import('./helpers.ts');
    assert.deepEqual((await runPayload(await shipping, 3)).map((r) => r.capped), [0, 1, 1]);
  });
});

export function sameScriptFunction(batch: Iterable<unknown>) {
  return rowsOf(batch).map((r) => ({ id: r.id, h: helper(Number(r.id)) }));
}
