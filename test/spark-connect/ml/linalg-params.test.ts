// Local parts of the ML module: vectors/matrices, param literals and their decoding
// (the wire shapes Spark ML uses for vectors: a VectorUDT struct of packed arrays).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ml } from '@tsapply/spark-connect';
// The literal codec is internal; it is imported from source, with the vector classes it
// builds (the package's dist copies would be other classes).
import { fromLiteral, paramLiteral, vectorLiteral } from '../../../packages/spark-connect/src/ml/params.js';
import * as linalg from '../../../packages/spark-connect/src/ml/linalg.js';

describe('vectors and matrices', () => {
  it('print like Spark', () => {
    assert.equal(new ml.DenseVector([3, -2, 0.5]).toString(), '[3.0,-2.0,0.5]');
    assert.equal(new ml.SparseVector(4, [0, 2], [0.25, 0.75]).toString(), '(4,[0,2],[0.25,0.75])');
    assert.equal(new ml.DenseVector([1e-7, 1e20]).toString(), '[1.0E-7,1.0E20]');
  });

  it('index, densify and validate', () => {
    const s = new ml.SparseVector(4, [1, 3], [5, 6]);
    assert.deepEqual(s.toArray(), [0, 5, 0, 6]);
    assert.equal(s.get(3), 6);
    assert.equal(s.get(2), 0);
    assert.throws(() => new ml.SparseVector(3, [2, 1], [1, 1]), { message: 'SparseVector indices must be ascending and in [0, 3), got [2,1].' });
    assert.throws(() => new ml.SparseVector(3, [0], [1, 2]), { message: 'SparseVector has 1 indices but 2 values; they must be equally many.' });
    const m = new ml.DenseMatrix(2, 3, [1, 2, 3, 4, 5, 6]); // column-major
    assert.deepEqual(m.toRows(), [
      [1, 3, 5],
      [2, 4, 6],
    ]);
    assert.deepEqual(new ml.DenseMatrix(2, 3, [1, 2, 3, 4, 5, 6], true).toRows(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.throws(() => new ml.DenseMatrix(2, 2, [1]), { message: 'DenseMatrix 2x2 needs 4 values, got 1.' });
  });

  it('toVector reads the collected VectorUDT struct', () => {
    assert.deepEqual(ml.toVector({ type: 1, size: null, indices: null, values: [1, 2] }).toArray(), [1, 2]);
    assert.deepEqual(ml.toVector({ type: 0, size: 3, indices: [2], values: [9] }).toArray(), [0, 0, 9]);
    assert.throws(() => ml.toVector('x'), { message: /^toVector\(\) expects a vector cell/ });
  });
});

describe('param literals', () => {
  it('carry the JVM type of each param', () => {
    assert.deepEqual(paramLiteral('int', 10).literalType, { case: 'integer', value: 10 });
    assert.deepEqual(paramLiteral('double', 0).literalType, { case: 'double', value: 0 });
    assert.deepEqual(paramLiteral('long', 42n).literalType, { case: 'long', value: 42n });
    const arr = paramLiteral('string[]', ['a', 'b']).literalType;
    assert.equal(arr.case, 'array');
    assert.equal(arr.case === 'array' && arr.value.elementType?.kind.case, 'string');
    assert.deepEqual(fromLiteral(paramLiteral('string[]', ['a', 'b'])), ['a', 'b']);
    assert.deepEqual(fromLiteral(paramLiteral('double[]', [0.5, 1])), [0.5, 1]);
  });

  it('vectors round-trip through the VectorUDT struct encoding', () => {
    const d = fromLiteral(vectorLiteral(new linalg.DenseVector([1.5, -2])));
    assert.ok(d instanceof linalg.DenseVector);
    assert.deepEqual(d.toArray(), [1.5, -2]);
    const s = fromLiteral(vectorLiteral(new linalg.SparseVector(5, [1, 4], [2, 3])));
    assert.ok(s instanceof linalg.SparseVector);
    assert.equal(s.toString(), '(5,[1,4],[2.0,3.0])');
    const lit = vectorLiteral(new linalg.DenseVector([1]));
    assert.equal(lit.literalType.case === 'struct' && lit.literalType.value.structType?.kind.case === 'udt' && lit.literalType.value.structType.kind.value.jvmClass, 'org.apache.spark.ml.linalg.VectorUDT');
  });
});
