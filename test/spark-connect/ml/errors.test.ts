// Bad inputs to Spark ML: Spark's own errors come back as SparkError with Spark's error
// class and message; tsapply's option validation rejects before any request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidOptionError, ml, SparkError, type SparkSession, type DataFrame } from '@tsapply/spark-connect';
import { connect } from '../helpers.js';

let spark: SparkSession;
let numeric: DataFrame;
let stringLabels: DataFrame;

before(async () => {
  spark = await connect();
  const assembler = new ml.VectorAssembler({ inputCols: ['x1', 'x2'], outputCol: 'features' });
  numeric = assembler.transform(spark.createDataFrame([
    { x1: 1, x2: 2, label: 0 },
    { x1: 2, x2: 1, label: 1 },
  ]));
  stringLabels = assembler.transform(spark.createDataFrame([
    { x1: 1, x2: 2, label: 'a' },
    { x1: 2, x2: 1, label: 'b' },
  ]));
});

after(async () => {
  await spark?.stop();
});

describe('Spark errors from ML calls', () => {
  it('unknown features column in fit → FIELD_NOT_FOUND with the available columns', async () => {
    await assert.rejects(new ml.LogisticRegression({ featuresCol: 'nope' }).fit(numeric), (e: unknown) => {
      assert.ok(e instanceof SparkError, String(e));
      assert.equal(e.errorClass, 'FIELD_NOT_FOUND');
      assert.equal(e.sqlState, '42704');
      assert.deepEqual(e.messageParameters, { fieldName: '`nope`', fields: '`x1`, `x2`, `label`, `features`' });
      assert.equal(e.message, '[FIELD_NOT_FOUND] No such struct field `nope` in `x1`, `x2`, `label`, `features`. SQLSTATE: 42704');
      return true;
    });
  });

  it('unknown input column of VectorAssembler → FIELD_NOT_FOUND when the plan runs', async () => {
    const df = new ml.VectorAssembler({ inputCols: ['x1', 'zz'], outputCol: 'v' }).transform(numeric);
    await assert.rejects(df.collect(), {
      name: 'SparkError',
      errorClass: 'FIELD_NOT_FOUND',
      message: '[FIELD_NOT_FOUND] No such struct field `zz` in `x1`, `x2`, `label`, `features`. SQLSTATE: 42704',
    });
  });

  it('string label → Spark says the label must be numeric', async () => {
    const expected = 'requirement failed: Column label must be of type numeric but was actually of type string.';
    await assert.rejects(new ml.LinearRegression().fit(stringLabels), (e: unknown) => {
      assert.ok(e instanceof SparkError);
      assert.equal(e.message, expected);
      assert.equal(e.errorTypeHierarchy[0], 'java.lang.IllegalArgumentException');
      return true;
    });
    await assert.rejects(new ml.RandomForestClassifier().fit(stringLabels), { name: 'SparkError', message: expected });
    // Spark 4.1's LogisticRegression fails a bare require() here; its message is all Spark sends.
    await assert.rejects(new ml.LogisticRegression().fit(stringLabels), (e: unknown) => {
      assert.ok(e instanceof SparkError);
      assert.match(e.message, /^requirement failed/);
      assert.equal(e.errorTypeHierarchy[0], 'java.lang.IllegalArgumentException');
      return true;
    });
  });

  it('a double column as features → Spark says it cannot be cast to Vector', async () => {
    // Spark's own words, which changed after 4.0.
    const message = (await spark.version).startsWith('4.0.')
      ? /^requirement failed: Column x1 must be of type class org\.apache\.spark\.ml\.linalg\.VectorUDT:.* but was actually class org\.apache\.spark\.sql\.types\.DoubleType/
      : 'DoubleType column cannot be cast to Vector';
    await assert.rejects(new ml.LinearRegression({ featuresCol: 'x1' }).fit(numeric), { name: 'SparkError', message });
  });

  it('an evaluator on a missing label column → FIELD_NOT_FOUND', async () => {
    const model = await new ml.LogisticRegression().fit(numeric, { summary: false });
    try {
      await assert.rejects(new ml.MulticlassClassificationEvaluator({ labelCol: 'y' }).evaluate(model.transform(numeric)), {
        name: 'SparkError',
        errorClass: 'FIELD_NOT_FOUND',
      });
    } finally {
      await model.release();
    }
  });

  it('a failing stage makes Pipeline.fit reject with the Spark error', async () => {
    const pipeline = new ml.Pipeline({ stages: [new ml.VectorAssembler({ inputCols: ['x1'], outputCol: 'f' }), new ml.LinearRegression({ featuresCol: 'f', labelCol: 'missing' })] });
    await assert.rejects(pipeline.fit(numeric), { name: 'SparkError', errorClass: 'FIELD_NOT_FOUND' });
  });
});

describe('option validation (before any request)', () => {
  it('rejects unknown options naming the valid ones', () => {
    assert.throws(() => new ml.LinearRegression({ maxIters: 5 } as never), {
      name: 'InvalidOptionError',
      message: 'Invalid option in new LinearRegression(): "maxIters". Did you mean "maxIter"? Valid options: featuresCol, labelCol, predictionCol, maxIter, regParam, elasticNetParam, tol, fitIntercept, standardization, solver, weightCol, aggregationDepth, loss, epsilon, maxBlockSizeInMB.',
    });
    assert.throws(() => new ml.Pipeline({ stage: [] } as never), { message: 'Invalid option in new Pipeline(): "stage". Did you mean "stages"? Valid options: stages.' });
  });

  it('rejects wrong types, ranges and values with expected vs actual', () => {
    assert.throws(() => new ml.LogisticRegression({ maxIter: 2.5 }), { message: 'Invalid value for param "maxIter" in new LogisticRegression(): expected an integer (int32), got number 2.5.' });
    assert.throws(() => new ml.LogisticRegression({ regParam: '0.1' as never }), { message: 'Invalid value for param "regParam" in new LogisticRegression(): expected a number, got "0.1".' });
    assert.throws(() => new ml.LogisticRegression({ elasticNetParam: 2 }), { message: 'Invalid value for param "elasticNetParam" in new LogisticRegression(): must be in [0, 1], got 2.' });
    assert.throws(() => new ml.LogisticRegression({ family: 'poisson' as never }), {
      message: 'Invalid value for param "family" in new LogisticRegression(): expected one of "auto", "binomial", "multinomial", got "poisson".',
    });
    assert.throws(() => new ml.VectorAssembler({ inputCols: 'x1' as never }), { message: 'Invalid value for param "inputCols" in new VectorAssembler(): expected an array of strings, got "x1".' });
    assert.throws(() => new ml.RandomForestClassifier({ seed: 1.5 }), { message: 'Invalid value for param "seed" in new RandomForestClassifier(): expected an integer (number or bigint), got number 1.5.' });
    assert.throws(() => new ml.LinearRegression().set('nope', 1), { message: /^LinearRegression has no param "nope". Valid params: featuresCol, labelCol,/ });
    assert.throws(() => new ml.Pipeline({ stages: [{} as never] }), { message: "new Pipeline(): stage 0 is not an Estimator or Transformer from tsapply's ml module (got Object)." });
  });

  it('fit() rejects (not throws) on bad fit options', async () => {
    const p = new ml.LinearRegression().fit(numeric, { sumary: false } as never);
    assert.ok(p instanceof Promise);
    await assert.rejects(p, (e: unknown) => e instanceof InvalidOptionError && e.message === 'Invalid option in fit(): "sumary". Did you mean "summary"? Valid options: summary.');
  });
});
