// @requires-spark
// Spark's `image` and `binaryFile` sources (through `spark.read.image` / `.binaryFile` on
// the real server the test runner starts) against the embedded engine's readers on the
// same files: the same rows, pixel for pixel and byte for byte, compared by origin/path.
// The files come from test/common/image/test-images.ts: PNGs of 1, 3 and 4 channels in
// every colour type and depth, plus a PNG cut inside its data, a text file named .png,
// a 0-byte file; and an empty folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordBatchToRows } from '@tsapply/common';
import { SparkSession } from '@tsapply/spark-connect';
// Reader internals are not part of the package's public exports: import the built files.
import { readImage } from '../../packages/tsapply/dist/io/readers/image-reader.js';
import { readBinaryFile } from '../../packages/tsapply/dist/io/readers/binary-file-reader.js';
import { writeTestImages, type TestImage } from '../common/image/test-images.js';

interface ImageCell {
  origin: string;
  height: number;
  width: number;
  nChannels: number;
  mode: number;
  data: Uint8Array;
}

interface BinaryRow {
  path: string;
  modificationTime: Date;
  length: bigint;
  content: Uint8Array;
}

/** Plain, comparable form of an image row (data as a number array). */
const plainImage = (c: ImageCell) => ({ ...c, data: [...c.data] });
const plainBinary = (r: BinaryRow) => ({ ...r, modificationTime: r.modificationTime.getTime(), content: [...r.content] });
const byKey = <T>(rows: T[], key: (r: T) => string): T[] => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

async function localImages(path: string, options: Record<string, unknown>): Promise<ImageCell[]> {
  const src = await readImage(path, options, { batchSize: 100 });
  const rows: ImageCell[] = [];
  for await (const b of src.batches) for (const r of recordBatchToRows(b)) rows.push(r.image as ImageCell);
  return byKey(rows, (r) => r.origin);
}

async function localBinary(path: string, options: Record<string, unknown>): Promise<BinaryRow[]> {
  const src = await readBinaryFile(path, options, { batchSize: 100 });
  const rows: BinaryRow[] = [];
  for await (const b of src.batches) rows.push(...(recordBatchToRows(b) as unknown as BinaryRow[]));
  return byKey(rows, (r) => r.path);
}

let spark: SparkSession;
let dir: string;
let images: TestImage[];

async function sparkImages(path: string, options: Record<string, string | number | boolean>): Promise<ImageCell[]> {
  const rows = await spark.read.image(path, options).collect();
  return byKey(rows.map((r) => r.image as ImageCell), (r) => r.origin);
}

async function sparkBinary(path: string, options: Record<string, string | number | boolean>): Promise<BinaryRow[]> {
  return byKey((await spark.read.binaryFile(path, options).collect()) as unknown as BinaryRow[], (r) => r.path);
}

before(async () => {
  spark = await SparkSession.connect(process.env.SPARK_REMOTE);
  dir = mkdtempSync(join(tmpdir(), 'tsapply-images-'));
  images = writeTestImages(join(dir, 'png'));
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'files', 'nested'), { recursive: true });
  writeFileSync(join(dir, 'files', 'a.bin'), Uint8Array.from([0, 1, 2, 255]));
  writeFileSync(join(dir, 'files', 'b.txt'), 'hello, spark');
  writeFileSync(join(dir, 'files', 'zero.bin'), '');
  writeFileSync(join(dir, 'files', 'nested', 'c.bin'), 'nested bytes');
  // A modification time with a sub-millisecond part: both sides keep whole milliseconds.
  utimesSync(join(dir, 'files', 'a.bin'), 1_700_000_000.1234567, 1_700_000_000.1234567);
});

