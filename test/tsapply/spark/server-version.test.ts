/**
 * A server too old for tsapply's shim is refused before anything is shipped
 * (packages/tsapply/src/spark/server-version.ts), naming the server, its version and the
 * supported lines; Spark 3.5 and 4 servers pass.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// Internals are not part of the package's public exports: import the built file.
import { unsupportedServerVersion } from '../../../packages/tsapply/dist/spark/server-version.js';

describe("the server's Spark version", () => {
  it('refuses 3.4 and older, naming the server and the supported lines', () => {
    for (const v of ['3.4.4', '3.4.1', '2.4.8']) {
      const e = unsupportedServerVersion(v, 'cluster.example:15002');
      assert.ok(e);
      assert.equal(e.code, 'SPARK_VERSION_UNSUPPORTED');
      assert.equal(e.serverVersion, v);
      assert.equal(
        e.message,
        `The Spark Connect server at cluster.example:15002 runs Spark ${v}; tsapply ships functions to Spark 3.5 and newer (supported: 3.5.x, 4.0.x, 4.1.x, 4.2.x, 4.3.x). ` +
          'Use a Spark 3.5 or 4.x server, or run the job on the embedded engine (without --remote).',
      );
    }
  });

  it('accepts every Spark 3.5 and 4 release and later', () => {
    for (const v of ['3.5.0', '3.5.9', '4.0.0', '4.1.1', '4.3.0', '5.0.0-preview1']) assert.equal(unsupportedServerVersion(v, 'h:1'), undefined);
  });
});
