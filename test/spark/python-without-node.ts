/**
 * Executors that have exactly what PySpark needs and no `node` (issue 12): a python
 * wrapper for `startSparkConnect({ pythonExecutable })` whose Python workers run with a
 * PATH holding every program of this machine except node. Used by
 * test/spark/executor-node.test.ts and the cross-version smoke.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes, under `dir`, a folder of links to every program in /usr/bin and /usr/local/bin
 * except node, and a python wrapper that runs `python` with only that folder on PATH.
 * Returns the wrapper's path.
 */
export function pythonWithoutNode(dir: string, python: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const from of ['/usr/bin', '/usr/local/bin']) {
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) {
      if (name === 'node' || name === 'nodejs' || existsSync(join(bin, name))) continue;
      symlinkSync(join(from, name), join(bin, name));
    }
  }
  const wrapper = join(dir, 'python-without-node');
  writeFileSync(wrapper, `#!/bin/sh\nPATH='${bin}'\nexport PATH\nexec '${python}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}
