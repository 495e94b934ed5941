import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidOptionError, parseConnectionString, SparkConnectOptionError } from '@tsapply/spark-connect';

describe('parseConnectionString', () => {
  it('parses every parameter', () => {
    const p = parseConnectionString(
      'sc://spark.example.com:443/;token=abc%3D%3D;use_ssl=true;user_id=ada;session_id=0f0e0d0c-0b0a-4908-8706-050403020100;user_agent=my%20app;x-team=data',
      {},
    );
    assert.deepEqual(
      { ...p },
      {
        host: 'spark.example.com',
        port: 443,
        token: 'abc==',
        useSsl: true,
        userId: 'ada',
        userAgent: 'my app',
        sessionId: '0f0e0d0c-0b0a-4908-8706-050403020100',
        headers: { 'x-team': 'data' },
        display: 'sc://spark.example.com:443/;token=***;use_ssl=true;user_id=ada;session_id=0f0e0d0c-0b0a-4908-8706-050403020100;user_agent=my%20app;x-team=data',
      },
    );
  });

  it('defaults to port 15002 and reads SPARK_REMOTE', () => {
    assert.equal(parseConnectionString('sc://h', {}).port, 15002);
    assert.equal(parseConnectionString(undefined, { SPARK_REMOTE: 'sc://remote:7' }).host, 'remote');
    assert.equal(parseConnectionString(undefined, {}).host, 'localhost');
    assert.equal(parseConnectionString('sc://[::1]:9/', {}).host, '[::1]');
  });

  // [url, message, the option named in the error]
  const bad: [string, string, string][] = [
    ['http://h:1', 'Invalid Spark Connect URL "http://h:1": it must start with "sc://". Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'url'],
    ['sc://h:99999', 'Invalid Spark Connect URL "sc://h:99999": the port "99999" must be an integer from 1 to 65535. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'url'],
    ['sc://h:1/path', 'Invalid Spark Connect URL "sc://h:1/path": the path "/path" must be empty. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'url'],
    ['sc://:1', 'Invalid Spark Connect URL "sc://:1": the host name is missing. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'url'],
    ['sc://h/;use_ssl=yes', 'Invalid Spark Connect URL "sc://h/;use_ssl=yes": use_ssl must be "true" or "false", got "yes". Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'use_ssl'],
    ['sc://h/;session_id=abc', 'Invalid Spark Connect URL "sc://h/;session_id=abc": session_id must be a UUID v4 like 00112233-4455-4677-8899-aabbccddeeff, got "abc". Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'session_id'],
    ['sc://h/;token', 'Invalid Spark Connect URL "sc://h/;token": the parameter "token" must be a key=value pair. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'token'],
    ['sc://h/;token=s3cret;token=x', 'Invalid Spark Connect URL "sc://h/;token=***;token=***": the parameter "token" is given twice. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'token'],
    ['sc://h/;token=', 'Invalid Spark Connect URL "sc://h/;token=***": token must not be empty. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'token'],
    ['sc://h/;user_id=%E0%A4', 'Invalid Spark Connect URL "sc://h/;user_id=%E0%A4": the value of "user_id" is not valid percent-encoding. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'user_id'],
    ['sc://h/;X-Team=a', 'Invalid Spark Connect URL "sc://h/;X-Team=a": the parameter name "X-Team" is not a valid header name (lower-case letters, digits, "_", "-", "."). Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'X-Team'],
    ['sc://[::1:15002', 'Invalid Spark Connect URL "sc://[::1:15002": the IPv6 host "[::1:15002" has no closing "]". Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].', 'url'],
  ];
  for (const [url, message, option] of bad) {
    it(`rejects ${url}`, () => {
      assert.throws(() => parseConnectionString(url, {}), (e: unknown) => {
        assert.ok(e instanceof SparkConnectOptionError);
        assert.equal((e as Error).message, message);
        assert.ok(e instanceof InvalidOptionError);
        assert.ok(InvalidOptionError.is(e));
        assert.equal(e.option, option);
        assert.equal(e.code, 'INVALID_OPTION');
        return true;
      });
    });
  }

  it('names SPARK_REMOTE when the bad string came from there', () => {
    assert.throws(() => parseConnectionString(undefined, { SPARK_REMOTE: 'localhost:15002' }), {
      name: 'InvalidOptionError',
      option: 'SPARK_REMOTE',
      message: 'Invalid Spark Connect URL "localhost:15002": it must start with "sc://". Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].',
    });
  });

  it('refuses a URL that is not a string', () => {
    assert.throws(() => parseConnectionString(15002 as never, {}), {
      name: 'InvalidOptionError',
      option: 'url',
      message: 'Invalid Spark Connect URL: expected a string like "sc://localhost:15002", got 15002.',
    });
  });
});
