import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
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
    assert.throws(() => formatTable(['v'], [], { trunc: 1 } as never), { message: 'Invalid option in formatTable(): "trunc". Did you mean "truncate"? Valid options: truncate, maxRows, types.' });
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

  it('writes floats and doubles as Spark does when the column types are given: 15.0, not 15', () => {
    const double = new arrow.Float64();
    const cases: [number, string][] = [
      [15, '15.0'],
      [0.1, '0.1'],
      [0.001, '0.001'],
      [9999999.5, '9999999.5'],
      [1e7, '1.0E7'],
      [1.5e-4, '1.5E-4'],
      [-2.5e10, '-2.5E10'],
      [0, '0.0'],
      [-0, '-0.0'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ];
    for (const [v, shown] of cases) assert.equal(formatCell(v, double), shown, String(v));
    // A float column's values arrive widened to doubles: the float's own shortest digits.
    assert.equal(formatCell(Math.fround(0.1), new arrow.Float32()), '0.1');
    assert.equal(formatCell(Math.fround(1e8), new arrow.Float32()), '1.0E8');
    assert.equal(formatCell([1, 2.5], new arrow.List(new arrow.Field('e', double))), '[1.0, 2.5]');
    assert.equal(formatCell({ x: 2, n: 2 }, new arrow.Struct([new arrow.Field('x', double), new arrow.Field('n', new arrow.Int32())])), '{2.0, 2}');
    assert.equal(formatCell(new Map([['a', 1]]), new arrow.Map_(new arrow.Field('entries', new arrow.Struct([new arrow.Field('key', new arrow.Utf8()), new arrow.Field('value', double)])))), '{a -> 1.0}');
    assert.equal(formatTable(['x', 'n'], [[15, 15]], { types: [double, new arrow.Int32()] }), '+----+---+\n|   x|  n|\n+----+---+\n|15.0| 15|\n+----+---+\n');
    assert.throws(() => formatTable(['x', 'n'], [[15, 15]], { types: [double] }), /types.*an array of 2 Arrow types, one per column/);
  });
});
