// The embedded engine (runJob): each wrongly shaped result of apply() rejects with the
// same ResultShapeError — class, message and fields, rebuilt on the driver after it
// crossed the worker thread — whether the job declares its schema (the tasks convert
// with it) or not (the first task's rows are collected to infer one). The shapes and
// their messages are in test/fixtures/common/result-shapes.ts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJob } from 'tsapply';
import { assertShapeError, BAD_SHAPES, SHAPES_SCHEMA } from '../../fixtures/common/result-shapes.ts';
import { tempDir } from '../cli-helpers.ts';

const dir = tempDir('tsapply-result-shapes-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a job whose apply() returns `source` (one input row, one partition). */
function job(name: string, source: string, schema: string | undefined): string {
  const folder = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(folder, { recursive: true });
  const file = join(folder, schema === undefined ? 'inferred.ts' : 'declared.ts');
  const schemaLine = schema === undefined ? '' : `  schema: ${JSON.stringify(schema)},\n`;
  writeFileSync(file, `export default {\n  input: { rows: [{ x: 1 }] },\n${schemaLine}  apply(): any {\n    return (${source});\n  },\n};\n`);
  return file;
}

describe('runJob: a wrongly shaped result is one ResultShapeError, with or without a schema', () => {
  for (const shape of BAD_SHAPES) {
    it(shape.name, async () => {
      for (const schema of [SHAPES_SCHEMA, undefined]) {
        const how = schema === undefined ? 'schema inferred' : 'schema declared';
        await assert.rejects(runJob(job(shape.name, shape.source, schema), { workers: 1, quiet: true, typecheck: false }), (e: unknown) => {
          assertShapeError(e, shape, how, 0);
          return true;
        });
      }
    });
  }
});
