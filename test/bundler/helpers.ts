/** Shared helpers for the bundler tests: fixture paths and evaluating a bundle like a worker does. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import type { JobBundle } from '@tsapply/bundler';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(repoRoot, 'test', 'fixtures', 'bundler');

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
