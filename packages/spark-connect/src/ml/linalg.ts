/**
 * Local vectors and matrices, as Spark ML returns them (`pyspark.ml.linalg`): a fitted
 * model's `coefficients` is a `DenseVector`, a random forest's `featureImportances` a
 * `SparseVector`, a multinomial model's `coefficientMatrix` a `DenseMatrix`. Values are
 * `Float64Array`s; `toString()` prints the way Spark prints them (`[3.0,-2.0]`,
 * `(3,[0,2],[0.25,0.75])`).
 */
import { InvalidOptionError } from '@tsapply/common';

/** A number as Scala/Java prints a double: always with a fraction or exponent. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return v.toFixed(1);
  const s = String(v);
  // JS prints 1e-7 as "1e-7"; Java as "1.0E-7".
  const m = /^(-?\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m) return `${m[1]}.${m[2] ?? '0'}E${Number(m[3])}`;
  if (Math.abs(v) >= 1e7) {
    const [mant, exp] = v.toExponential().split('e');
    return `${mant!.includes('.') ? mant : mant + '.0'}E${Number(exp)}`;
  }
  return s;
}

function checkValues(values: ArrayLike<number>, what: string): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (typeof values[i] !== 'number') throw new InvalidOptionError(`${what}: value ${i} is ${typeof values[i]}, expected a number.`, { option: 'values' });
  }
  return out;
}

/** A dense vector of doubles. */
export class DenseVector {
  readonly values: Float64Array;
  constructor(values: ArrayLike<number>) {
    this.values = checkValues(values, 'DenseVector');
  }
  /** Number of elements. */
  get size(): number {
    return this.values.length;
  }
  get(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.values.length) throw new InvalidOptionError(`DenseVector index ${i} is out of range [0, ${this.values.length}).`, { option: 'i' });
    return this.values[i]!;
  }
  toArray(): number[] {
    return Array.from(this.values);
  }
  toString(): string {
    return `[${Array.from(this.values, formatDouble).join(',')}]`;
  }
}

/** A sparse vector: `size` elements, non-zero at `indices` (ascending) with `values`. */
export class SparseVector {
  readonly size: number;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  constructor(size: number, indices: ArrayLike<number>, values: ArrayLike<number>) {
    if (!Number.isInteger(size) || size < 0) throw new InvalidOptionError(`SparseVector size must be a non-negative integer, got ${size}.`, { option: 'size' });
    if (indices.length !== values.length) throw new InvalidOptionError(`SparseVector has ${indices.length} indices but ${values.length} values; they must be equally many.`, { option: 'values' });
    this.size = size;
    this.indices = Int32Array.from(indices);
    this.values = checkValues(values, 'SparseVector');
    for (let i = 0; i < this.indices.length; i++) {
      const ix = this.indices[i]!;
      if (ix < 0 || ix >= size || (i > 0 && ix <= this.indices[i - 1]!)) {
        throw new InvalidOptionError(`SparseVector indices must be ascending and in [0, ${size}), got [${Array.from(this.indices).join(',')}].`, { option: 'indices' });
      }
    }
  }
  get(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new InvalidOptionError(`SparseVector index ${i} is out of range [0, ${this.size}).`, { option: 'i' });
    // indices are ascending: binary search.
    let lo = 0;
    let hi = this.indices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.indices[mid]!;
      if (v === i) return this.values[mid]!;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }
  /** The dense form, zeros filled in. */
  toArray(): number[] {
    const out = new Array<number>(this.size).fill(0);
    for (let i = 0; i < this.indices.length; i++) out[this.indices[i]!] = this.values[i]!;
    return out;
  }
  toString(): string {
    return `(${this.size},[${Array.from(this.indices).join(',')}],[${Array.from(this.values, formatDouble).join(',')}])`;
  }
}

export type Vector = DenseVector | SparseVector;

/** A dense matrix in column-major order (row-major when `isTransposed`), like Spark's. */
export class DenseMatrix {
  readonly numRows: number;
  readonly numCols: number;
  readonly values: Float64Array;
  readonly isTransposed: boolean;
  constructor(numRows: number, numCols: number, values: ArrayLike<number>, isTransposed = false) {
    if (values.length !== numRows * numCols) throw new InvalidOptionError(`DenseMatrix ${numRows}x${numCols} needs ${numRows * numCols} values, got ${values.length}.`, { option: 'values' });
    this.numRows = numRows;
    this.numCols = numCols;
    this.values = checkValues(values, 'DenseMatrix');
    this.isTransposed = isTransposed;
  }
  get(row: number, col: number): number {
    if (row < 0 || row >= this.numRows || col < 0 || col >= this.numCols) throw new InvalidOptionError(`DenseMatrix index (${row}, ${col}) is out of range for ${this.numRows}x${this.numCols}.`, { option: row < 0 || row >= this.numRows ? 'row' : 'col' });
    return this.values[this.isTransposed ? row * this.numCols + col : col * this.numRows + row]!;
  }
  /** Rows as arrays of numbers. */
  toRows(): number[][] {
    return Array.from({ length: this.numRows }, (_, r) => Array.from({ length: this.numCols }, (_, c) => this.get(r, c)));
  }
  toString(): string {
    return this.toRows()
      .map((r) => r.map(formatDouble).join('  '))
      .join('\n');
  }
}

/** A sparse matrix in CSC form (CSR when `isTransposed`), like Spark's. */
export class SparseMatrix {
  constructor(
    readonly numRows: number,
    readonly numCols: number,
    readonly colPtrs: Int32Array,
    readonly rowIndices: Int32Array,
    readonly values: Float64Array,
    readonly isTransposed = false,
  ) {}
  get(row: number, col: number): number {
    const [outer, inner] = this.isTransposed ? [row, col] : [col, row];
    for (let k = this.colPtrs[outer]!; k < this.colPtrs[outer + 1]!; k++) if (this.rowIndices[k] === inner) return this.values[k]!;
    return 0;
  }
  toRows(): number[][] {
    return Array.from({ length: this.numRows }, (_, r) => Array.from({ length: this.numCols }, (_, c) => this.get(r, c)));
  }
  toString(): string {
    return `${this.numRows} x ${this.numCols} CSC matrix with ${this.values.length} stored values`;
  }
}

export type Matrix = DenseMatrix | SparseMatrix;

export function isVector(v: unknown): v is Vector {
  return v instanceof DenseVector || v instanceof SparseVector;
}
