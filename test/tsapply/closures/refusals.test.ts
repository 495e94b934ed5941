// What cannot be captured is refused at the call, before anything is bundled or
// uploaded, with one message naming the variable, the kind of value, where it was
// declared (file:line of this file, the .ts as written) and what to do instead.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Socket } from 'node:net';
import { compressSync } from 'lz4-napi';
import { ClosureCaptureError, FunctionLocationError, InvalidOptionError, SparkSession } from 'tsapply';
import { lineOf, planFunction, runShipped } from './helpers.ts';

const FILE = 'test/tsapply/closures/refusals.test.ts';
const at = (marker: string) => `${FILE}:${lineOf(FILE, marker)}`;
const PREFIX = 'Cannot ship the function to Spark: ';
const IN_INIT = 'create it in init() on the worker (its result is ctx.state), or pass plain data in the context option.';

const stream = new PassThrough(); // @decl-stream
const socket = new Socket(); // @decl-socket
// A client object: a Spark Connect session, never connected.
const client = Object.create(SparkSession.prototype) as SparkSession; // @decl-client
class Model {
  predict(x: number) {
    return x * 2;
  }
}
const model = new Model(); // @decl-model
const config = { threshold: 1, model: new Model() }; // @decl-config
const squash = compressSync; // @decl-squash
const progress = (function* () { // @decl-progress
  yield 1;
})();
const cache = new WeakMap<object, number>(); // @decl-cache
const pending = Promise.resolve(1); // @decl-pending
const tree: Record<string, unknown> = { name: 'root' }; // @decl-tree
tree.self = tree;
const double = (x: number) => 2 * x;
const boundDouble = double.bind(null); // @decl-bound
const max = Math.max;
function makeCounter() {
  let n = 0; // @decl-counter
  return { inc: () => ++n, get: () => n }; // @use-counter
}
const counter = makeCounter();

// Captures made by this file's own top-level code, as a script makes them: one before a
// const it uses is declared (V8 shows that const as undefined, yet it has no value), one
// from a function that runs once the top level has passed the declaration, and a let
// declared earlier without a value.
let beforeDeclaration: unknown;
try {
  planFunction((x: number) => x * lateRate, undefined); // @use-late
} catch (e) {
  beforeDeclaration = e;
}
const afterTopLevel = (async () => {
  await null;
  return runShipped((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id, v: Number(r.id) * lateRate })), 3);
})();
let notYetSet: number | undefined;
const lateRate = 2; // @decl-late

function refusal(fn: unknown, message: string, fields: { variable: string; kind: string; declaredAt: string | undefined }) {
  assert.throws(() => planFunction(fn, undefined), (e: unknown) => {
    assert.ok(ClosureCaptureError.is(e), String(e));
    assert.equal((e as Error).message, PREFIX + message);
    assert.deepEqual({ variable: e.variable, kind: e.kind, declaredAt: e.declaredAt }, fields);
    return true;
  });
}

