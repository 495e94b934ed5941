/** Shared helpers for the bundler tests: fixture paths and evaluating a bundle like a worker does. */
import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import type { JobBundle } from '@tsapply/bundler';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(repoRoot, 'test', 'fixtures', 'bundler');

/**
 * The fixture jobs import two made-up native packages (`fake-gyp-addon` has a
 * binding.gyp, `hidden-native` requires a placeholder `.node` file). They are kept in
 * `fake-packages/` — no dependency folder is committed — and installed here, into the
 * gitignored `test/fixtures/bundler/node_modules/`, where the jobs resolve them.
 */
function installFakePackages(): void {
  const target = join(fixtures, 'node_modules');
  if (existsSync(join(target, 'hidden-native', 'package.json')) && existsSync(join(target, 'fake-gyp-addon', 'package.json'))) return;
  cpSync(join(fixtures, 'fake-packages'), target, { recursive: true });
}
installFakePackages();

/** Path of a fixture job, relative to the repo root (the tests' cwd), e.g. `test/fixtures/bundler/jobs/deps.ts`. */
export function job(name: string): string {
  return `test/fixtures/bundler/jobs/${name}`;
}

/** Evaluates a bundle as CommonJS (no wrapper line) with a require rooted at the job file, and returns its export. */
export function evaluate(bundle: JobBundle): unknown {
  const fn = vm.compileFunction(bundle.code, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: 'tsapply-bundle.js',
  });
  const module = { exports: {} as Record<string, unknown> };
  fn(module.exports, createRequire(bundle.entry), module, bundle.entry, dirname(bundle.entry));
  return module.exports[bundle.exportName];
}
