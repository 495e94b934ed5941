/**
 * The certificates a TLS connection to Spark Connect trusts: Node's bundled roots,
 * plus the PEM file in `NODE_EXTRA_CA_CERTS` (the standard way to trust a company's
 * private CA) and gRPC's own `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`.
 *
 * Why explicit: grpc-js builds its TLS context with `tls.createSecureContext()`, which
 * starts from Node's bundled roots only, so a CA given in NODE_EXTRA_CA_CERTS — which
 * `https` and `tls.connect` honour — was silently ignored and a private CA could not
 * be trusted at all.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { InvalidOptionError } from '@tsapply/common';

export const EXTRA_CA_ENV = 'NODE_EXTRA_CA_CERTS';
const GRPC_ROOTS_ENV = 'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH';

function readPem(env: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidOptionError(`${env} names "${path}", which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Point it at a PEM file of CA certificates.`, {
      option: env,
    });
  }
}

/** PEM bundle of every trusted root (bundled + extra), for `credentials.createSsl`. */
export function trustedRoots(env: NodeJS.ProcessEnv = process.env): Buffer {
  const pems = [...rootCertificates];
  for (const name of [EXTRA_CA_ENV, GRPC_ROOTS_ENV]) {
    const path = env[name];
    if (path) pems.push(readPem(name, path));
  }
  return Buffer.from(`${pems.join('\n')}\n`);
}