after(async () => {
  await spark?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('spark.read.image vs the embedded image reader', () => {
  it('gives the same rows pixel for pixel (dropInvalid false: invalid files keep a -1 row)', async () => {
    const [fromSpark, local] = await Promise.all([sparkImages(join(dir, 'png'), { dropInvalid: false }), localImages(join(dir, 'png'), { dropInvalid: false })]);
    assert.deepEqual(fromSpark.map(plainImage), local.map(plainImage));
    // Every file but the 0-byte one has a row, and the rows are what test-images.ts expects.
    const withRows = images.filter((i) => i.expected !== 'no-row');
    assert.equal(fromSpark.length, withRows.length);
    const origin = (name: string) => `file://${join(dir, 'png', name)}`;
    for (const img of withRows) {
      const row = fromSpark.find((r) => r.origin === origin(img.name));
      const expected = img.expected === 'invalid' ? { height: -1, width: -1, nChannels: -1, mode: -1, data: [] } : img.expected;
      assert.deepEqual(plainImage(row!), { origin: origin(img.name), ...(expected as object) }, img.name);
    }
  });

  it('covers PNGs of 1, 3 and 4 channels (grey, BGR, BGRA bytes)', async () => {
    const rows = await sparkImages(join(dir, 'png'), { dropInvalid: true });
    const channels = (name: string) => rows.find((r) => r.origin.endsWith(`/${name}`))!;
    assert.deepEqual(plainImage(channels('grey8.png')).data, [0, 17, 128, 200, 254, 255]);
    assert.equal(channels('grey8.png').mode, 0);
    assert.deepEqual(plainImage(channels('rgb8.png')).data, [0, 0, 255, 0, 255, 0, 255, 0, 0, 30, 20, 10, 100, 150, 200, 254, 128, 1]);
    assert.equal(channels('rgb8.png').mode, 16);
    assert.deepEqual(plainImage(channels('rgba8.png')).data, [0, 0, 255, 255, 0, 255, 0, 0, 255, 0, 0, 128, 30, 20, 10, 1, 100, 150, 200, 254, 254, 128, 1, 77]);
    assert.equal(channels('rgba8.png').mode, 24);
    assert.deepEqual([...new Set(rows.map((r) => r.nChannels))].sort(), [1, 3, 4]);
  });

  it('dropInvalid true drops the corrupt and the non-image file on both engines', async () => {
    const [fromSpark, local] = await Promise.all([sparkImages(join(dir, 'png'), { dropInvalid: true }), localImages(join(dir, 'png'), { dropInvalid: true })]);
    assert.deepEqual(fromSpark.map(plainImage), local.map(plainImage));
    const valid = images.filter((i) => typeof i.expected === 'object').map((i) => `file://${join(dir, 'png', i.name)}`).sort();
    assert.deepEqual(fromSpark.map((r) => r.origin), valid);
    for (const name of ['cut-in-data.png', 'cut-in-header.png', 'not-an-image.png', 'empty.png']) {
      assert.equal(fromSpark.some((r) => r.origin.endsWith(`/${name}`)), false, name);
    }
  });

  it('a single corrupt file and a single non-image file give the invalid row without dropInvalid', async () => {
    for (const name of ['cut-in-data.png', 'not-an-image.png']) {
      const path = join(dir, 'png', name);
      const [fromSpark, local] = await Promise.all([sparkImages(path, {}), localImages(path, {})]);
      const invalid = { origin: `file://${path}`, height: -1, width: -1, nChannels: -1, mode: -1, data: [] };
      assert.deepEqual(fromSpark.map(plainImage), [invalid], name);
      assert.deepEqual(local.map(plainImage), [invalid], name);
    }
  });

  it('pathGlobFilter selects the same files', async () => {
    const options = { pathGlobFilter: 'rgb*.png' };
    const [fromSpark, local] = await Promise.all([sparkImages(join(dir, 'png'), options), localImages(join(dir, 'png'), options)]);
    assert.deepEqual(fromSpark.map(plainImage), local.map(plainImage));
    assert.deepEqual(
      fromSpark.map((r) => r.origin.slice(r.origin.lastIndexOf('/') + 1)),
      ['rgb-trns.png', 'rgb16-rounding.png', 'rgb16.png', 'rgb8.png', 'rgba16.png', 'rgba8.png'],
    );
  });

  it('an empty folder gives no rows and the ImageSchema column on both engines', async () => {
    const df = spark.read.image(join(dir, 'empty'));
    assert.equal((await df.schema()).ddl, 'image struct<origin: string, height: int, width: int, nChannels: int, mode: int, data: binary>');
    assert.deepEqual(await df.collect(), []);
    assert.deepEqual(await localImages(join(dir, 'empty'), {}), []);
  });

  it('recursiveFileLookup reads nested folders the same way', async () => {
    const options = { recursiveFileLookup: true, dropInvalid: true };
    const [fromSpark, local] = await Promise.all([sparkImages(dir, options), localImages(dir, options)]);
    assert.deepEqual(fromSpark.map(plainImage), local.map(plainImage));
    assert.equal(fromSpark.length, images.filter((i) => typeof i.expected === 'object').length);
  });
});

describe('spark.read.binaryFile vs the embedded binaryFile reader', () => {
  it('gives the same path, modificationTime, length and content; 0-byte files give no row', async () => {
    const [fromSpark, local] = await Promise.all([sparkBinary(join(dir, 'files'), {}), localBinary(join(dir, 'files'), {})]);
    assert.deepEqual(fromSpark.map(plainBinary), local.map(plainBinary));
    assert.deepEqual(
      fromSpark.map((r) => [r.path, r.length]),
      [
        [`file:${join(dir, 'files', 'a.bin')}`, 4n],
        [`file:${join(dir, 'files', 'b.txt')}`, 12n],
      ],
    );
    assert.equal(fromSpark[0]!.modificationTime.getTime(), 1_700_000_000_123);
  });

  it('recursiveFileLookup and pathGlobFilter select the same files', async () => {
    const options = { recursiveFileLookup: true, pathGlobFilter: '*.bin' };
    const [fromSpark, local] = await Promise.all([sparkBinary(join(dir, 'files'), options), localBinary(join(dir, 'files'), options)]);
    assert.deepEqual(fromSpark.map(plainBinary), local.map(plainBinary));
    assert.deepEqual(fromSpark.map((r) => [r.path, Buffer.from(r.content).toString('latin1')]), [
      [`file:${join(dir, 'files', 'a.bin')}`, '\x00\x01\x02\xff'],
      [`file:${join(dir, 'files', 'nested', 'c.bin')}`, 'nested bytes'],
    ]);
  });

  it('reads the image folder byte for byte (the PNG files themselves)', async () => {
    const [fromSpark, local] = await Promise.all([sparkBinary(join(dir, 'png'), {}), localBinary(join(dir, 'png'), {})]);
    assert.deepEqual(fromSpark.map(plainBinary), local.map(plainBinary));
    const nonEmpty = images.filter((i) => i.bytes.length > 0);
    assert.deepEqual(fromSpark.map((r) => [r.path, Number(r.length)]), byKey(nonEmpty, (i) => i.name).map((i) => [`file:${join(dir, 'png', i.name)}`, i.bytes.length]));
    for (const r of fromSpark) {
      const img = images.find((i) => r.path.endsWith(`/${i.name}`))!;
      assert.deepEqual([...r.content], [...img.bytes], img.name);
    }
  });

  it('an empty folder gives no rows on both engines', async () => {
    assert.deepEqual(await sparkBinary(join(dir, 'empty'), {}), []);
    assert.deepEqual(await localBinary(join(dir, 'empty'), {}), []);
  });
});
