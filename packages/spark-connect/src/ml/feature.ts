/** Feature transformers: `VectorAssembler` (run by Spark; no fitting). */
import type { ParamSpecs } from './params.js';
import { JavaTransformer } from './base.js';
import { handleInvalid, inputCols, outputCol } from './shared-params.js';

/** Options of `VectorAssembler` (PySpark's keyword arguments). */
export interface VectorAssemblerOptions {
  /** Numeric, boolean or vector columns to concatenate. */
  inputCols?: string[];
  /** The vector column to add. @default 'VectorAssembler_<uid>__output' (Spark's) */
  outputCol?: string;
  /** What to do with null/NaN values: 'error' | 'skip' (drop the row) | 'keep' (NaN). @default 'error' */
  handleInvalid?: 'error' | 'skip' | 'keep';
}

const SPECS: ParamSpecs = {
  inputCols,
  outputCol,
  handleInvalid: handleInvalid("how to handle invalid data (NULL and NaN values): 'error' throws, 'skip' filters out rows, 'keep' outputs NaN", 'error', ['error', 'skip', 'keep']),
};

/**
 * Concatenates columns into one vector column (`org.apache.spark.ml.feature.VectorAssembler`).
 * @example `new VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'features' }).transform(df)`
 */
export class VectorAssembler extends JavaTransformer {
  readonly javaClass = 'org.apache.spark.ml.feature.VectorAssembler';
  constructor(options?: VectorAssemblerOptions) {
    super('VectorAssembler', options, SPECS);
  }
}
