/**
 * The UDF suite's report judges issue 13's targets from the figures it is given: tsapply's
 * best API against @udf (≥3×), @pandas_udf and the mapInArrow loop (≥1×), and names what
 * is still faster than tsapply. Canned figures, no Spark, no timing assertions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { report } from '../../benchmarks/udf/suite.js';
import { UDF_WORKLOAD_NAMES, udfWorkloads } from '../../benchmarks/udf/workloads.js';

/** rows/s per variant: tsapply's best is 100 everywhere; logs misses the @udf target. */
const RATES: Record<string, number> = {
  builtin: 50,
  'ts-rows': 80,
  'ts-columns': 100,
  'py-udf': 20,
  'py-udf-arrow': 25,
  'py-pandas': 90,
  'py-loop': 60,
  'py-clib': 150,
  'ts-floor': 120,
  'py-floor': 130,
};

const figures = UDF_WORKLOAD_NAMES.flatMap((workload) =>
  Object.entries(RATES).map(([variant, r]) => {
    const rowsPerS = workload === 'logs' && variant === 'py-udf' ? 40 : r;
    return { workload, variant, rows: 1000, samplesMs: [(1000 / rowsPerS) * 1000], rowsPerS, checksums: {} };
  }),
) as Parameters<typeof report>[0];

describe('benchmarks: udf report', () => {
  const result = report(figures, udfWorkloads(), { target: 'a test', checkRows: 200, runs: 3, quick: false, versions: {} });
  const targets = result.sections[0]!.tables.find((t) => t.title.startsWith("Issue 13's targets"))!;

  it('marks each target met or missed per workload', () => {
    assert.deepEqual(targets.columns.slice(1, 4), ['vs PySpark @udf (target ≥3×)', 'vs PySpark @pandas_udf (target ≥1×)', 'vs PySpark mapInArrow, Python loop (target ≥1×)']);
    const logs = targets.rows.find((r) => String(r[0]).startsWith('log parsing'))!;
    assert.deepEqual(logs.slice(1, 4), ['2.50× missed', '1.11× met', '1.67× met']);
    const json = targets.rows.find((r) => String(r[0]).startsWith('JSON'))!;
    assert.equal(json[1], '5.00× met');
    assert.match(targets.note!, /^11 of 12 targets met in this run\.$/);
  });

  it('names what is faster than tsapply, and by how much', () => {
    const fuzzy = targets.rows.find((r) => String(r[0]).startsWith('fuzzy'))!;
    assert.equal(fuzzy[4], 'rapidfuzz (cdist), 1.50×');
  });

  it('never rounds a missed target onto the target', () => {
    const close = figures.map((f) => (f.workload === 'json' && f.variant === 'py-loop' ? { ...f, rowsPerS: 100.2 } : f));
    const t = report(close, udfWorkloads(), { target: 'a test', checkRows: 200, runs: 3, quick: false, versions: {} }).sections[0]!.tables[1]!;
    const json = t.rows.find((r) => String(r[0]).startsWith('JSON'))!;
    assert.equal(json[3], '0.998× missed');
    assert.equal(json[4], 'PySpark mapInArrow, Python loop, 1.002×; orjson, 1.50×');
  });

  it('never counts a floor as an alternative faster than tsapply', () => {
    const logs = targets.rows.find((r) => String(r[0]).startsWith('log parsing'))!;
    assert.equal(logs[4], 'pyarrow.compute (extract_regex, strptime), 1.50×');
    const perWorkload = result.sections[1]!.tables.find((t) => t.title.startsWith('log parsing'))!;
    const floor = perWorkload.rows.find((r) => String(r[0]).startsWith('floor: PySpark'))!;
    assert.equal(floor.at(-1), '(floor)');
  });

  it('bounds the ratio over @udf by the floor', () => {
    const floors = result.sections[0]!.tables.find((t) => t.title.startsWith('The floor'))!;
    const logs = floors.rows.find((r) => String(r[0]).startsWith('log parsing'))!;
    // tsapply floor ÷ PySpark floor; PySpark floor ÷ @udf; tsapply's best ÷ @udf.
    assert.deepEqual(logs.slice(3), ['0.92×', '3.25×', '2.50×']);
    const json = floors.rows.find((r) => String(r[0]).startsWith('JSON'))!;
    assert.deepEqual(json.slice(3), ['0.92×', '6.50×', '5.00×']);
    assert.match(floors.note!, /floor allows more than 3× on every workload/);
    const slowFloor = figures.map((f) => (f.workload === 'logs' && f.variant === 'py-floor' ? { ...f, rowsPerS: 100 } : f));
    const capped = report(slowFloor, udfWorkloads(), { target: 'a test', checkRows: 200, runs: 3, quick: false, versions: {} }).sections[0]!.tables[2]!;
    assert.match(capped.note!, /In this run that holds for log parsing \(regex \+ timestamp\)\. /);
  });

  it('states how many runs the medians are of', () => {
    assert.match(result.sections[0]!.tables[0]!.note!, /medians of 3 run\(s\)/);
  });
});
