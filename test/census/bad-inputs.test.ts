// The bad-input census (test/census/bad-inputs.ts): every case, in a fresh folder, tells
// the user exactly its message and writes nothing — not in its folder, not in the
// repository it may run from.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, ROOT } from './bad-inputs.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const listing = (dir: string) => readdirSync(dir).sort();

describe(`the bad-input census (${CASES.length} cases)`, () => {
  it('has at least 40 cases across the CLI, job files and the library', () => {
    assert.ok(CASES.length >= 40);
    for (const where of ['CLI', 'job file', 'library']) assert.ok(CASES.some((c) => c.where === where), where);
  });
  for (const c of CASES) {
    it(`${c.where}: ${c.input}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tsapply-census-'));
      dirs.push(dir);
      const repoBefore = listing(ROOT);
      const fixturesBefore = listing(join(ROOT, 'test/fixtures/tsapply/jobs'));
      assert.equal(await c.run(dir), c.message.split('{dir}').join(dir).split('{root}').join(ROOT.replace(/\/$/, '')));
      assert.deepEqual(listing(dir), [], 'nothing written in its folder');
      assert.deepEqual(listing(ROOT), repoBefore, 'nothing written in the repository');
      assert.deepEqual(listing(join(ROOT, 'test/fixtures/tsapply/jobs')), fixturesBefore);
    });
  }
});
