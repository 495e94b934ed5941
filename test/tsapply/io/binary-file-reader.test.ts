import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordBatchToRows, toDDL, isTsapplyError } from '@tsapply/common';
// Reader internals are not part of the package's public exports: import the built file.
import { readBinaryFile } from '../../../packages/tsapply/dist/io/readers/binary-file-reader.js';

interface BinaryRow {
  path: string;
  modificationTime: Date;
  length: bigint;
  content: Uint8Array;
}

async function read(path: string, options?: Record<string, unknown>) {
  const src = await readBinaryFile(path, options, { batchSize: 100 });
  const rows: BinaryRow[] = [];
  for await (const b of src.batches) rows.push(...(recordBatchToRows(b) as unknown as BinaryRow[]));
  return { schema: src.schema, rows, totalRows: src.totalRows };
}

describe('binaryFile reader', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-binary-'));
    mkdirSync(join(dir, 'data', 'sub dir'), { recursive: true });
    writeFileSync(join(dir, 'data', 'a.bin'), Uint8Array.from([0, 1, 2, 255]));
    writeFileSync(join(dir, 'data', 'b.txt'), 'hello');
    writeFileSync(join(dir, 'data', 'empty.bin'), '');
    writeFileSync(join(dir, 'data', '.hidden'), 'x');
    writeFileSync(join(dir, 'data', 'sub dir', 'c d.bin'), 'nested');
    // A modification time with a sub-millisecond part: Spark keeps whole milliseconds.
    utimesSync(join(dir, 'data', 'a.bin'), 1_700_000_000.1234567, 1_700_000_000.1234567);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("has Spark's schema", async () => {
    const { schema } = await read(join(dir, 'data'));
    assert.equal(toDDL(schema), 'path string, modificationTime timestamp, length bigint, content binary');
  });

  it('reads path, modificationTime, length and content; skips empty and hidden files', async () => {
    const { rows, totalRows } = await read(join(dir, 'data'));
    assert.deepEqual(
      rows.map((r) => ({ ...r, content: [...r.content], modificationTime: r.modificationTime.getTime() })).slice(0, 1),
      [{ path: `file:${join(dir, 'data', 'a.bin')}`, modificationTime: 1_700_000_000_123, length: 4n, content: [0, 1, 2, 255] }],
    );
    assert.deepEqual(
      rows.slice(1).map((r) => [r.path, r.length, Buffer.from(r.content).toString()]),
      [[`file:${join(dir, 'data', 'b.txt')}`, 5n, 'hello']],
    );
    assert.equal(totalRows, 2);
    assert.ok(rows[1]!.modificationTime instanceof Date);
  });

  it('recursiveFileLookup and pathGlobFilter; paths are not URL-encoded', async () => {
    const { rows } = await read(join(dir, 'data'), { recursiveFileLookup: 'true', pathGlobFilter: '*.bin' });
    assert.deepEqual(
      rows.map((r) => r.path),
      [`file:${join(dir, 'data', 'a.bin')}`, `file:${join(dir, 'data', 'sub dir', 'c d.bin')}`],
    );
  });

  it('an empty folder gives no rows', async () => {
    mkdirSync(join(dir, 'none'));
    const { rows, totalRows } = await read(join(dir, 'none'));
    assert.deepEqual([rows.length, totalRows], [0, 0]);
  });

  it('rejects unknown options and image-only options', async () => {
    await assert.rejects(readBinaryFile(join(dir, 'data'), { dropInvalid: true }, { batchSize: 10 }), (e: unknown) => {
      assert.ok(isTsapplyError(e));
      assert.equal((e as Error).message, 'Unknown binaryFile input option "dropInvalid". Valid options: recursiveFileLookup, pathGlobFilter.');
      return true;
    });
  });
});
