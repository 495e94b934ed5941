// JobRunner: each wrongly shaped result of apply() is the same ResultShapeError — same
// message, same fields, plus the partition — from applyBatch (declared schema) and from
// applyBatchRows (no schema: the sample the driver infers a schema from). The shapes and
// their messages are in test/fixtures/common/result-shapes.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JobRunner } from '@tsapply/worker-runtime';
import { join } from 'node:path';
import { assertShapeError, BAD_SHAPES, SHAPES_SCHEMA } from '../fixtures/common/result-shapes.ts';
import { collectRows, handPayload, rejection, ROOT, xBatch } from './payload-helpers.js';

const file = join(ROOT, 'examples', 'shapes.ts');

/** A payload whose apply() returns `source`; `schema` null is inference mode. */
function runner(source: string, schema: string | null): JobRunner {
  const code = `exports.default = { input: { rows: [] }, apply() { return (${source}); } };\n`;
  return JobRunner.fromBytes(handPayload(code, file, { schema }).bytes);
}

describe('JobRunner: a wrongly shaped result is one ResultShapeError, with or without a schema', () => {
  for (const shape of BAD_SHAPES) {
    it(shape.name, async () => {
      const errors: [string, unknown][] = [
        ['applyBatch, declared schema', await rejection(collectRows(runner(shape.source, SHAPES_SCHEMA).applyBatch(xBatch([1]), { partitionIndex: 3 })))],
        ['applyBatchRows, no schema', await rejection(runner(shape.source, null).applyBatchRows(xBatch([1]), { partitionIndex: 3 }))],
      ];
      for (const [how, e] of errors) assertShapeError(e, shape, how, 3);
    });
  }
});

describe('JobRunner: a group\'s wrong result names the group', () => {
  it('in the message of a wrong shape, a schema mismatch and a throw while iterating the result', async () => {
    const key = { g: 'b', n: 2n };
    const shape = await rejection(collectRows(runner('"1"', SHAPES_SCHEMA).applyBatch(xBatch([1]), { partitionIndex: 3, key })));
    assert.match(String((shape as Error).message), /^Wrong result from apply\(\) \(partition 3, group g="b", n=2\): /);
    const mismatch = await rejection(collectRows(runner('[{ x: "not a number" }]', 'x double').applyBatch(xBatch([1]), { partitionIndex: 3, key })));
    assert.match(String((mismatch as Error).message), /^The value apply\(\) returned for partition 3, group g="b", n=2 does not fit the output schema: /);
    const thrown = await rejection(collectRows(runner('(function* () { throw new Error("mid-way"); })()', SHAPES_SCHEMA).applyBatch(xBatch([1]), { partitionIndex: 3, key })));
    assert.match(String((thrown as Error).message), /\(partition 3, group g="b", n=2\): mid-way$/);
  });
});
