import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SourceMapConsumer } from 'source-map-js';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleJob } from '@tsapply/bundler';
import { withImportMeta } from '../../bundler/dist/import-meta-plugin.js';
import { evaluate, job } from './helpers.js';

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${needle} not found`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('source map', () => {
  it('maps a known bundle position back to the original .ts line and column', async () => {
    const b = await bundleJob(job('deps.ts'));
    const consumer = new SourceMapConsumer(JSON.parse(b.sourceMap));
    const generated = positionOf(b.code, 'Date.UTC(2024, 0, 15)');
    const original = consumer.originalPositionFor({ line: generated.line, column: generated.column - 1 });
    const source = readFileSync(job('deps.ts'), 'utf8');
    const expected = positionOf(source, 'Date.UTC(2024, 0, 15)');
    assert.deepEqual(
      { source: original.source, line: original.line, column: original.column + 1 },
      { source: 'test/fixtures/bundler/jobs/deps.ts', line: expected.line, column: expected.column },
    );
    assert.equal(expected.line, 12);
  });

  it("keeps the job's own source text and drops node_modules contents", async () => {
    const b = await bundleJob(job('deps.ts'));
    const map = JSON.parse(b.sourceMap) as { sources: string[]; sourcesContent: (string | null)[]; sourceRoot?: string };
    const i = map.sources.indexOf('test/fixtures/bundler/jobs/deps.ts');
    assert.equal(map.sourcesContent[i], readFileSync(job('deps.ts'), 'utf8'));
    const j = map.sources.indexOf('node_modules/date-fns/format.js');
    assert.ok(j >= 0);
    assert.equal(map.sourcesContent[j], null);
    assert.ok(!map.sourceRoot, 'no absolute sourceRoot in the map');
    assert.ok(map.sources.every((s) => !s.startsWith('/')), 'every source is relative');
  });

  it('maps the stack frame of an error thrown by apply() to the throw in the original file', async () => {
    const b = await bundleJob(job('throws.ts'));
    const def = evaluate(b) as { apply: (rows: unknown[]) => unknown };
    let stack = '';
    try {
      def.apply([{ x: 3 }]);
      assert.fail('apply should throw');
    } catch (e) {
      stack = (e as Error).stack ?? '';
      assert.equal((e as Error).message, 'mean too large: 3');
    }
    const frame = /tsapply-bundle\.js:(\d+):(\d+)/.exec(stack);
    assert.ok(frame, stack);
    const consumer = new SourceMapConsumer(JSON.parse(b.sourceMap));
    const original = consumer.originalPositionFor({ line: Number(frame[1]), column: Number(frame[2]) - 1 });
    const expected = positionOf(readFileSync(job('throws.ts'), 'utf8'), 'throw new Error');
    assert.equal(`${original.source}:${original.line}:${original.column + 1}`, `test/fixtures/bundler/jobs/throws.ts:${expected.line}:${expected.column + 6}`);
  });

  it("import.meta: each module gets its own file's url, filename and dirname, and keeps its line numbers", async () => {
    const b = await bundleJob(job('import-meta.ts'));
    const def = evaluate(b) as { apply: () => Record<string, string>[] };
    const jobFile = resolve(job('import-meta.ts'));
    const lib = resolve('test/fixtures/bundler/lib');
    assert.deepEqual(def.apply(), [
      { url: pathToFileURL(jobFile).href, dir: dirname(jobFile), file: jobFile, here: `${dirname(jobFile)}/`, helper_dir: lib, beside: join(lib, 'transforms.ts') },
    ]);
    const consumer = new SourceMapConsumer(JSON.parse(b.sourceMap));
    const generated = positionOf(b.code, 'is empty');
    const original = consumer.originalPositionFor({ line: generated.line, column: generated.column - 1 });
    assert.equal(original.line, positionOf(readFileSync(jobFile, 'utf8'), 'is empty').line);
  });

  it('import.meta after a #! line: the declarations go on the next line, the line count stays', () => {
    const source = '#!/usr/bin/env node\nconsole.log(import.meta.url);\n';
    const out = withImportMeta(source, '/data/job.mjs');
    assert.equal(out.split('\n').length, source.split('\n').length);
    assert.ok(out.startsWith('#!/usr/bin/env node\nvar __tsapply_import_meta_url = "file:///data/job.mjs"'), out);
  });
});
