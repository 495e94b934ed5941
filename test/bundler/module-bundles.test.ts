import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleGeneratedEntry, bundleModuleFunction, bundleSerializerModule } from '@tsapply/bundler';
import { evaluate } from './helpers.js';

const transforms = 'test/fixtures/bundler/lib/transforms.ts';

describe('bundleModuleFunction', () => {
  it('bundles one exported function, records its name and tree-shakes the others', async () => {
    const b = await bundleModuleFunction(transforms, 'addOne');
    assert.equal(b.kind, 'function');
    assert.equal(b.exportName, 'addOne');
    // date-fns declares `sideEffects: false`, so its unused import vanishes entirely;
    // simple-statistics does not, so esbuild must keep its module-level code.
    assert.deepEqual(b.packages.map((p) => p.name), ['simple-statistics']);
    assert.ok(!b.code.includes('medianOf') && !b.code.includes('yyyy-MM-dd'));
    const fn = evaluate(b) as (rows: { x: number }[]) => unknown;
    assert.deepEqual(fn([{ x: 1 }, { x: 41 }]), [{ x: 2 }, { x: 42 }]);
  });

  it('lists only the packages the chosen function uses', async () => {
    const b = await bundleModuleFunction(transforms, 'medianOf');
    assert.deepEqual(b.packages.map((p) => p.name), ['simple-statistics']);
    assert.deepEqual((evaluate(b) as (rows: { x: number }[]) => unknown)([{ x: 1 }, { x: 5 }, { x: 3 }]), { median: 3 });
  });

  it('names the missing export of a generated entry (not "No default export")', async () => {
    const entry = (spec: string) => `import { addOne, missingInit } from ${spec};\nexport default { apply: addOne, init: missingInit };\n`;
    await assert.rejects(bundleGeneratedEntry(transforms, entry), {
      name: 'BundleError',
      message: `Cannot bundle ${transforms}:\n  ${transforms}: ERROR: No export named "missingInit".`,
    });
  });

  it('rejects an export the module does not have, and names that are not identifiers', async () => {
    await assert.rejects(bundleModuleFunction(transforms, 'nope'), {
      name: 'BundleError',
      message: `Cannot bundle ${transforms}:\n  ${transforms}: ERROR: No export named "nope".`,
    });
    await assert.rejects(bundleModuleFunction(transforms, 'a-b'), {
      name: 'BundleError',
      message: `Cannot bundle ${transforms}:\n  ERROR: Export name "a-b" is not a JavaScript identifier.`,
    });
  });
});

describe('bundleSerializerModule', () => {
  it('bundles a custom serializer whose default export works after evaluation', async () => {
    const b = await bundleSerializerModule('test/fixtures/bundler/lib/json-serializer.ts');
    assert.equal(b.kind, 'serializer');
    assert.equal(b.exportName, 'default');
    const s = evaluate(b) as { id: string; serialize(v: unknown): Uint8Array; deserialize(b: Uint8Array): unknown };
    assert.equal(s.id, 'json-test');
    assert.deepEqual(s.deserialize(s.serialize({ a: [1, 'x'] })), { a: [1, 'x'] });
  });

  it('rejects a serializer module without a default export', async () => {
    await assert.rejects(bundleSerializerModule(transforms), {
      message: `Cannot bundle ${transforms}:\n  ${transforms}: ERROR: No default export. A serializer module must \`export default { id, serialize, deserialize }\`.`,
    });
  });
});
