/**
 * The output formats a job can write, in their own module so the CLI can list and check
 * them without loading the writers (and parquet-wasm). The list lives in
 * `@tsapply/common` beside `OutputFormat`, where the check of a job's shape (in the
 * worker runtime, which must not import this package) reads it too.
 */
export { OUTPUT_FORMATS } from '@tsapply/common';
