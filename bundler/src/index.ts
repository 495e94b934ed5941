export { bundleJob, bundleModuleFunction, bundleSerializerModule } from './bundle-job.js';
export type { JobBundle, BundleKind } from './bundle-job.js';
export type { BundleOptions } from './bundle-options.js';
export type { BundledPackage } from './dependencies.js';
export { assertNoNativeAddons } from './native-addons.js';
export {
  BundleError,
  DisallowedImportError,
  NativeAddonError,
  TypecheckError,
  DISALLOWED_MODULES,
  formatProblem,
  formatDiagnostic,
} from './errors.js';
export type { BundleProblem, BundleProblemKind, NativeAddon, Diagnostic } from './errors.js';
