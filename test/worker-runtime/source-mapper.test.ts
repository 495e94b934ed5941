import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BundleSourceMapper, evaluateCommonJs, piscinaTaskFilename } from '@tsapply/worker-runtime';
import { fixtureBundle } from './payload-helpers.js';

const THROWS = 'test/fixtures/worker-runtime/throws.ts';
const NAME = 'tsapply-bundle:0123456789abcdef.js';

describe('BundleSourceMapper', () => {
  it('maps bundle frames, keeps user files, drops tsapply, piscina and node internals', async () => {
    const b = await fixtureBundle('throws.ts');
    const exports = evaluateCommonJs(b.code, { filename: NAME, requireFrom: b.entry }) as { default: { apply: Function } };
    let stack = '';
    try {
      exports.default.apply({}, { context: { mode: 'apply' } });
    } catch (e) {
      stack = (e as Error).stack!;
    }
    const bundleFrame = stack.split('\n')[1]!;
    assert.match(bundleFrame, /^ {4}at Object\.apply \(tsapply-bundle:0123456789abcdef\.js:\d+:\d+\)$/);
    const piscinaFile = createRequire(import.meta.url).resolve('piscina');
    const synthetic = [
      'Error: temperature out of range',
      '  second message line',
      bundleFrame,
      `    at JobRunner.callApply (${piscinaTaskFilename}:10:5)`,
      `    at onMessage (${piscinaFile}:20:3)`,
      '    at async Promise.all (index 0)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at userHelper (${join('/srv', 'jobs', 'lib.js')}:3:9)`,
    ].join('\n');
    const mapper = new BundleSourceMapper(NAME, b.sourceMap);
    const mapped = mapper.mapStack(synthetic);
    assert.deepEqual(mapped.location, { file: THROWS, line: 19, column: 13 });
    assert.equal(
      mapped.userStack,
      [
        'Error: temperature out of range',
        '  second message line',
        `    at Object.apply (${THROWS}:19:13)`,
        '    at userHelper (/srv/jobs/lib.js:3:9)',
      ].join('\n'),
    );
  });

  it('leaves frames unmapped (but kept) when the payload has no source map', () => {
    const mapper = new BundleSourceMapper(NAME, '');
    const mapped = mapper.mapStack(`Error: x\n    at f (${NAME}:3:4)`);
    assert.equal(mapped.location, undefined);
    assert.equal(mapped.userStack, `Error: x\n    at f (${NAME}:3:4)`);
  });

  it('survives a corrupt source map', () => {
    const mapper = new BundleSourceMapper(NAME, '{not json');
    assert.equal(mapper.mapPosition(1, 1), undefined);
  });

  it('gives bundle code a require() that resolves from the job file folder', () => {
    const exports = evaluateCommonJs('module.exports.dir = __dirname; module.exports.arrow = typeof require("apache-arrow").tableFromArrays;', {
      filename: NAME,
      requireFrom: join(process.cwd(), 'examples', 'x.ts'),
    }) as { dir: string; arrow: string };
    assert.equal(exports.dir, join(process.cwd(), 'examples'));
    assert.equal(exports.arrow, 'function');
  });
});
