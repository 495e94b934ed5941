/**
 * The Spark client benchmark's correctness gate: the closed-form checksums it compares
 * both clients against equal brute-force sums over the ids, and a wrong field is named.
 * (The benchmark itself needs Spark and is run by `npm run bench spark-client`.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checksumProblem, expectedChecksums, formatDouble, TS_BASE_MICROS } from '../../benchmarks/spark-client/query.js';

function bruteForce(rows: number) {
  let sumId = 0n;
  let sumX = 0;
  let sumLenS = 0;
  let countB = 0;
  let sumTs = 0n;
  for (let id = 0; id < rows; id++) {
    sumId += BigInt(id);
    sumX += id * 0.5;
    sumLenS += `row-${id}`.length;
    if (id % 3 === 0) countB++;
    sumTs += TS_BASE_MICROS + BigInt(id) * 1000n - TS_BASE_MICROS;
  }
  return { rows: String(rows), sumId: String(sumId), sumX: formatDouble(sumX), sumLenS: String(sumLenS), countB: String(countB), sumTsOffsetMicros: String(sumTs), nulls: '0' };
}

describe('benchmarks/spark-client: expected checksums', () => {
  for (const rows of [1, 2, 3, 9, 10, 11, 99, 100, 101, 12_345]) {
    it(`match brute force for ${rows} rows`, () => {
      assert.deepEqual(expectedChecksums(rows), bruteForce(rows));
    });
  }

  it('are exact for the benchmark sizes', () => {
    assert.deepEqual(expectedChecksums(10_000_000), {
      rows: '10000000',
      sumId: '49999995000000',
      sumX: '24999997500000',
      sumLenS: '108888890',
      countB: '3333334',
      sumTsOffsetMicros: '49999995000000000',
      nulls: '0',
    });
  });

  it('names each wrong field with expected and actual', () => {
    const expected = expectedChecksums(10);
    assert.equal(checksumProblem(expected, { ...expected }), undefined);
    assert.equal(checksumProblem(expected, { ...expected, sumId: '44', nulls: '1' }), 'sumId: expected 45, got 44; nulls: expected 0, got 1');
  });
});
