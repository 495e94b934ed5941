import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeAddonError, assertNoNativeAddons, bundleJob } from '@tsapply/bundler';
import { job } from './helpers.js';

const LZ4 = {
  name: 'lz4-napi',
  version: '2.10.0',
  reason: 'ships a .node binary in 17 per-platform packages @antoniomuso/lz4-napi-*',
};

describe('native addons', () => {
  it('detects lz4-napi, keeps it external and reports it', async () => {
    const b = await bundleJob(job('native.ts'));
    assert.deepEqual(b.nativeAddons, [LZ4]);
    assert.match(b.code, /require\("lz4-napi"\)/);
    assert.ok(!b.packages.some((p) => p.name === 'lz4-napi'));
  });

  it('finds every kind in one pass: platform packages, binding.gyp, a .node file required by plain-looking code', async () => {
    const b = await bundleJob(job('native-many.ts'));
    assert.deepEqual(b.nativeAddons, [
      { name: 'fake-gyp-addon', version: '1.2.3', reason: 'builds a .node addon with node-gyp from binding.gyp' },
      { name: 'hidden-native', version: '0.4.0', reason: 'requires the .node file lib/native/hidden.node' },
      LZ4,
    ]);
    // Externals keep the specifier as written, never a path into the driver's disk.
    for (const name of ['fake-gyp-addon', 'hidden-native', 'lz4-napi']) {
      assert.match(b.code, new RegExp(`require\\("${name}"\\)`));
    }
    assert.ok(!b.code.includes('hidden.node'));
    // msgpackr's optional helper does not count.
    assert.deepEqual(b.optionalNativeAddons.map((a) => a.name), ['msgpackr-extract']);
  });

  it('assertNoNativeAddons names all of them in one error, with what to do', async () => {
    const b = await bundleJob(job('native-many.ts'));
    assert.throws(() => assertNoNativeAddons(b, 'Spark executors'), (e: unknown) => {
      assert.ok(e instanceof NativeAddonError);
      assert.equal(e.code, 'NATIVE_ADDON');
      assert.equal(e.where, 'Spark executors');
      assert.deepEqual(e.addons.map((a) => a.name), ['fake-gyp-addon', 'hidden-native', 'lz4-napi']);
      assert.equal(
        e.message,
        'The job imports 3 packages with native addons, which cannot be bundled and shipped to Spark executors: ' +
          'fake-gyp-addon@1.2.3 (builds a .node addon with node-gyp from binding.gyp), ' +
          'hidden-native@0.4.0 (requires the .node file lib/native/hidden.node), ' +
          'lz4-napi@2.10.0 (ships a .node binary in 17 per-platform packages @antoniomuso/lz4-napi-*). ' +
          'Use a pure-JavaScript/WebAssembly alternative, or run on the embedded engine where node_modules is available.',
      );
      return true;
    });
  });

  it('assertNoNativeAddons passes for msgpackr, whose native helper is optional', async () => {
    const b = await bundleJob(job('msgpackr-job.ts'));
    assert.doesNotThrow(() => assertNoNativeAddons(b));
  });

  it('an external native package still loads from the job folder locally', async () => {
    const b = await bundleJob(job('native.ts'));
    const { evaluate } = await import('./helpers.js');
    const def = evaluate(b) as { apply: (rows: unknown[]) => { n: number }[] };
    const [out] = def.apply([{ x: 'hello hello hello' }]);
    assert.ok(out!.n > 0);
  });
});
