import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TsapplyError, isTsapplyError, SchemaMismatchError, SchemaInferenceError, DDLParseError, SerializerError,
  PayloadError, UserCodeError, serializeError, deserializeError, registerErrorClass, describeGroupKey,
} from '@tsapply/common';

describe('errors', () => {
  it('UserCodeError formats the original location and partition', () => {
    const e = UserCodeError.fromFields({
      userMessage: 'boom',
      errorName: 'Error',
      location: { file: 'examples/x.ts', line: 12, column: 7 },
      userStack: 'Error: boom\n    at apply (examples/x.ts:12:7)',
      partition: 3,
    });
    assert.equal(e.message, 'Error in apply() at examples/x.ts:12:7 (partition 3): boom');
    assert.equal(e.code, 'USER_CODE');
    assert.equal(e.name, 'UserCodeError');
    assert.equal(UserCodeError.fromFields({ userMessage: 'x is undefined', errorName: 'TypeError', phase: 'init' }).message,
      'Error in init(): TypeError: x is undefined');
  });

  it('UserCodeError names a failing group by its key; keys read as k="v", long ones cut', () => {
    const e = UserCodeError.fromFields({ userMessage: 'boom', errorName: 'RangeError', partition: 2, group: describeGroupKey({ g: 'a', n: 3n, d: new Date(0) }) });
    assert.equal(e.message, 'Error in apply() (partition 2, group g="a", n=3, d=1970-01-01T00:00:00.000Z): RangeError: boom');
    assert.equal((deserializeError(serializeError(e)) as UserCodeError).group, 'g="a", n=3, d=1970-01-01T00:00:00.000Z');
    assert.equal(describeGroupKey({ s: 'x'.repeat(100) }), `s="${'x'.repeat(56)}…`);
  });

  it('isTsapplyError works across copies (Symbol.for brand) and rejects others', () => {
    assert.equal(isTsapplyError(new PayloadError('x')), true);
    assert.equal(isTsapplyError(new Error('x')), false);
    assert.equal(isTsapplyError(null), false);
    const foreign = new Error('other copy');
    Object.defineProperty(foreign, Symbol.for('tsapply.error'), { value: true });
    assert.equal(isTsapplyError(foreign), true);
  });

  it('serializeError/deserializeError round-trip class, code and typed fields through JSON and structuredClone', () => {
    const errors = [
      new SchemaMismatchError('Column "a" expects bigint but row 3 has string "x".', { column: 'a', expected: 'bigint', actual: 'string "x"', rowIndex: 3 }),
      new SchemaInferenceError('inference', { column: 'b' }),
      new DDLParseError('ddl', { ddl: 'a strin', position: 2, expected: 'a type' }),
      new SerializerError('ser', { serializerId: 'json' }),
      new PayloadError('Payload truncated: expected 10 bytes, got 5.', { code: 'PAYLOAD_TRUNCATED' }),
      UserCodeError.fromFields({ userMessage: 'boom', errorName: 'RangeError', location: { file: 'a.ts', line: 1, column: 2 }, userStack: 's', partition: 0 }),
    ];
    for (const original of errors) {
      for (const carried of [JSON.parse(JSON.stringify(serializeError(original))), structuredClone(serializeError(original))]) {
        const back = deserializeError(carried);
        assert.equal(back.constructor, original.constructor);
        assert.equal(back.message, original.message);
        assert.equal(back.stack, original.stack);
        assert.equal(isTsapplyError(back), true);
        assert.deepEqual({ ...back }, { ...original });
        assert.equal((back as TsapplyError).code, original.code);
      }
    }
  });

  it('keeps foreign errors as Errors with name, code and cause', () => {
    const e = Object.assign(new TypeError('bad', { cause: new Error('root') }), { code: 'ERR_X', extra: 5n });
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(e)))) as Error & { code: string; extra: string };
    assert.equal(back.name, 'TypeError');
    assert.equal(back.message, 'bad');
    assert.equal(back.code, 'ERR_X');
    assert.equal(back.extra, '5');
    assert.equal(isTsapplyError(back), false);
    assert.equal((back.cause as Error).message, 'root');
    assert.equal(deserializeError(serializeError('a string')).message, 'a string');
  });

  it('restores registered classes from other packages and brands unregistered tsapply errors', () => {
    class BundleError extends TsapplyError {
      constructor(message: string, readonly problems: string[]) {
        super(message, { code: 'BUNDLE' });
      }
    }
    const unregistered = deserializeError(serializeError(new BundleError('two problems', ['a', 'b'])));
    assert.equal(isTsapplyError(unregistered), true);
    assert.equal(unregistered.name, 'BundleError');
    assert.equal((unregistered as TsapplyError).code, 'BUNDLE');
    assert.deepEqual((unregistered as unknown as { problems: string[] }).problems, ['a', 'b']);
    registerErrorClass('BundleError', (s) => new BundleError(s.message, s.fields.problems as string[]));
    const back = deserializeError(serializeError(new BundleError('two problems', ['a', 'b'])));
    assert.ok(back instanceof BundleError);
    assert.deepEqual(back.problems, ['a', 'b']);
  });
});
