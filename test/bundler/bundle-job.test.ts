import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleJob, formatBundleReport, formatBytes, type JobBundle } from '@tsapply/bundler';
import { evaluate, job, repoRoot } from './helpers.js';

describe('bundleJob', () => {
  it('gives the same sha256 when the same job is bundled twice', async () => {
    const a = await bundleJob(job('deps.ts'));
    const b = await bundleJob(job('deps.ts'));
    assert.match(a.sha256, /^[0-9a-f]{64}$/);
    assert.equal(a.sha256, b.sha256);
    assert.equal(a.code, b.code);
    assert.equal(a.sourceMap, b.sourceMap);
  });

  it('describes the bundle: entry, kind, export, source root, bytes', async () => {
    const b = await bundleJob(job('deps.ts'));
    assert.equal(b.entry, resolve(repoRoot, job('deps.ts')));
    assert.equal(b.kind, 'job');
    assert.equal(b.exportName, 'default');
    assert.equal(b.sourceRoot, repoRoot);
    assert.equal(b.bytes, Buffer.byteLength(b.code));
    assert.deepEqual(b.warnings, []);
    // CommonJS output with no source-map comment (the map travels beside the code).
    assert.match(b.code, /module\.exports = __toCommonJS\(/);
    assert.doesNotMatch(b.code, /sourceMappingURL/);
  });

  it('lists the npm packages really used, with installed versions; built-ins are not packages', async () => {
    const b = await bundleJob(job('deps.ts'));
    assert.deepEqual(
      b.packages.map((p) => `${p.name}@${p.version}`),
      ['@tsapply/common@0.1.0', 'date-fns@4.4.0', 'simple-statistics@7.12.1'],
    );
    for (const p of b.packages) assert.ok(p.bytes > 0, `${p.name} contributes bytes`);
    // Tree-shaken: only format() and its helpers, far less than date-fns' install size.
    const dateFns = b.packages.find((p) => p.name === 'date-fns')!;
    assert.ok(dateFns.bytes < 100_000, `date-fns contributes ${dateFns.bytes} bytes`);
    // node:fs and path stay require()s of built-ins.
    assert.match(b.code, /require\("node:fs"\)/);
    assert.match(b.code, /require\("path"\)/);
    assert.deepEqual(b.nativeAddons, []);
  });

  it('produces code that runs: the default export is the job, its apply uses the bundled packages', async () => {
    const b = await bundleJob(job('deps.ts'));
    const def = evaluate(b) as { apply: (batch: Iterable<Record<string, unknown>>) => unknown };
    const rows = [{ x: 1 }, { x: 2 }, { x: 3 }];
    assert.deepEqual(def.apply(rows), [{ mean: 2, sd: Math.sqrt(2 / 3), day: '2024-01-15', sep: '/' }]);
  });

  it("aliases 'tsapply' to the light job API: small bundle, no driver code", async () => {
    const b = await bundleJob(job('tiny.ts'));
    assert.ok(b.bytes < 3000, `bundle is ${b.bytes} bytes`);
    assert.deepEqual(b.packages.map((p) => p.name), ['@tsapply/common']);
    for (const needle of ['grpc', 'esbuild', 'piscina', 'apache-arrow', 'msgpackr', 'spark']) {
      assert.ok(!b.code.includes(needle), `bundle must not contain ${needle}`);
    }
    assert.deepEqual((evaluate(b) as { schema: string }).schema, 'n long');
  });

  it('bundles msgpackr (pure JS) and keeps its optional native helper external without flagging it', async () => {
    const b = await bundleJob(job('msgpackr-job.ts'));
    assert.deepEqual(b.packages.map((p) => `${p.name}@${p.version}`), ['@tsapply/common@0.1.0', 'msgpackr@2.1.3']);
    assert.deepEqual(b.nativeAddons, []);
    assert.deepEqual(b.optionalNativeAddons, [
      { name: 'msgpackr-extract', version: '3.0.7', reason: 'builds a .node addon with node-gyp from binding.gyp' },
    ]);
    assert.match(b.code, /require\("msgpackr-extract"\)/);
    const def = evaluate(b) as { apply: (rows: unknown[]) => unknown };
    assert.deepEqual(def.apply([{ x: 41 }, { x: 42 }]), [{ y: 41 }, { y: 42 }]);
  });

  it('minify: true gives a smaller bundle with a different hash', async () => {
    const plain = await bundleJob(job('deps.ts'));
    const small = await bundleJob(job('deps.ts'), { minify: true });
    assert.ok(small.bytes < plain.bytes * 0.7, `${small.bytes} vs ${plain.bytes}`);
    assert.notEqual(small.sha256, plain.sha256);
  });

  it('rejects unknown and mistyped options, naming them', async () => {
    await assert.rejects(bundleJob(job('deps.ts'), { minfy: true } as never), {
      name: 'InvalidOptionError',
      code: 'INVALID_OPTION',
      message: 'Invalid option in bundleJob(): "minfy". Did you mean "minify"? Valid options: minify, external, cwd.',
    });
    await assert.rejects(bundleJob(job('deps.ts'), { minify: 'yes' } as never), {
      message: 'options.minify must be a boolean, got string.',
    });
  });

  it('rejects a missing entry file with the resolved path', async () => {
    await assert.rejects(bundleJob('test/fixtures/bundler/jobs/nope.ts'), {
      name: 'BundleError',
      code: 'BUNDLE_FAILED',
      message: `Cannot bundle test/fixtures/bundler/jobs/nope.ts: file not found (resolved to ${join(repoRoot, 'test/fixtures/bundler/jobs/nope.ts')}).`,
    });
  });

  describe('paths in the bundle are relative to the project root', () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    async function bundleCopy(): Promise<JobBundle> {
      const dir = mkdtempSync(join(tmpdir(), 'tsapply-bundler-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'package.json'), '{ "name": "copied-project", "private": true }\n');
      cpSync(join(repoRoot, 'test/fixtures/bundler/standalone'), join(dir, 'jobs'), { recursive: true });
      return bundleJob(join(dir, 'jobs', 'standalone.ts'));
    }

    it('so the same project in two places bundles to the same sha256', async () => {
      const a = await bundleCopy();
      const b = await bundleCopy();
      assert.notEqual(a.sourceRoot, b.sourceRoot);
      assert.equal(a.sha256, b.sha256);
      assert.deepEqual(JSON.parse(a.sourceMap).sources, ['__tsapply_entry__.js', 'jobs/helper.ts', 'jobs/standalone.ts']);
      assert.ok(!a.code.includes(a.sourceRoot));
    });
  });
});

describe('formatBundleReport', () => {
  it('prints the hash, sizes, each package with version and size, and native addons', async () => {
    const b = await bundleJob(job('native-many.ts'));
    const report = formatBundleReport({ ...b, buildMs: 12 });
    assert.equal(
      report,
      [
        'Bundle of test/fixtures/bundler/jobs/native-many.ts',
        `  sha256   ${b.sha256}`,
        `  size     ${formatBytes(b.bytes)} code + ${formatBytes(Buffer.byteLength(b.sourceMap))} source map, built in 12 ms`,
        '  packages (2):',
        `    @tsapply/common  0.1.0  ${formatBytes(b.packages[0]!.bytes).padStart(8)}`,
        `    msgpackr         2.1.3  ${formatBytes(b.packages[1]!.bytes).padStart(8)}`,
        '  native addon (kept external, must be installed where the job runs): fake-gyp-addon@1.2.3: builds a .node addon with node-gyp from binding.gyp',
        '  native addon (kept external, must be installed where the job runs): hidden-native@0.4.0: requires the .node file lib/native/hidden.node',
        '  native addon (kept external, must be installed where the job runs): lz4-napi@2.10.0: ships a .node binary in 17 per-platform packages @antoniomuso/lz4-napi-*',
        '  optional native addon (kept external, used when present): msgpackr-extract@3.0.7',
      ].join('\n'),
    );
  });

  it('formats byte sizes in decimal units', () => {
    assert.deepEqual([formatBytes(999), formatBytes(44731), formatBytes(2_500_000)], ['999 B', '44.7 kB', '2.50 MB']);
  });
});
