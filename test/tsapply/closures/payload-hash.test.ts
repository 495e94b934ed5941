// The same function captured twice with equal captured values gives the same payload
// hash (a re-run in the same session uploads nothing new); a different captured value
// gives another payload, and the bundle (code only) stays the same.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { payloadOf } from './helpers.ts';

function makeScaler(factors: Map<string, number>, offset: bigint) {
  return (batch: Iterable<{ id: bigint }>) => [...batch].map((r) => ({ id: r.id + offset, f: factors.get('a') }));
}

describe('payload hash of captured functions', () => {
  it('is the same for the same function captured twice and for equal captured values', async () => {
    const scale = makeScaler(new Map([['a', 2]]), 1n);
    const first = await payloadOf(scale);
    const again = await payloadOf(scale);
    const twin = await payloadOf(makeScaler(new Map([['a', 2]]), 1n));
    assert.equal(again.payload.hash, first.payload.hash);
    assert.equal(twin.payload.hash, first.payload.hash);
    assert.equal(twin.payload.path, first.payload.path);
  });

  it('differs when a captured value differs, with the same bundle', async () => {
    const a = await payloadOf(makeScaler(new Map([['a', 2]]), 1n));
    const b = await payloadOf(makeScaler(new Map([['a', 3]]), 1n));
    const c = await payloadOf(makeScaler(new Map([['a', 2]]), 2n));
    assert.equal(new Set([a.payload.hash, b.payload.hash, c.payload.hash]).size, 3);
    assert.equal(b.bundle.sha256, a.bundle.sha256);
    assert.equal(c.bundle.sha256, a.bundle.sha256);
  });
});
