// The example notebook (examples/notebook/closures.ipynb, TypeScript kernel tslab) run
// headless through Jupyter's nbclient against the test Spark server: functions typed in
// cells, capturing values, a helper and a factory-made closure of earlier cells, give the
// rows an independent computation gives, on Spark and (runJob with a job object) on the
// embedded engine. The kernel and nbclient are installed by the
// project's own script (examples/notebook/install-kernel.sh) on first use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const K = 3;
const RATES = [1.5, 2.5, 0.5];
const EXPECTED_SCORED = Array.from({ length: 20 }, (_, id) => ({ id: `${id}n`, bucket: id % 3, rate: RATES[id % 3]! * K, score: 0.5 * id + 2 }));
const EXPECTED_PARALLEL = [1, 2, 3, 4, 5].map((x) => `${BigInt(x) * 10n ** 12n}n`);

describe('the example notebook', () => {
  it('runs its closures on Spark through a TypeScript kernel', async () => {
    const { stdout: python } = await run(`${ROOT}examples/notebook/install-kernel.sh`, [], { cwd: ROOT, maxBuffer: 1 << 24 });
    const { stdout } = await run(python.trim(), [`${ROOT}examples/notebook/run-notebook.py`, `${ROOT}examples/notebook/closures.ipynb`], {
      cwd: ROOT,
      env: process.env,
      maxBuffer: 1 << 24,
    });
    const results = new Map<string, unknown>();
    for (const line of stdout.split('\n')) {
      const m = /^RESULT (\S+) (.*)$/.exec(line);
      if (m) results.set(m[1]!, JSON.parse(m[2]!));
    }
    assert.deepEqual(results.get('scored'), EXPECTED_SCORED, stdout);
    assert.deepEqual(results.get('parallel'), EXPECTED_PARALLEL, stdout);
    // The same function typed in a cell, run by runJob on this machine's worker threads.
    assert.deepEqual(results.get('local'), EXPECTED_SCORED, stdout);
  });
});
