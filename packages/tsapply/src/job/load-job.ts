/**
 * Loads the job definition on the driver: evaluates the bundle (the same code the
 * workers run) and checks its shape with the one check the workers run too
 * (`checkJobDefinition` from @tsapply/worker-runtime), so a wrong job fails once, on the
 * driver, with the same JobDefinitionError a worker would raise — before any input is
 * read or anything is shipped. The driver also requires `input`, which only it reads.
 * An exception thrown while the module loads is reported at its original .ts line.
 */
import type { JobBundle } from '@tsapply/bundler';
import type { JobDefinition } from '@tsapply/common';
import { BundleSourceMapper, checkJobDefinition, evaluateCommonJs, toUserCodeError } from '@tsapply/worker-runtime';

export function loadJobDefinition(bundle: JobBundle, jobFile: string): JobDefinition {
  const filename = `tsapply-bundle:${bundle.sha256.slice(0, 16)}.js`;
  let exports: unknown;
  try {
    exports = evaluateCommonJs(bundle.code, { filename, requireFrom: bundle.entry });
  } catch (e) {
    throw toUserCodeError(e, 'load', undefined, new BundleSourceMapper(filename, bundle.sourceMap));
  }
  return checkJobDefinition(exports, jobFile, { requireInput: true });
}
