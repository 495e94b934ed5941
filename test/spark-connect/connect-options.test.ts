// Every bad option or URL of SparkSession.connect() rejects (never throws) with one
// InvalidOptionError whose message names the option, the value and what would be valid,
// before any connection is tried (a table, as piscina's tests do); good options reach
// the client.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidOptionError, SparkConnectOptionError, SparkSession } from '@tsapply/spark-connect';
import { sparkRemote } from './helpers.js';

const RETRY_KEYS = 'retry.maxRetries, retry.initialBackoffMs, retry.maxBackoffMs, retry.backoffMultiplier';
const URL_HELP = 'Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].';

/** [what, url, options, option named in the error, message]. Port 9 (discard) would never answer. */
const CASES: [string, unknown, unknown, string, string][] = [
  ['null options', 'sc://127.0.0.1:9', null, 'options', 'Invalid options in SparkSession.connect(): expected an object, got null.'],
  ['an array', 'sc://127.0.0.1:9', [], 'options', 'Invalid options in SparkSession.connect(): expected an object, got an array.'],
  ['an unknown key', 'sc://127.0.0.1:9', { retires: 1 }, 'retires', 'Invalid option in SparkSession.connect(): "retires". Valid options: retry, interceptors, connectTimeoutMs.'],
  ['retry 3', 'sc://127.0.0.1:9', { retry: 3 }, 'retry', 'options.retry must be an object such as { maxRetries: 3 }, got 3.'],
  ['an unknown retry key', 'sc://127.0.0.1:9', { retry: { maxRetrys: 1 } }, 'retry.maxRetrys', `Invalid option in SparkSession.connect(): "retry.maxRetrys". Did you mean "retry.maxRetries"? Valid options: ${RETRY_KEYS}.`],
  ['retry.maxRetries 1.5', 'sc://127.0.0.1:9', { retry: { maxRetries: 1.5 } }, 'retry.maxRetries', 'options.retry.maxRetries must be a non-negative integer, got 1.5.'],
  ['retry.maxRetries -1', 'sc://127.0.0.1:9', { retry: { maxRetries: -1 } }, 'retry.maxRetries', 'options.retry.maxRetries must be a non-negative integer, got -1.'],
  ['retry.initialBackoffMs -5', 'sc://127.0.0.1:9', { retry: { initialBackoffMs: -5 } }, 'retry.initialBackoffMs', 'options.retry.initialBackoffMs must be a non-negative number, got -5.'],
  ['retry.maxBackoffMs Infinity', 'sc://127.0.0.1:9', { retry: { maxBackoffMs: Infinity } }, 'retry.maxBackoffMs', 'options.retry.maxBackoffMs must be a non-negative number, got Infinity.'],
  ["retry.backoffMultiplier '2'", 'sc://127.0.0.1:9', { retry: { backoffMultiplier: '2' } }, 'retry.backoffMultiplier', 'options.retry.backoffMultiplier must be a non-negative number, got the string "2".'],
  ['interceptors a function', 'sc://127.0.0.1:9', { interceptors: () => undefined }, 'interceptors', 'options.interceptors must be an array of grpc-js interceptor functions, got a function.'],
  ['interceptors of strings', 'sc://127.0.0.1:9', { interceptors: ['auth'] }, 'interceptors', 'options.interceptors must be an array of grpc-js interceptor functions, got an array.'],
  ['connectTimeoutMs 0', 'sc://127.0.0.1:9', { connectTimeoutMs: 0 }, 'connectTimeoutMs', 'options.connectTimeoutMs must be a positive integer, got 0.'],
  ['a URL that is not a string', 15002, {}, 'url', 'Invalid Spark Connect URL: expected a string like "sc://localhost:15002", got 15002.'],
  ['an http URL', 'http://127.0.0.1:9', {}, 'url', `Invalid Spark Connect URL "http://127.0.0.1:9": it must start with "sc://". ${URL_HELP}`],
  ['use_ssl=yes', 'sc://127.0.0.1:9/;use_ssl=yes', {}, 'use_ssl', `Invalid Spark Connect URL "sc://127.0.0.1:9/;use_ssl=yes": use_ssl must be "true" or "false", got "yes". ${URL_HELP}`],
];

describe('SparkSession.connect() options', () => {
  for (const [what, url, options, option, message] of CASES) {
    it(`refuses ${what}`, async () => {
      const p = SparkSession.connect(url as string, options as never);
      assert.ok(p instanceof Promise, 'connect() rejects, it does not throw');
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof InvalidOptionError, `expected an InvalidOptionError, got ${String(e)}`);
        assert.ok(e instanceof SparkConnectOptionError, 'the deprecated alias still matches');
        assert.equal(e.message, message);
        assert.equal(e.option, option);
        assert.equal(e.code, 'INVALID_OPTION');
        return true;
      });
    });
  }

  it('hands the checked retry policy, with defaults for what is not given, to the client', async () => {
    const spark = await SparkSession.connect(sparkRemote(), { retry: { maxRetries: 1, initialBackoffMs: 10 } });
    try {
      assert.deepEqual(spark.client.retry, { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 4000, backoffMultiplier: 2 });
    } finally {
      await spark.stop();
    }
  });
});
