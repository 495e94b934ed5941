// "Did you mean …?" for mistyped names: which typos find their name, and which words are
// left without a guess rather than given a wrong one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closestName, didYouMean } from '@tsapply/common';

const JOB_FIELDS = ['input', 'schema', 'groupBy', 'context', 'init', 'apply', 'output', 'batchSize', 'taskTimeoutMs'];

describe('closestName', () => {
  it('finds the name behind a case slip, a swap, a missing or doubled letter and a cut-off word', () => {
    assert.equal(closestName('groupby', JOB_FIELDS), 'groupBy');
    assert.equal(closestName('shcema', JOB_FIELDS), 'schema');
    assert.equal(closestName('shema', JOB_FIELDS), 'schema');
    assert.equal(closestName('batchSizze', JOB_FIELDS), 'batchSize');
    assert.equal(closestName('taskTimeout', JOB_FIELDS), 'taskTimeoutMs');
    assert.equal(closestName('weather-stat.ts', ['weather-calendar.ts', 'weather-stats.ts', 'penguin-classifier.ts']), 'weather-stats.ts');
  });

  it('gives no guess for a word unlike every candidate, for itself, or from no candidates', () => {
    assert.equal(closestName('pid', ['stateDir', 'port']), undefined);
    assert.equal(closestName('workers', ['remote', 'spark', 'workerMemory']), undefined);
    assert.equal(closestName('schema', ['schema']), undefined);
    assert.equal(closestName('schema', []), undefined);
    // Short words need a closer match: one edit at most.
    assert.equal(closestName('ab', ['xy']), undefined);
    assert.equal(closestName('ab', ['abc']), 'abc');
  });

  it('prefers the closest candidate, then the first of equals', () => {
    assert.equal(closestName('contex', ['content', 'context']), 'context');
    assert.equal(closestName('cat', ['bat', 'hat']), 'bat');
  });
});

describe('didYouMean', () => {
  it('is a sentence to append, or nothing', () => {
    assert.equal(didYouMean('outptu', JOB_FIELDS), ' Did you mean "output"?');
    assert.equal(didYouMean('zzz', JOB_FIELDS), '');
  });
});
