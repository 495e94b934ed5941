/**
 * Vector ⇄ array column functions (`pyspark.ml.functions`): Spark evaluates them; over
 * Spark Connect they are the server's `array_to_vector` / `vector_to_array` functions.
 * Also `toVector`, turning a collected vector cell back into a local vector.
 */
import { InvalidOptionError } from '@tsapply/common';
import { call } from '../functions/core.js';
import { toColumnFromName, type Column, type ColumnOrName } from '../column.js';
import { DenseVector, SparseVector, type Vector } from './linalg.js';

/** An `array<double>` (or float/int array) column → a dense ML vector column. */
export function arrayToVector(col: ColumnOrName): Column {
  return call('array_to_vector', toColumnFromName(col));
}

/** A vector column → `array<double>` (`dtype: 'float32'` gives `array<float>`). */
export function vectorToArray(col: ColumnOrName, dtype: 'float64' | 'float32' = 'float64'): Column {
  if (dtype !== 'float64' && dtype !== 'float32') throw new InvalidOptionError(`vectorToArray(): dtype must be "float64" or "float32", got ${JSON.stringify(dtype)}.`, { option: 'dtype' });
  return call('vector_to_array', toColumnFromName(col), dtype);
}

/**
 * A vector cell as `collect()` returns it (Spark's VectorUDT storage struct
 * `{ type: 0 sparse | 1 dense, size, indices, values }`) → DenseVector / SparseVector.
 */
export function toVector(cell: unknown): Vector {
  if (cell instanceof DenseVector || cell instanceof SparseVector) return cell;
  const c = cell as { type?: unknown; size?: unknown; indices?: unknown; values?: unknown } | null;
  if (c === null || typeof c !== 'object' || (c.type !== 0 && c.type !== 1)) {
    throw new InvalidOptionError(`toVector() expects a vector cell ({ type: 0 | 1, size, indices, values }) from a Spark ML vector column, got ${c === null ? 'null' : typeof c}.`, { option: 'cell' });
  }
  const arr = (v: unknown): number[] => (v == null ? [] : Array.from(v as ArrayLike<number>, Number));
  return c.type === 1 ? new DenseVector(arr(c.values)) : new SparseVector(Number(c.size), arr(c.indices), arr(c.values));
}
