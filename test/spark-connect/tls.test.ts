// Spark Connect behind TLS, as company clusters are: a real nginx terminates TLS (with
// certificates openssl makes for this run) and passes gRPC to a real Spark server. The
// client runs in a child process, as a user's script does, so NODE_EXTRA_CA_CERTS is
// read the standard way at start-up. Also: the failures a wrong set-up gives (untrusted
// CA, a certificate for another host, TLS on one side only, a port where something
// else listens) fail at once with a message that says what to change, and a token
// never appears in any of them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { findFreePort, startSparkConnect, type SparkConnectServer } from '@tsapply/spark-local';
import { makePki, startTlsProxy, type Pki, type TlsProxy } from './tls-proxy.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const TOKEN = 'tls-test-token-5f1c';

/**
 * Connects from a fresh Node process, runs one query; resolves to `OK <n>` or
 * `ERR <name>: <message>`. Asynchronous, so servers of this test process keep serving.
 */
async function client(url: string, env: Record<string, string> = {}, options: object = { retry: { maxRetries: 2, initialBackoffMs: 50 } }): Promise<string> {
  const script = `
    import { SparkSession } from '@tsapply/spark-connect';
    try {
      const spark = await SparkSession.connect(${JSON.stringify(url)}, ${JSON.stringify(options)});
      const rows = await spark.range(0, 5).selectExpr('sum(id) AS s').collect();
      console.log('OK ' + rows[0].s);
      await spark.stop();
    } catch (e) {
      console.log('ERR ' + e.name + ': ' + e.message);
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: '', ...env },
    timeout: 120_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  assert.equal(code, 0, stderr);
  return stdout.trim();
}

let pki: Pki;
let stateDir: string;
let server: SparkConnectServer;
let proxy: TlsProxy;
let wrongHostProxy: TlsProxy;

before(async () => {
  pki = makePki();
  // A server of its own that requires a token, behind the proxy.
  stateDir = mkdtempSync(join(tmpdir(), 'tsapply-tls-spark-'));
  server = await startSparkConnect({ port: await findFreePort(), stateDir, token: TOKEN, onProgress: () => {} });
  proxy = await startTlsProxy({ upstreamPort: server.port, cert: pki.cert, key: pki.key });
  wrongHostProxy = await startTlsProxy({ upstreamPort: server.port, cert: pki.wrongHostCert, key: pki.wrongHostKey });
});

after(async () => {
  await proxy?.stop();
  await wrongHostProxy?.stop();
  await server?.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

describe('Spark Connect through a TLS-terminating proxy', () => {
  it('use_ssl=true and a token work together, with the CA given in NODE_EXTRA_CA_CERTS', async () => {
    assert.equal(await client(`sc://localhost:${proxy.port}/;use_ssl=true;token=${TOKEN}`, { NODE_EXTRA_CA_CERTS: pki.ca }), 'OK 10');
  });

  it('a wrong token over TLS is refused by the server, and the message hides it', async () => {
    const out = await client(`sc://localhost:${proxy.port}/;use_ssl=true;token=not-the-token`, { NODE_EXTRA_CA_CERTS: pki.ca });
    assert.match(out, /^ERR /);
    assert.ok(!out.includes('not-the-token'), out);
  });

  it('a CA the client does not trust fails at once, saying how to trust it', async () => {
    for (const ca of [pki.otherCa, undefined]) {
      const out = await client(`sc://localhost:${proxy.port}/;use_ssl=true;token=${TOKEN}`, ca ? { NODE_EXTRA_CA_CERTS: ca } : {});
      assert.equal(
        out,
        `ERR SparkConnectionError: Cannot connect to the Spark Connect server at localhost:${proxy.port} (sc://localhost:${proxy.port}/;use_ssl=true;token=***): ` +
          "the server's TLS certificate is not signed by a CA this client trusts (unable to verify the first certificate). " +
          'If the server uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate (a PEM file), e.g. NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
      );
    }
  });

  it('a certificate for another host name fails, naming the host names', async () => {
    const out = await client(`sc://localhost:${wrongHostProxy.port}/;use_ssl=true;token=${TOKEN}`, { NODE_EXTRA_CA_CERTS: pki.ca });
    assert.equal(
      out,
      `ERR SparkConnectionError: Cannot connect to the Spark Connect server at localhost:${wrongHostProxy.port} (sc://localhost:${wrongHostProxy.port}/;use_ssl=true;token=***): ` +
        "the server's TLS certificate is for another host name (Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:spark.example.com). " +
        'Connect with a host name the certificate names.',
    );
  });

  it('use_ssl=true against a plain server, and plain against a TLS port, say which side to change', async () => {
    const tlsToPlain = await client(`sc://localhost:${server.port}/;use_ssl=true;token=${TOKEN}`, { NODE_EXTRA_CA_CERTS: pki.ca });
    assert.equal(
      tlsToPlain,
      `ERR SparkConnectionError: Cannot connect to the Spark Connect server at localhost:${server.port} (sc://localhost:${server.port}/;use_ssl=true;token=***): ` +
        'the server does not speak TLS on this port. Remove use_ssl=true from the connection string, or use the port where the server (or its proxy) terminates TLS.',
    );
    const plainToTls = await client(`sc://localhost:${proxy.port}/;token=${TOKEN}`);
    assert.equal(
      plainToTls,
      `ERR SparkConnectionError: Cannot connect to the Spark Connect server at localhost:${proxy.port} (sc://localhost:${proxy.port}/;token=***): ` +
        'the server did not answer with plain HTTP/2 (gRPC): it may expect TLS, or not be a Spark Connect server. ' +
        'If it terminates TLS, add ;use_ssl=true to the connection string; otherwise check host and port.',
    );
  });

  it('an unreadable NODE_EXTRA_CA_CERTS is named', async () => {
    const out = await client(`sc://localhost:${proxy.port}/;use_ssl=true`, { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' });
    assert.equal(
      out,
      'ERR InvalidOptionError: NODE_EXTRA_CA_CERTS names "/nonexistent/ca.pem", which cannot be read (ENOENT). Point it at a PEM file of CA certificates.',
    );
  });
});

