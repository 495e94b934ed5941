/**
 * The API coverage script: PySpark's real Connect client (the managed venv's pyspark)
 * against tsapply's built declarations, read by the TypeScript compiler. No server.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { compare, formatTable, matchKey, measure, tsapplyMembers } from '../../packages/tsapply/scripts/api-coverage.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('API coverage against PySpark', () => {
  it('matches snake_case, camelCase and case variants to one name', () => {
    assert.equal(matchKey('drop_duplicates'), matchKey('dropDuplicates'));
    assert.equal(matchKey('startswith'), matchKey('startsWith'));
    const c = compare('X', ['drop_duplicates', 'toPandas', 'zip'], new Set(['dropDuplicates']), { toPandas: 'pandas' });
    assert.deepEqual(c.covered, ['drop_duplicates']);
    assert.deepEqual(c.omitted, [{ name: 'toPandas', reason: 'pandas' }]);
    assert.deepEqual(c.missing, ['zip']);
  });

  it('reads public members from the built types: installed methods and getters count, private members and absent types do not', () => {
    const ours = tsapplyMembers(ROOT);
    for (const m of ['select', 'mapInArrow', 'foreachPartition', 'write', 'schema']) assert.ok(ours.DataFrame!.has(m), `DataFrame.${m}`);
    assert.ok(!ours.DataFrame!.has('setOp'), 'a private method is not API');
    assert.ok(ours.SparkSession!.has('connect'), 'statics count');
    assert.ok(ours.Window!.has('unboundedPreceding'));
    assert.ok(ours.Column!.has('over'));
    assert.ok(ours.functions!.has('countDistinct'));
  });

  it('measures against the pinned pyspark and prints a table whose rows add up', async () => {
    const { pysparkVersion, areas } = await measure();
    assert.match(pysparkVersion, /^4\.\d+\.\d+/);
    const byArea = new Map(areas.map((a) => [a.area, a]));
    for (const a of areas) assert.equal(a.covered.length + a.omitted.length + a.missing.length, a.pyspark, a.area);
    assert.ok(byArea.get('functions')!.pyspark > 400, 'PySpark has hundreds of functions');
    assert.equal(byArea.get('WindowSpec')!.missing.length, 0);
    assert.ok(byArea.get('DataFrame')!.omitted.some((o) => o.name === 'toPandas' && /toArrow/.test(o.reason)));
    const table = formatTable(pysparkVersion, areas);
    assert.match(table, /^\| \*\*all\*\* \| \d+ \| \d+ \| \d+ \| \d+ \| \d+% \|$/m);
  });
});
