import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { recordBatchToRows, toDDL, isTsapplyError } from '@tsapply/common';
// Reader internals are not part of the package's public exports: import the built file.
import { readImage } from '../../../packages/tsapply/dist/io/readers/image-reader.js';
import { writeTestImages, encodePng, encodeJpeg } from '../../common/image/test-images.js';

interface ImageCell {
  origin: string;
  height: number;
  width: number;
  nChannels: number;
  mode: number;
  data: Uint8Array;
}

async function read(path: string, options?: Record<string, unknown>, batchSize = 100): Promise<{ schema: arrow.Schema; rows: ImageCell[]; batches: number; totalRows: number | undefined }> {
  const src = await readImage(path, options, { batchSize });
  const rows: ImageCell[] = [];
  let batches = 0;
  for await (const b of src.batches) {
    batches++;
    for (const r of recordBatchToRows(b)) rows.push(r.image as ImageCell);
  }
  return { schema: src.schema, rows, batches, totalRows: src.totalRows };
}

const plain = (c: ImageCell) => ({ ...c, data: [...c.data] });
const uri = (path: string) => `file://${path}`;

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isTsapplyError(e));
    assert.equal((e as Error).message, message);
    return true;
  });
}

describe('image reader', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsapply-image-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("has Spark's schema", async () => {
    const d = join(dir, 'schema');
    mkdirSync(d);
    const { schema } = await read(d);
    assert.equal(toDDL(schema), 'image struct<origin: string, height: int, width: int, nChannels: int, mode: int, data: binary>');
  });

  it('decodes every PNG colour type and depth to the bytes Spark produces', async () => {
    const d = join(dir, 'all');
    const images = writeTestImages(d);
    const { rows, totalRows } = await read(d);
    const byOrigin = new Map(rows.map((r) => [r.origin, r]));
    for (const img of images) {
      const row = byOrigin.get(uri(join(d, img.name)));
      if (img.expected === 'no-row') {
        assert.equal(row, undefined, img.name);
      } else if (img.expected === 'invalid') {
        assert.deepEqual(plain(row!), { origin: uri(join(d, img.name)), height: -1, width: -1, nChannels: -1, mode: -1, data: [] }, img.name);
      } else {
        assert.deepEqual(plain(row!), { origin: uri(join(d, img.name)), ...img.expected }, img.name);
      }
    }
    const withRows = images.filter((i) => i.expected !== 'no-row');
    assert.equal(rows.length, withRows.length);
    assert.equal(totalRows, withRows.length);
    // Rows come in file-name order.
    assert.deepEqual(rows.map((r) => r.origin), withRows.map((i) => uri(join(d, i.name))).sort());
  });

  it('1, 3 and 4 channel PNGs give grey, BGR and BGRA bytes', async () => {
    const d = join(dir, 'channels');
    mkdirSync(d);
    // 2×1 images: pixel 0 = (R 10, G 20, B 30, A 40), pixel 1 = (R 50, G 60, B 70, A 80).
    writeFileSync(join(d, 'c1.png'), encodePng({ width: 2, height: 1, colorType: 0, bitDepth: 8, samples: [10, 50] }));
    writeFileSync(join(d, 'c3.png'), encodePng({ width: 2, height: 1, colorType: 2, bitDepth: 8, samples: [10, 20, 30, 50, 60, 70] }));
    writeFileSync(join(d, 'c4.png'), encodePng({ width: 2, height: 1, colorType: 6, bitDepth: 8, samples: [10, 20, 30, 40, 50, 60, 70, 80] }));
    const { rows } = await read(d);
    assert.deepEqual(rows.map(plain), [
      { origin: uri(join(d, 'c1.png')), height: 1, width: 2, nChannels: 1, mode: 0, data: [10, 50] },
      { origin: uri(join(d, 'c3.png')), height: 1, width: 2, nChannels: 3, mode: 16, data: [30, 20, 10, 70, 60, 50] },
      { origin: uri(join(d, 'c4.png')), height: 1, width: 2, nChannels: 4, mode: 24, data: [30, 20, 10, 40, 70, 60, 50, 80] },
    ]);
  });

  it('decodes JPEG to BGR (within JPEG decoder rounding of the source colours)', async () => {
    const d = join(dir, 'jpeg');
    mkdirSync(d);
    writeFileSync(join(d, 'flat.jpg'), encodeJpeg(16, 8, () => [200, 100, 50]));
    const { rows } = await read(d);
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.deepEqual([r.height, r.width, r.nChannels, r.mode], [8, 16, 3, 16]);
    for (let i = 0; i < r.data.length; i += 3) {
      assert.ok(Math.abs(r.data[i]! - 50) <= 2 && Math.abs(r.data[i + 1]! - 100) <= 2 && Math.abs(r.data[i + 2]! - 200) <= 2, `pixel ${i / 3}`);
    }
  });

  it('dropInvalid: true drops corrupt and non-image files', async () => {
    const d = join(dir, 'drop');
    const images = writeTestImages(d);
    const { rows, totalRows } = await read(d, { dropInvalid: true });
    const valid = images.filter((i) => typeof i.expected === 'object').map((i) => uri(join(d, i.name))).sort();
    assert.deepEqual(rows.map((r) => r.origin), valid);
    assert.equal(totalRows, undefined);
    // Spark options may be strings and keys are case-insensitive.
    assert.deepEqual((await read(d, { DROPINVALID: 'TRUE' })).rows.map((r) => r.origin), valid);
  });

  it('corrupt and non-image files become invalid rows by default', async () => {
    const d = join(dir, 'invalid');
    mkdirSync(d);
    writeFileSync(join(d, 'a.png'), encodePng({ width: 1, height: 1, colorType: 0, bitDepth: 8, samples: [7] }).subarray(0, 30));
    writeFileSync(join(d, 'notes.txt'), 'hello');
    const { rows } = await read(d);
    assert.deepEqual(rows.map(plain), [
      { origin: uri(join(d, 'a.png')), height: -1, width: -1, nChannels: -1, mode: -1, data: [] },
      { origin: uri(join(d, 'notes.txt')), height: -1, width: -1, nChannels: -1, mode: -1, data: [] },
    ]);
  });

  it('an empty folder gives no rows and no batches', async () => {
    const d = join(dir, 'empty');
    mkdirSync(d);
    const { rows, batches, totalRows } = await read(d);
    assert.deepEqual([rows.length, batches, totalRows], [0, 0, 0]);
  });

  describe('listing', () => {
    let d: string;
    const px = encodePng({ width: 1, height: 1, colorType: 0, bitDepth: 8, samples: [1] });
    before(() => {
      d = join(dir, 'listing');
      mkdirSync(join(d, 'sub dir', 'deeper'), { recursive: true });
      mkdirSync(join(d, '_hidden'), { recursive: true });
      for (const name of ['a.png', 'b.jpg.png', 'c.txt', '.dot.png', '_under.png', 'sub dir/nested #1.png', 'sub dir/deeper/d.png', '_hidden/h.png']) {
        writeFileSync(join(d, name), px);
      }
    });
    const names = (rows: ImageCell[]) => rows.map((r) => r.origin.slice(uri(d).length + 1));

    it('reads only the top folder unless recursiveFileLookup, skipping _ and . names', async () => {
      assert.deepEqual(names((await read(d)).rows), ['a.png', 'b.jpg.png', 'c.txt']);
    });

    it('recursiveFileLookup reads nested folders; origins are URL-encoded', async () => {
      assert.deepEqual(names((await read(d, { recursiveFileLookup: true })).rows), [
        'a.png',
        'b.jpg.png',
        'c.txt',
        'sub%20dir/deeper/d.png',
        'sub%20dir/nested%20%231.png',
      ]);
    });

    it('pathGlobFilter matches file names', async () => {
      assert.deepEqual(names((await read(d, { pathGlobFilter: '*.png', recursiveFileLookup: true })).rows), [
        'a.png',
        'b.jpg.png',
        'sub%20dir/deeper/d.png',
        'sub%20dir/nested%20%231.png',
      ]);
      assert.deepEqual(names((await read(d, { pathGlobFilter: '{a,c}.*' })).rows), ['a.png', 'c.txt']);
      assert.deepEqual(names((await read(d, { pathGlobFilter: '[!a]*' })).rows), ['b.jpg.png', 'c.txt']);
    });

    it('expands a glob in the path', async () => {
      assert.deepEqual(names((await read(join(d, '*.png'))).rows), ['a.png', 'b.jpg.png']);
      assert.deepEqual(names((await read(join(d, 's*', '*.png'))).rows), ['sub%20dir/nested%20%231.png']);
    });

    it('reads a single file, but not a hidden one (as Spark)', async () => {
      assert.deepEqual(names((await read(join(d, 'sub dir', 'nested #1.png'))).rows), ['sub%20dir/nested%20%231.png']);
      assert.deepEqual(names((await read(join(d, '.dot.png'))).rows), []);
    });

    it('cuts batches at batchSize', async () => {
      const { rows, batches } = await read(d, { recursiveFileLookup: true }, 2);
      assert.deepEqual([rows.length, batches], [5, 3]);
    });
  });

  describe('errors', () => {
    it('a missing path', async () => {
      const p = join(dir, 'nope');
      await rejects(
        readImage(p, {}, { batchSize: 10 }),
        `Cannot read image input "${p}": no such file or directory. Check input.path (a relative path is read from the folder of the file the job is written in).`,
      );
      await rejects(readImage(join(dir, 'nope*', 'x.png'), {}, { batchSize: 10 }), `Cannot read image input: no path matches the glob "${join(dir, 'nope*', 'x.png')}" (Spark: PATH_NOT_FOUND).`);
    });

    it('unknown and unsupported options', async () => {
      await rejects(readImage(dir, { dropinvalid: true, recursive: true }, { batchSize: 10 }), 'Unknown image input option "recursive". Did you mean "recursiveFileLookup"? Valid options: dropInvalid, recursiveFileLookup, pathGlobFilter.');
      await rejects(
        readImage(dir, { sampleRatio: 0.5 }, { batchSize: 10 }),
        'Unsupported image input option "sampleRatio": Spark\'s image data source (Spark 3.0+) has no sampleRatio option (it belonged to the removed ImageSchema.readImages) and silently ignores it. Sample after reading instead, e.g. in apply(), or select files with pathGlobFilter.',
      );
      await rejects(readImage(dir, { dropInvalid: 'yes' }, { batchSize: 10 }), 'image input option "dropInvalid" must be true or false, got "yes".');
      await rejects(readImage(dir, { pathGlobFilter: '[a' }, { batchSize: 10 }), 'Invalid image option pathGlobFilter: Invalid glob "[a": unclosed "[".');
    });

    it('partition folders (key=value) without recursiveFileLookup', async () => {
      const d = join(dir, 'parts');
      mkdirSync(join(d, 'label=cat'), { recursive: true });
      writeFileSync(join(d, 'label=cat', 'a.png'), encodePng({ width: 1, height: 1, colorType: 0, bitDepth: 8, samples: [1] }));
      await rejects(
        readImage(d, {}, { batchSize: 10 }),
        `Cannot read image input "${d}": folder "label=cat" (${join(d, 'label=cat')}) is a partition folder (key=value). ` +
          `Spark would read it into a partition column "label"; the embedded engine does not infer partition columns. ` +
          `Set options.recursiveFileLookup: true to read nested folders as plain folders (on both engines).`,
      );
      assert.equal((await read(d, { recursiveFileLookup: true })).rows.length, 1);
    });

    it('GIF, BMP and TIFF files, which Spark decodes differently', async () => {
      const d = join(dir, 'gif');
      mkdirSync(d);
      writeFileSync(join(d, 'one.gif'), Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'));
      const src = await readImage(d, {}, { batchSize: 10 });
      await rejects(
        (async () => {
          for await (const _ of src.batches);
        })(),
        `Cannot read image input "${join(d, 'one.gif')}": it is a GIF file. Spark decodes GIF images, the embedded engine decodes only PNG and JPEG. Convert the file, exclude it with options.pathGlobFilter, or run on Spark (--remote).`,
      );
    });
  });
});
