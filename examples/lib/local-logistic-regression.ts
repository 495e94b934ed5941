/**
 * A tiny binary logistic regression in TypeScript: the documented local fallback of the
 * image-classifier demo's ML step when no Spark server is given. It is not Spark ML —
 * it is the same model family fitted the simplest deterministic way, so the demo runs
 * end to end on a laptop without Spark and reaches comparable accuracy.
 *
 * Fitting, as Spark's LogisticRegression does by default (`standardization: true`):
 * - every feature is standardised with the training mean and (sample) standard
 *   deviation; a constant feature gets weight 0;
 * - the loss is the mean log-loss plus `regParam / 2 · ‖w‖²` (L2, on the standardised
 *   weights, intercept not penalised);
 * - it is minimised by full-batch gradient descent from all-zero weights, with a fixed
 *   step size and number of iterations — no randomness, so the same data always gives
 *   the same model.
 * The returned coefficients are mapped back to the raw feature scale, like Spark's.
 */

/** Options of `fitLogisticRegression`. */
export interface LocalLogisticRegressionOptions {
  /** L2 regularisation strength (Spark's `regParam` with `elasticNetParam` 0). @default 0.01 */
  regParam?: number;
  /** Gradient-descent iterations. @default 500 */
  maxIter?: number;
  /** Gradient-descent step size (on standardised features). @default 0.5 */
  stepSize?: number;
}

/** A fitted binary logistic regression. */
export interface LocalLogisticRegressionModel {
  /** Weights on the raw (unstandardised) features. */
  coefficients: number[];
  intercept: number;
  /** Mean log-loss on the training set (without the penalty) after the last iteration. */
  trainingLoss: number;
  /** P(label = 1) for one feature vector. */
  probability(features: readonly number[]): number;
  /** The predicted label, 0 or 1 (probability above 0.5, Spark's default threshold). */
  predict(features: readonly number[]): number;
}

const DEFAULTS: Required<LocalLogisticRegressionOptions> = { regParam: 0.01, maxIter: 500, stepSize: 0.5 };

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function validate(options: LocalLogisticRegressionOptions): Required<LocalLogisticRegressionOptions> {
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULTS)) throw new Error(`Invalid option in fitLogisticRegression(): "${key}". Valid options: ${Object.keys(DEFAULTS).join(', ')}.`);
  }
  const o = { ...DEFAULTS, ...options };
  if (!(o.regParam >= 0)) throw new Error(`options.regParam must be a number >= 0, got ${o.regParam}.`);
  if (!Number.isInteger(o.maxIter) || o.maxIter < 1) throw new Error(`options.maxIter must be a positive integer, got ${o.maxIter}.`);
  if (!(o.stepSize > 0)) throw new Error(`options.stepSize must be a number > 0, got ${o.stepSize}.`);
  return o;
}

/**
 * Fits P(label = 1 | x) = sigmoid(w·x + b) to `features` (one equal-length vector per
 * row) and `labels` (0 or 1 each).
 */
export function fitLogisticRegression(
  features: readonly (readonly number[])[],
  labels: readonly number[],
  options: LocalLogisticRegressionOptions = {},
): LocalLogisticRegressionModel {
  const { regParam, maxIter, stepSize } = validate(options);
  const n = features.length;
  if (n === 0) throw new Error('fitLogisticRegression() needs at least one training row, got none.');
  if (labels.length !== n) throw new Error(`fitLogisticRegression() got ${n} feature vectors but ${labels.length} labels.`);
  const d = features[0]!.length;
  features.forEach((f, i) => {
    if (f.length !== d) throw new Error(`Row ${i} has ${f.length} features, expected ${d} like row 0.`);
  });
  labels.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new Error(`Row ${i} has label ${y}; a binary logistic regression needs labels 0 or 1.`);
  });

  // Standardise: x' = (x - mean) / sd, column by column, into one row-major typed array.
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  // Sum first, divide once: a constant column then gets its exact value as mean and sd 0.
  for (const f of features) for (let j = 0; j < d; j++) mean[j]! += f[j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (const f of features) for (let j = 0; j < d; j++) sd[j]! += (f[j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]! / Math.max(1, n - 1));
  const x = new Float64Array(n * d);
  features.forEach((f, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = sd[j]! > 0 ? (f[j]! - mean[j]!) / sd[j]! : 0;
  });

  const w = new Float64Array(d);
  let b = 0;
  const grad = new Float64Array(d);
  for (let iter = 0; iter < maxIter; iter++) {
    grad.fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * x[i * d + j]!;
      const err = sigmoid(z) - labels[i]!;
      for (let j = 0; j < d; j++) grad[j]! += (err * x[i * d + j]!) / n;
      gradB += err / n;
    }
    for (let j = 0; j < d; j++) w[j]! -= stepSize * (grad[j]! + regParam * w[j]!);
    b -= stepSize * gradB;
  }

  // Back to the raw scale: w·(x - mean)/sd + b = (w/sd)·x + (b - Σ w·mean/sd).
  const coefficients = Array.from(w, (wj, j) => (sd[j]! > 0 ? wj / sd[j]! : 0));
  const intercept = b - coefficients.reduce((s, c, j) => s + c * mean[j]!, 0);
  const probability = (f: readonly number[]): number => {
    if (f.length !== d) throw new Error(`The model has ${d} features, got a vector of ${f.length}.`);
    let z = intercept;
    for (let j = 0; j < d; j++) z += coefficients[j]! * f[j]!;
    return sigmoid(z);
  };
  let loss = 0;
  features.forEach((f, i) => {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probability(f)));
    loss -= (labels[i] === 1 ? Math.log(p) : Math.log(1 - p)) / n;
  });
  return { coefficients, intercept, trainingLoss: loss, probability, predict: (f) => (probability(f) > 0.5 ? 1 : 0) };
}
