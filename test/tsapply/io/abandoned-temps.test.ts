/**
 * A run into an output folder clears the temporary folders earlier runs into it left
 * behind when they were killed, and only those: real folders on disk, a real dead process.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseDDL } from '@tsapply/common';
import { DatasetWriter } from '../../../packages/tsapply/dist/io/writers/dataset-writer.js';
import { tempDir } from '../cli-helpers.ts';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that was a process a moment ago and is no more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

function temp(name: string, owner?: string, ageMs = 0): void {
  const folder = join(dir, `.out.tsapply-tmp-${name}`);
  mkdirSync(folder);
  if (owner !== undefined) writeFileSync(join(folder, '.tsapply-owner'), `${owner}\n`);
  const when = (Date.now() - ageMs) / 1000;
  utimesSync(folder, when, when);
}

describe('a new run into an output folder', () => {
  it('removes the temporary folders of dead runs and of runs killed before their owner record, and nothing else', async () => {
    temp('dead00000000', `${hostname()} ${deadPid()}`);
    temp('live00000000', `${hostname()} ${process.pid}`);
    temp('otherhost000', `not-${hostname()} ${deadPid()}`);
    temp('stale0000000', undefined, 5 * 60_000);
    temp('fresh0000000', undefined, 5_000);
    const writer = await DatasetWriter.open({ path: join(dir, 'out'), format: 'csv', mode: 'error' }, parseDDL('a int'));
    // (The new run's own temporary folder is there too, under a random name.)
    const left = readdirSync(dir).filter((n) => /tmp-(dead|live|otherhost|stale|fresh)0/.test(n));
    assert.deepEqual(left.sort(), ['.out.tsapply-tmp-fresh0000000', '.out.tsapply-tmp-live00000000', '.out.tsapply-tmp-otherhost000']);
    await writer.abort();
  });
});
