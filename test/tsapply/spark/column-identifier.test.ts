/**
 * Column names ⇄ Spark identifiers (packages/tsapply/src/spark/column-identifier.ts):
 * the quoting that makes `x.y` one column on Spark, and the parsing that turns a quoted
 * groupBy identifier back into the column name `ctx.key` is keyed by.
 * test/spark/input-parity.test.ts runs such names on a real Spark.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// Internals are not part of the package's public exports: import the built file.
import { identifierParts, quoteColumnName } from '../../../packages/tsapply/dist/spark/column-identifier.js';

describe('quoteColumnName', () => {
  for (const [name, quoted] of [
    ['a', '`a`'],
    ['x.y', '`x.y`'],
    ['w`q', '`w``q`'],
    ['``', '``````'],
    ['', '``'],
    ['with space', '`with space`'],
  ] as const) {
    it(`${JSON.stringify(name)} → ${quoted}`, () => assert.equal(quoteColumnName(name), quoted));
  }

  it('round-trips through identifierParts as one part', () => {
    for (const name of ['a', 'x.y', 'w`q', '`', 'a.`b`.c', '', ' ']) assert.deepEqual(identifierParts(quoteColumnName(name)), [name]);
  });
});

describe('identifierParts', () => {
  for (const [identifier, parts] of [
    ['a', ['a']],
    ['t.a', ['t', 'a']],
    ['`x.y`', ['x.y']],
    ['a.`b.c`', ['a', 'b.c']],
    ['`w``q`.z', ['w`q', 'z']],
  ] as const) {
    it(`${identifier} → ${JSON.stringify(parts)}`, () => assert.deepEqual(identifierParts(identifier), parts));
  }

  for (const identifier of ['`open', 'a`b', '`a`b', '`a`.`b']) {
    it(`${identifier} is not an identifier Spark parses`, () => assert.equal(identifierParts(identifier), undefined));
  }
});