describe('refused captures', () => {
  it('a captured stream and a captured socket', () => {
    refusal(
      (batch: unknown) => [stream, batch], // @use-stream
      `the arrow function at ${at('@use-stream')} captures stream, a stream, socket or client (PassThrough), declared at ${at('@decl-stream')}. It is tied to this process and cannot travel to the executors: ${IN_INIT}`,
      { variable: 'stream', kind: 'a stream, socket or client (PassThrough)', declaredAt: at('@decl-stream') },
    );
    refusal(
      (batch: unknown) => [socket, batch], // @use-socket
      `the arrow function at ${at('@use-socket')} captures socket, a stream, socket or client (Socket), declared at ${at('@decl-socket')}. It is tied to this process and cannot travel to the executors: ${IN_INIT}`,
      { variable: 'socket', kind: 'a stream, socket or client (Socket)', declaredAt: at('@decl-socket') },
    );
  });

  it('a captured client and a captured class instance, also inside plain data', () => {
    refusal(
      () => client.version, // @use-client
      `the arrow function at ${at('@use-client')} captures client, a stream, socket or client (SparkSession), declared at ${at('@decl-client')}. It is tied to this process and cannot travel to the executors: ${IN_INIT}`,
      { variable: 'client', kind: 'a stream, socket or client (SparkSession)', declaredAt: at('@decl-client') },
    );
    refusal(
      (x: number) => model.predict(x), // @use-model
      `the arrow function at ${at('@use-model')} captures model, an instance of class Model, declared at ${at('@decl-model')}. It would arrive as a plain object without its class and methods: capture plain data and rebuild the Model in init() on the worker, or pass the data in the context option.`,
      { variable: 'model', kind: 'an instance of class Model', declaredAt: at('@decl-model') },
    );
    refusal(
      (x: number) => (x > config.threshold ? config.model.predict(x) : 0), // @use-config
      `the arrow function at ${at('@use-config')} captures config.model, an instance of class Model, declared at ${at('@decl-config')}. It would arrive as a plain object without its class and methods: capture plain data and rebuild the Model in init() on the worker, or pass the data in the context option.`,
      { variable: 'config.model', kind: 'an instance of class Model', declaredAt: at('@decl-config') },
    );
  });

  it('`this` inside an arrow function made in a class method', () => {
    class Scorer {
      rate = 2;
      scorer() {
        return (xs: number[]) => xs.map((x) => x * this.rate); // @use-this
      }
    }
    refusal(
      new Scorer().scorer(),
      `the arrow function at ${at('@use-this')} uses this at ${at('@use-this')}, the \`this\` of the code around it (e.g. the enclosing class method's object), which cannot travel to the executors. Copy what it needs into a constant before the call (const rate = this.rate) and use that, or pass it in the context option.`,
      { variable: 'this', kind: "the `this` of the code around it (e.g. the enclosing class method's object)", declaredAt: at('@use-this') },
    );
  });

  it('a captured variable holding a function of a native addon', () => {
    refusal(
      (b: Buffer) => squash(b), // @use-squash
      `the arrow function at ${at('@use-squash')} captures squash, a native function (its source is native code, e.g. from a native addon), declared at ${at('@decl-squash')}. Only JavaScript source can travel to the executors: import it from its package in the module that uses it (import { f } from 'pkg'), so tsapply bundles the import and checks its native addon, or call it in init() on the worker.`,
      { variable: 'squash', kind: 'a native function (its source is native code, e.g. from a native addon)', declaredAt: at('@decl-squash') },
    );
  });

  it('a generator object, a WeakMap, a Promise and circular data', () => {
    refusal(
      () => progress.next(), // @use-progress
      `the arrow function at ${at('@use-progress')} captures progress, a generator object, declared at ${at('@decl-progress')}. Its progress cannot be copied: capture the values it yields ([...gen]) or the generator function itself.`,
      { variable: 'progress', kind: 'a generator object', declaredAt: at('@decl-progress') },
    );
    refusal(
      (o: object) => cache.get(o), // @use-cache
      `the arrow function at ${at('@use-cache')} captures cache, a WeakMap, declared at ${at('@decl-cache')}. The entries of a WeakMap cannot be read, so it cannot be copied: use a Map or Set, or build it in init() on the worker.`,
      { variable: 'cache', kind: 'a WeakMap', declaredAt: at('@decl-cache') },
    );
    refusal(
      () => pending, // @use-pending
      `the arrow function at ${at('@use-pending')} captures pending, a Promise, declared at ${at('@decl-pending')}. A Promise cannot travel to the executors: await it before the call and capture its result, or create it in init() on the worker.`,
      { variable: 'pending', kind: 'a Promise', declaredAt: at('@decl-pending') },
    );
    refusal(
      () => Object.keys(tree), // @use-tree
      `the arrow function at ${at('@use-tree')} captures tree.self, circular data (it refers back to tree), declared at ${at('@decl-tree')}. The serializers cannot encode cycles: break the cycle, or build the structure in init() on the worker.`,
      { variable: 'tree.self', kind: 'circular data (it refers back to tree)', declaredAt: at('@decl-tree') },
    );
  });

  it('a bound function, passed or captured', () => {
    refusal(
      boundDouble,
      'function "bound double" is a bound function (made with .bind()). Its target and bound arguments cannot be read back. Capture the original function and its arguments instead, e.g. (batch, ctx) => f(x, batch, ctx).',
      { variable: 'bound double', kind: 'a bound function', declaredAt: undefined },
    );
    refusal(
      (x: number) => boundDouble(x), // @use-bound
      `the arrow function at ${at('@use-bound')} captures boundDouble, a bound function (made with .bind()), declared at ${at('@decl-bound')}. Its target and bound arguments cannot be read back. Capture the original function and its arguments instead, e.g. (batch, ctx) => f(x, batch, ctx).`,
      { variable: 'boundDouble', kind: 'a bound function', declaredAt: at('@decl-bound') },
    );
  });

  it('a built-in passed as the function (Math.max); captured, a built-in is written back by name and works', async () => {
    refusal(Math.max, 'Math.max is a built-in function. Pass a function of your own that calls it, e.g. (batch, ctx) => … Math.max(…) ….', {
      variable: 'max',
      kind: 'a built-in function',
      declaredAt: undefined,
    });
    const rows = await runShipped((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id, m: max(Number(r.id), 1) })), 3);
    assert.deepEqual(rows.map((r) => r.m), [1, 1, 2]);
  });

  it('arguments of an enclosing function and a direct eval', () => {
    const arrow = (function (..._: unknown[]) {
      return () => arguments.length; // @use-arguments
    })(1, 2);
    refusal(
      arrow,
      `the arrow function at ${at('@use-arguments')} uses arguments at ${at('@use-arguments')}, the \`arguments\` of the enclosing function, which cannot travel to the executors. Pass what it needs as a variable or in the context option instead of arguments.`,
      { variable: 'arguments', kind: 'the `arguments` of the enclosing function', declaredAt: at('@use-arguments') },
    );
    refusal(
      (code: string) => eval(code), // @use-eval
      `the arrow function at ${at('@use-eval')} calls eval() at ${at('@use-eval')}, which may read any variable around it, so tsapply cannot tell what to capture. Remove the eval, or move the code into a module of your own and export it.`,
      { variable: 'eval', kind: 'a direct eval', declaredAt: at('@use-eval') },
    );
  });

  it('a const the call runs before is refused; after its declaration, or a let left unset, it is captured', async () => {
    assert.ok(ClosureCaptureError.is(beforeDeclaration), String(beforeDeclaration));
    assert.equal(
      (beforeDeclaration as Error).message,
      `${PREFIX}the arrow function at ${at('@use-late')} captures lateRate, declared with const at ${at('@decl-late')}, ` +
        `but this call, at ${at('@use-late')}, runs before that declaration has run, so lateRate has no value yet. Move the declaration above the call.`,
    );
    assert.deepEqual(
      { variable: beforeDeclaration.variable, kind: beforeDeclaration.kind, declaredAt: beforeDeclaration.declaredAt },
      { variable: 'lateRate', kind: 'a const not yet declared when the call runs', declaredAt: at('@decl-late') },
    );
    assert.deepEqual((await afterTopLevel).map((r) => r.v), [0, 2, 4]);
    const rows = await runShipped((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id, unset: notYetSet === undefined })), 2);
    assert.deepEqual(rows.map((r) => r.unset), [true, true]);
  });

  it('two closures of one factory call that share a variable one of them assigns', async () => {
    refusal(
      () => [counter.inc(), counter.get()],
      `the arrow function at ${at('@use-counter')} and the arrow function at ${at('@use-counter')} share n, a variable of the scope of makeCounter declared at ${at('@decl-counter')}, ` +
        `and the first assigns it at ${at('@use-counter')}. Each shipped function gets its own copy of what it captures, so on the executors the other would not see the change. ` +
        'Keep the state in one function, or in ctx.state (what init() returns).',
      { variable: 'n', kind: 'a variable that closures share and one assigns', declaredAt: at('@decl-counter') },
    );
    // One of them alone keeps its own copy, counting on the worker as it would here.
    const inc = makeCounter().inc;
    const rows = await runShipped((batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id, n: inc() })), 1);
    assert.deepEqual(rows.map((r) => r.n), [1]);
  });

  it('not a function, and init given by export name for a captured function', () => {
    assert.throws(() => planFunction(42, undefined), (e: unknown) => FunctionLocationError.is(e) && (e as Error).message === `${PREFIX}expected a function, got number`);
    assert.throws(() => planFunction((b: unknown) => b, 'setup'), (e: unknown) => {
      assert.ok(InvalidOptionError.is(e));
      assert.equal(
        (e as Error).message,
        'options.init can be an export name only when the function is exported from a module other than the running script; pass the init function itself (init: (context) => …), got "setup".',
      );
      return true;
    });
  });
});
