/**
 * What a user sees when a Spark error is printed (uncaught, or console.log): Spark's
 * message, the stack and its class — not the gRPC cause's raw status bytes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { SparkError, SparkSession } from '@tsapply/spark-connect';
import { connect } from './helpers.js';

let spark: SparkSession;
before(async () => {
  spark = await connect();
});
after(async () => {
  await spark.stop();
});

describe('printing a SparkError', () => {
  it('shows the message, the stack and Spark\'s class, and keeps the gRPC details on the object', async () => {
    const e = await spark.range(3).selectExpr('no_such_column').collect().then(
      () => assert.fail('the query should fail'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof SparkError);
    const shown = inspect(e);
    assert.match(shown, /^SparkError: \[UNRESOLVED_COLUMN\.WITH_SUGGESTION\] A column, variable, or function parameter with name `no_such_column` cannot be resolved/);
    assert.match(shown, /errorClass: 'UNRESOLVED_COLUMN\.WITH_SUGGESTION'/);
    assert.match(shown, /sqlState: '42703'/);
    assert.match(shown, /at .*error-printing\.test\.ts/);
    assert.doesNotMatch(shown, /grpc-status-details-bin|Uint8Array|internalRepr/);
    assert.ok(shown.length < 3000, `printed ${shown.length} characters`);
    assert.ok(e.cause, 'the gRPC error stays available as e.cause');
  });
});
