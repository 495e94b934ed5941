// The shim checks its own bytes against its content-hashed module name
// (`tsapply_shim_<sha256 in hex>`, as pickle-command.ts names it) when it is imported:
// a copy changed after upload is refused with a setup error, the right one loads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shimModule } from '../../../packages/tsapply/dist/spark/pickle-command.js';
import { SHIM_SOURCE } from './shim-harness.ts';

/** Imports `file` as module `name` from a fresh folder; what the import printed or raised. */
function importAs(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsapply-shim-integrity-'));
  try {
    writeFileSync(join(dir, `${name}.py`), source);
    const r = spawnSync('python3', ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(dir)})\ntry:\n    import ${name}\n    print("loaded")\nexcept Exception as e:\n    print(type(e).__name__, str(e).splitlines()[0])`], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the shim's check of its own content", () => {
  const { moduleName, source } = shimModule();

  it('loads under the name the driver gives it', () => {
    assert.equal(readFileSync(SHIM_SOURCE, 'utf8'), source);
    assert.equal(importAs(moduleName, source), 'loaded');
  });

  it('refuses a copy whose bytes changed after it was named', () => {
    const out = importAs(moduleName, source.replace('MIN_NODE_MAJOR = 20', 'MIN_NODE_MAJOR = 18'));
    assert.match(out, new RegExp(`^TsapplySetupError tsapply's shim .*${moduleName}\\.py does not match its name \\(its sha256 is [0-9a-f]{64}\\)`));
  });
});
