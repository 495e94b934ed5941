import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { frameHeader, readFrames } from '../../../worker-runtime/dist/process/frames.js';

function frame(type: number, body: string): Buffer {
  const b = Buffer.from(body, 'utf8');
  return Buffer.concat([frameHeader(type, b.length), b]);
}

async function collect(chunks: Buffer[]): Promise<{ type: number; body: string }[]> {
  const out: { type: number; body: string }[] = [];
  for await (const f of readFrames(Readable.from(chunks))) out.push({ type: f.type, body: Buffer.from(f.body).toString('utf8') });
  return out;
}

describe('readFrames', () => {
  const stream = Buffer.concat([frame(1, '{"a":1}'), frame(3, ''), frame(2, 'x'.repeat(1000)), frame(4, 'é')]);
  const expected = [
    { type: 1, body: '{"a":1}' },
    { type: 3, body: '' },
    { type: 2, body: 'x'.repeat(1000) },
    { type: 4, body: 'é' },
  ];

  it('parses frames that arrive in one chunk', async () => {
    assert.deepEqual(await collect([stream]), expected);
  });

  it('parses frames split at every byte', async () => {
    assert.deepEqual(await collect([...stream].map((b) => Buffer.from([b]))), expected);
  });

  it('parses frames split at odd chunk sizes', async () => {
    const chunks: Buffer[] = [];
    for (let i = 0, n = 3; i < stream.length; i += n, n = (n * 7) % 97 + 1) chunks.push(stream.subarray(i, i + n));
    assert.deepEqual(await collect(chunks), expected);
  });

  it('fails on a stream that ends inside a body or a header', async () => {
    await assert.rejects(collect([stream.subarray(0, stream.length - 1)]), {
      message: 'Input stream ended inside a frame: expected 2 bytes but only 1 arrived.',
    });
    await assert.rejects(collect([Buffer.from([1, 0])]), {
      message: 'Input stream ended inside a frame: expected 5 bytes but only 2 arrived.',
    });
  });

  it('writes little-endian u32 lengths', () => {
    assert.equal(frameHeader(17, 0x01020304).toString('hex'), '1104030201');
  });
});
