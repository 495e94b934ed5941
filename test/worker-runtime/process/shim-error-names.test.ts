// The Python shim raises tsapply errors by class name and code (its ERROR_CODES table) and
// the driver rebuilds them from the TypeScript registry (registerErrorClass). The shim is
// shipped to executors as one hand-written file, so instead of generating its list at
// build time this test keeps the two in step: every name the shim uses is in its table,
// every entry of the table is a registered TypeScript class with that very code, and a
// marker the real shim builds comes back on the driver as that class.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { registeredErrorClass } from '@tsapply/common';
// Importing the packages registers their error classes, as on the driver.
import '@tsapply/worker-runtime';
import { ExecutorSetupError, translateSparkError } from 'tsapply';
import { fromShim, SHIM_SOURCE as SHIM } from './shim-harness.ts';

describe("the shim's error names and codes", () => {
  const table = fromShim('print(json.dumps(shim.ERROR_CODES))') as Record<string, string>;

  it('every name the shim raises or relays is in its ERROR_CODES table', () => {
    const source = readFileSync(SHIM, 'utf8');
    const patterns = [/_details\(\s*"(\w+)"/g, /"name":\s*"(\w+)"/g, /ERROR_CODES\["(\w+)"\]/g];
    const used = new Set(patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!)));
    assert.deepEqual([...used].sort(), ['ExecutorSetupError', 'ProtocolError', 'ResultShapeError', 'SchemaMismatchError', 'TaskTimeoutError', 'UserCodeError', 'WorkerCrashError', 'WorkerOutOfMemoryError']);
    assert.deepEqual([...used].filter((n) => !(n in table)), []);
    // Codes are written only in the table (and read from the worker's errors).
    assert.deepEqual([...source.matchAll(/"code":\s*"(\w+)"/g)].map((m) => m[1]), []);
  });

  it('every entry is a registered TypeScript error class with that code', () => {
    assert.deepEqual(Object.keys(table).sort(), ['ExecutorSetupError', 'ProtocolError', 'ResultShapeError', 'SchemaMismatchError', 'TaskTimeoutError', 'UserCodeError', 'WorkerCrashError', 'WorkerOutOfMemoryError']);
    for (const [name, code] of Object.entries(table)) {
      const cls = registeredErrorClass(name);
      assert.ok(cls, `${name} is not registered with registerErrorClass`);
      assert.equal(cls.className, name);
      assert.equal(cls.code, code, `the code of ${name}`);
    }
  });

  it("the driver rebuilds each class from the shim's marker", () => {
    const markers = fromShim(
      'print(json.dumps({n: str(shim.TsapplyError("m", shim._details(n, "from the shim: " + n))) for n in shim.ERROR_CODES}))',
    ) as Record<string, string>;
    for (const [name, text] of Object.entries(markers)) {
      const e = translateSparkError({ message: `PythonException: ${text}`, serverMessage: text }) as Error & { code: string };
      const cls = registeredErrorClass(name)!;
      assert.ok(cls.is(e), `${name}: got ${String(e)}`);
      assert.equal(e.message, `from the shim: ${name}`);
      assert.equal(e.code, table[name]);
    }
  });

  it('an executor setup problem keeps its reason beside the class code', () => {
    const { text } = fromShim('print(json.dumps({"text": str(shim._setup_error("No node on this executor.", "NODE_MISSING"))}))') as { text: string };
    const e = translateSparkError({ message: text, serverMessage: text });
    assert.ok(ExecutorSetupError.is(e));
    assert.equal(e.message, 'No node on this executor.');
    assert.equal(e.code, 'EXECUTOR_SETUP');
    assert.equal(e.reason, 'NODE_MISSING');
  });
});
