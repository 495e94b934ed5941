import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, formatCell } from '@tsapply/common';

describe('formatTable', () => {
  it('renders like Spark show()', () => {
    const out = formatTable(['name', 'n', 'tags'], [
      ['alice', 1n, ['x', 'y']],
      [null, 22, []],
    ]);
    assert.equal(out, [
      '+-----+---+------+',
      '| name|  n|  tags|',
      '+-----+---+------+',
      '|alice|  1|[x, y]|',
      '| NULL| 22|    []|',
      '+-----+---+------+',
      '',
    ].join('\n'));
  });

  it('truncates like Spark and notes hidden rows', () => {
    const rows = [['a'.repeat(25)], ['b'], ['c']];
    assert.equal(formatTable(['v'], rows, { maxRows: 2 }), [
      '+--------------------+',
      '|                   v|',
      '+--------------------+',
      '|aaaaaaaaaaaaaaaaa...|',
      '|                   b|',
      '+--------------------+',
      'only showing top 2 rows',
      '',
    ].join('\n'));
    assert.equal(formatTable(['v'], [['abcdef']], { truncate: 3 }), '+---+\n|  v|\n+---+\n|abc|\n+---+\n');
    assert.equal(formatTable(['value'], [['ab']], { truncate: false }), '+-----+\n|value|\n+-----+\n|ab   |\n+-----+\n');
    assert.equal(formatTable(['v'], [[1]], { maxRows: 0 }), '+---+\n|  v|\n+---+\n+---+\nonly showing top 0 rows\n');
    assert.throws(() => formatTable(['v'], [], { trunc: 1 } as never), { message: 'Invalid option in formatTable(): "trunc". Valid options: truncate, maxRows.' });
  });

  it('renders every value type the Spark way', () => {
    assert.equal(formatCell(null), 'NULL');
    assert.equal(formatCell(undefined), 'NULL');
    assert.equal(formatCell(9007199254740993n), '9007199254740993');
    assert.equal(formatCell(1.5), '1.5');
    assert.equal(formatCell(true), 'true');
    assert.equal(formatCell(new Date('2024-02-29T00:00:00Z')), '2024-02-29');
    assert.equal(formatCell(new Date('2024-02-29T13:04:05Z')), '2024-02-29 13:04:05');
    assert.equal(formatCell(new Date('2024-02-29T13:04:05.120Z')), '2024-02-29 13:04:05.12');
    assert.equal(formatCell(new Uint8Array([1, 2, 255])), '[01 02 FF]');
    assert.equal(formatCell([1, null, [2]]), '[1, NULL, [2]]');
    assert.equal(formatCell(new Map<string, unknown>([['a', 1], ['b', null]])), '{a -> 1, b -> NULL}');
    assert.equal(formatCell({ a: 1, b: 'x', c: { d: [1] } }), '{1, x, {[1]}}');
    assert.equal(formatCell('12.30'), '12.30');
  });
});
