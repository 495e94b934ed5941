// An error thrown inside a captured function is reported at the ORIGINAL file:line:column
// where the user wrote it: this .ts file (run through tsx) here, and a plain .mjs and
// .cjs script under node in a child process, both through the worker runtime.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { UserCodeError } from 'tsapply';
import { columnOf, lineOf, runShipped } from './helpers.ts';

const FILE = 'test/tsapply/closures/locations.test.ts';
const limit = 2;

function check(id: bigint): bigint {
  if (id > BigInt(limit)) throw new RangeError(`id ${id} is over the limit`); // @throw-helper
  return id;
}

describe('error locations', () => {
  it('a throw in an inline arrow names this .ts file, line and column', async () => {
    const fn = (batch: Iterable<{ id: bigint }>) =>
      [...batch].map((r) => {
        if (r.id === 3n) throw new Error(`row ${r.id} is not allowed`); // @throw-inline
        return { id: r.id };
      });
    await assert.rejects(runShipped(fn, 5), (e: unknown) => {
      assert.ok(UserCodeError.is(e), String(e));
      const line = lineOf(FILE, '@throw-inline');
      const column = columnOf(FILE, '@throw-inline', 'new Error');
      assert.deepEqual(e.location, { file: FILE, line, column });
      assert.equal(e.message, `Error in apply() at ${FILE}:${line}:${column} (partition 0): row 3 is not allowed`);
      return true;
    });
  });

  it('a throw in a captured helper of the same script names the helper\'s line', async () => {
    const fn = (batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: check(r.id) }));
    await assert.rejects(runShipped(fn, 5), (e: unknown) => {
      assert.ok(UserCodeError.is(e), String(e));
      const where = `${FILE}:${lineOf(FILE, '@throw-helper')}:${columnOf(FILE, '@throw-helper', 'new RangeError')}`;
      assert.equal(`${e.location?.file}:${e.location?.line}:${e.location?.column}`, where);
      assert.equal(e.userMessage, 'id 3 is over the limit');
      assert.equal(e.userStack?.split('\n').slice(0, 2).join('\n'), `RangeError: id 3 is over the limit\n    at check (${where})`);
      return true;
    });
  });

  for (const script of ['throwing.mjs', 'throwing.cjs']) {
    it(`a throw in a closure of ${script} run by plain node names that file`, () => {
      const file = `test/fixtures/closures/${script}`;
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
      const where = `${file}:${lineOf(file, '@throw')}:${columnOf(file, '@throw', 'new Error')}`;
      assert.equal(out.trim(), `UserCodeError|Error in apply() at ${where} (partition 0): row 2 is not allowed`);
    });
  }
});
