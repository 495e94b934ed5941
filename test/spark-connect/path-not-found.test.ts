// Spark Connect reads paths on the server, so a relative path is resolved against the
// server's working folder. A PATH_NOT_FOUND from a real server says where the file is
// when this program's folder has it, and names a file with a close name where Spark
// looked; it adds nothing when this machine knows nothing better.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkError, type SparkSession } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

let spark: SparkSession;
let dir: string;
const startedIn = process.cwd();
before(async () => {
  spark = await connect();
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'tsapply-paths-')));
  writeFileSync(join(dir, 'weather.csv'), 'day,temp\n1,12.5\n2,14\n');
});
after(async () => {
  process.chdir(startedIn);
  await spark.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The message of the SparkError counting `path` as CSV raised. */
async function pathError(path: string): Promise<string> {
  const e = await spark.read.option('header', true).csv(path).count().then(
    () => assert.fail(`${path} was read`),
    (err: unknown) => err,
  );
  assert.ok(e instanceof SparkError, String(e));
  assert.equal(e.errorClass, 'PATH_NOT_FOUND');
  return e.message;
}

describe('a path Spark cannot find', () => {
  it("a relative path that is in this program's folder: read from the server's folder, pass an absolute one", async () => {
    process.chdir(dir);
    try {
      const message = await pathError('weather.csv');
      const [first, hint] = message.split('\n');
      assert.match(first!, /^\[PATH_NOT_FOUND\] Path does not exist: file:(.*)\/weather\.csv\. SQLSTATE: 42K03$/);
      const serverFolder = /file:(.*)\/weather\.csv/.exec(first!)![1];
      assert.notEqual(serverFolder, dir);
      assert.equal(
        hint,
        `A relative path is read from the Spark server's working folder (${serverFolder}), not from this program's (${dir}), where weather.csv is. ` +
          "Pass an absolute path, e.g. path.resolve('weather.csv') — on a cluster, one every executor can read.",
      );
    } finally {
      process.chdir(startedIn);
    }
  });

  it('a mistyped name: the file beside it with a close name', async () => {
    assert.equal(await pathError(join(dir, 'wether.csv')), `[PATH_NOT_FOUND] Path does not exist: file:${dir}/wether.csv. SQLSTATE: 42K03\nDid you mean ${join(dir, 'weather.csv')}?`);
  });

  it('nothing close: Spark’s message alone', async () => {
    assert.equal(await pathError(join(dir, 'prices.parquet')), `[PATH_NOT_FOUND] Path does not exist: file:${dir}/prices.parquet. SQLSTATE: 42K03`);
  });
});
