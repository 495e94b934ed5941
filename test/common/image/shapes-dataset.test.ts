import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { generateShapes } from '../../../examples/data/generate-shapes.js';

const committed = join(import.meta.dirname, '..', '..', '..', 'examples', 'data', 'shapes');

function listPngs(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listPngs(dir, join(prefix, e.name)) : e.name.endsWith('.png') ? [join(prefix, e.name)] : []))
    .sort();
}

describe('demo image set (examples/data/shapes)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tsapply-shapes-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('has 40 + 40 training and 10 + 10 test images', () => {
    const files = listPngs(committed);
    const count = (p: string) => files.filter((f) => f.startsWith(p)).length;
    assert.deepEqual(
      [count('train/sunny/'), count('train/forest/'), count('test/sunny/'), count('test/forest/'), files.length],
      [40, 40, 10, 10, 100],
    );
  });

  it('is exactly what generate-shapes.ts produces (pixels and colour types)', () => {
    assert.deepEqual(generateShapes(tmp), { files: 100 });
    const files = listPngs(committed);
    assert.deepEqual(listPngs(tmp), files);
    const colorTypes = new Map<number, number>();
    for (const f of files) {
      const a = PNG.sync.read(readFileSync(join(committed, f)));
      const b = PNG.sync.read(readFileSync(join(tmp, f)));
      assert.equal(a.colorType, b.colorType, f);
      assert.ok(Buffer.compare(a.data, b.data) === 0, `${f}: pixels differ from the generator's`);
      colorTypes.set(a.colorType, (colorTypes.get(a.colorType) ?? 0) + 1);
    }
    // Grey (0), RGB (2) and RGBA (6) images are all present.
    assert.deepEqual([...colorTypes.keys()].sort(), [0, 2, 6]);
  });
});