describe('a port where no Spark Connect server listens', () => {
  let silent: Server;
  let http1: Server;
  let otherGrpc: grpc.Server;
  let otherGrpcPort: number;
  before(async () => {
    // A real gRPC server that serves no Spark Connect service (every call: UNIMPLEMENTED).
    otherGrpc = new grpc.Server();
    otherGrpcPort = await new Promise<number>((r, j) => otherGrpc.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? j(e) : r(p))));
    // One accepts and never answers; one answers like an HTTP/1 server (400, close).
    silent = createServer(() => undefined);
    http1 = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')));
    await Promise.all([silent, http1].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  });
  after(() => {
    silent.close();
    http1.close();
    otherGrpc.forceShutdown();
  });

  it('a gRPC server that is not Spark Connect is named as such', async () => {
    const out = await client(`sc://localhost:${otherGrpcPort}`);
    assert.match(
      out,
      new RegExp(
        `^ERR SparkConnectionError: The server at localhost:${otherGrpcPort} \\(sc://localhost:${otherGrpcPort}\\) is not a Spark Connect server: ` +
          'it answers gRPC but not spark\\.connect\\.SparkConnectService \\(.*\\)\\. Check host and port\\.$',
      ),
    );
  });
  const portOf = (s: Server) => (s.address() as { port: number }).port;

  it('an HTTP/1 server fails at once, without retries', async () => {
    const port = portOf(http1);
    assert.equal(
      await client(`sc://localhost:${port}`),
      `ERR SparkConnectionError: Cannot connect to the Spark Connect server at localhost:${port} (sc://localhost:${port}): ` +
        'the server did not answer with plain HTTP/2 (gRPC): it may expect TLS, or not be a Spark Connect server. ' +
        'If it terminates TLS, add ;use_ssl=true to the connection string; otherwise check host and port.',
    );
  });

  it('a server that never answers fails after connectTimeoutMs, not never', async () => {
    const port = portOf(silent);
    assert.equal(
      await client(`sc://localhost:${port}`, {}, { connectTimeoutMs: 2000, retry: { maxRetries: 0 } }),
      `ERR SparkConnectionError: The server at localhost:${port} (sc://localhost:${port}) did not answer a Spark Connect call within 2 s: ` +
        'it may not be a Spark Connect server (another service on that port), or it is overloaded. Check host and port (Spark Connect listens on 15002 by default).',
    );
  });
});
