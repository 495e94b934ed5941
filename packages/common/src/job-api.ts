/**
 * The light job-side API: what a user bundle gets when its job file does
 * `import { defineJob } from 'tsapply'`. The bundler aliases `tsapply` to this module,
 * so it must never import apache-arrow, msgpackr or lz4 at run time (types only).
 */
export { defineJob } from './job-definition.js';
// Pixel helpers for image rows (pure JS, safe inside workers).
export * as image from './image/index.js';
export type {
  ApplyContext,
  ApplyResult,
  Batch,
  CsvInputOptions,
  InputSpec,
  JobDefinition,
  OutputFormat,
  OutputSpec,
} from './job-definition.js';
