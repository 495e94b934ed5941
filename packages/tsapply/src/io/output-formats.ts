/**
 * The output formats a job can write, in its own module so the CLI can list and check
 * them without loading the writers (and parquet-wasm).
 */
import type { OutputFormat } from '@tsapply/common';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['parquet', 'csv', 'jsonl', 'arrow'];
