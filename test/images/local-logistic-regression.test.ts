// The image-classifier demo's local ML fallback (examples/lib/local-logistic-regression.ts):
// a known optimum, separable data, determinism, a constant feature, every error message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitLogisticRegression } from '../../examples/lib/local-logistic-regression.ts';

describe('fitLogisticRegression', () => {
  it('finds the known maximum-likelihood model: logit(3/4) = ln 3 at x = ±1', () => {
    // At x = 1 three of four labels are 1, at x = -1 one of four: the MLE is
    // P(1 | x) = sigmoid(ln 3 · x), i.e. coefficient ln 3 and intercept 0.
    const xs = [1, 1, 1, 1, -1, -1, -1, -1].map((x) => [x]);
    const ys = [1, 1, 1, 0, 0, 0, 0, 1];
    const m = fitLogisticRegression(xs, ys, { regParam: 0, maxIter: 3000 });
    assert.ok(Math.abs(m.coefficients[0]! - Math.log(3)) < 1e-6, String(m.coefficients[0]));
    assert.ok(Math.abs(m.intercept) < 1e-9, String(m.intercept));
    assert.ok(Math.abs(m.probability([1]) - 0.75) < 1e-6);
    // Mean log-loss at the optimum: -(3/4 ln 3/4 + 1/4 ln 1/4).
    assert.ok(Math.abs(m.trainingLoss - -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25))) < 1e-9);
  });

  it('separates separable data, deterministically, and gives a constant feature weight 0', () => {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 40; i++) {
      const x1 = (i * 37) % 40 / 20;
      const x2 = (i * 11) % 40 / 20;
      if (Math.abs(x1 + x2 - 2) < 0.2) continue;
      xs.push([x1, x2, 5]);
      ys.push(x1 + x2 > 2 ? 1 : 0);
    }
    const m = fitLogisticRegression(xs, ys);
    assert.deepEqual(xs.map((x) => m.predict(x)), ys);
    assert.equal(m.coefficients[2], 0);
    assert.ok(m.coefficients[0]! > 0 && m.coefficients[1]! > 0);
    const again = fitLogisticRegression(xs, ys);
    assert.deepEqual(again.coefficients, m.coefficients);
    assert.equal(again.intercept, m.intercept);
  });

  it('says exactly what is wrong with its input and options', () => {
    assert.throws(() => fitLogisticRegression([], []), { message: 'fitLogisticRegression() needs at least one training row, got none.' });
    assert.throws(() => fitLogisticRegression([[1]], [1, 0]), { message: 'fitLogisticRegression() got 1 feature vectors but 2 labels.' });
    assert.throws(() => fitLogisticRegression([[1], [1, 2]], [1, 0]), { message: 'Row 1 has 2 features, expected 1 like row 0.' });
    assert.throws(() => fitLogisticRegression([[1], [2]], [1, 2]), { message: 'Row 1 has label 2; a binary logistic regression needs labels 0 or 1.' });
    assert.throws(() => fitLogisticRegression([[1]], [1], { maxIters: 3 } as never), {
      message: 'Invalid option in fitLogisticRegression(): "maxIters". Valid options: regParam, maxIter, stepSize.',
    });
    assert.throws(() => fitLogisticRegression([[1]], [1], { maxIter: 0 }), { message: 'options.maxIter must be a positive integer, got 0.' });
    assert.throws(() => fitLogisticRegression([[1]], [1], { regParam: -1 }), { message: 'options.regParam must be a number >= 0, got -1.' });
    assert.throws(() => fitLogisticRegression([[1]], [1], { stepSize: 0 }), { message: 'options.stepSize must be a number > 0, got 0.' });
    const m = fitLogisticRegression([[1], [2]], [0, 1]);
    assert.throws(() => m.predict([1, 2]), { message: 'The model has 1 features, got a vector of 2.' });
  });
});
