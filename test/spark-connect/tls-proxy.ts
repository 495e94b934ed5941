/**
 * A real TLS-terminating HTTP/2 proxy (nginx from Debian, `grpc_pass`) in front of the
 * test's Spark Connect server, with certificates made by openssl for each test run:
 * the way a company cluster sits behind TLS. nginx is installed by
 * test/setup/install-nginx.sh when missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@tsapply/spark-local';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

/** nginx's path, installing it first when missing. */
export function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx']) if (existsSync(p)) return p;
  run('bash', [join(ROOT, 'test/setup/install-nginx.sh')]);
  return '/usr/sbin/nginx';
}

export interface Pki {
  dir: string;
  /** PEM file of the CA that signed the server certificate. */
  ca: string;
  /** PEM file of another CA, which signed nothing the proxy serves. */
  otherCa: string;
  /** Certificate and key for `localhost` / 127.0.0.1. */
  cert: string;
  key: string;
  /** Certificate and key for another host name (signed by `ca`). */
  wrongHostCert: string;
  wrongHostKey: string;
}

/** A CA, a server certificate for localhost signed by it, one for another host, and a second CA. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'tsapply-tls-'));
  const ssl = (...args: string[]) => run('openssl', args, dir);
  for (const name of ['ca', 'other-ca']) {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=tsapply test ${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`);
  }
  const leaf = (name: string, cn: string, san: string) => {
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  };
  leaf('server', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  leaf('wrong-host', 'spark.example.com', 'DNS:spark.example.com');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server.key'),
    wrongHostCert: join(dir, 'wrong-host.pem'),
    wrongHostKey: join(dir, 'wrong-host.key'),
  };
}

export interface TlsProxy {
  /** The proxy's TLS port on 127.0.0.1. */
  port: number;
  stop(): Promise<void>;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolveWait, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolveWait();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Starts nginx in the foreground (its own prefix, pid file and logs in a temp folder)
 * terminating TLS with `cert`/`key` and passing gRPC to `upstreamPort` in clear text.
 */
export async function startTlsProxy(opts: { upstreamPort: number; cert: string; key: string }): Promise<TlsProxy> {
  const nginx = nginxBinary();
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'tsapply-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${opts.cert};
    ssl_certificate_key ${opts.key};
    location / {
      grpc_pass grpc://127.0.0.1:${opts.upstreamPort};
      grpc_read_timeout 600s;
      grpc_send_timeout 600s;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(nginx, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`nginx exited with ${code}: ${stderr}${readFileSync(join(dir, 'error.log'), 'utf8')}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port, 10_000), exited]);
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await gone;
    },
  };
}
