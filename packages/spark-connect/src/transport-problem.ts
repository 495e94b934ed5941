/**
 * gRPC reports every failure to set up a connection as UNAVAILABLE, whether the server
 * is down for a moment (worth retrying) or will never answer this client: its TLS
 * certificate is not trusted or names another host, or TLS is on at one end and off at
 * the other. Those are configuration problems: retrying only delays the same error,
 * and "cannot reach the server" sends the user to look at the wrong thing. This module
 * recognises them from grpc-js's details text and says what to change.
 */
import { EXTRA_CA_ENV } from './tls-roots.js';

export interface TransportProblem {
  /** What went wrong, for the message (`the server's TLS certificate is …`). */
  what: string;
  /** What to do about it. */
  fix: string;
}

const UNTRUSTED = /unable to verify|self[- ]signed certificate|unable to get (local )?issuer|certificate has expired|certificate is not yet valid|CERT_/i;
const WRONG_HOST = /does not match certificate's altnames|Hostname\/IP does not match/i;
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|record layer failure/i;
const NOT_HTTP2 = /Protocol error/i;

/**
 * The cause inside grpc-js's details (`No connection established. Last error: Error:
 * connect ECONNREFUSED 127.0.0.1:1. Resolution note: `), without the wrapping, which
 * repeats "Error" and often ends in an empty note.
 */
export function transportReason(details: string): string {
  return /Last error: (?:Error(?: \[[A-Z_]+\])?: )?([^\n]*?)(?:\. Resolution note:|$)/.exec(details)?.[1]?.trim() || details.trim().replace(/\.$/, '');
}

/** The configuration problem behind a failed connection, if it is one. */
export function transportProblem(details: string, secure: boolean): TransportProblem | undefined {
  const reason = transportReason(details);
  if (WRONG_HOST.test(details)) {
    return { what: `the server's TLS certificate is for another host name (${reason})`, fix: 'Connect with a host name the certificate names.' };
  }
  if (UNTRUSTED.test(details)) {
    return {
      what: `the server's TLS certificate is not signed by a CA this client trusts (${reason})`,
      fix: `If the server uses a private CA, point ${EXTRA_CA_ENV} at its certificate (a PEM file), e.g. ${EXTRA_CA_ENV}=/path/to/ca.pem.`,
    };
  }
  if (secure && NOT_TLS.test(details)) {
    return { what: 'the server does not speak TLS on this port', fix: 'Remove use_ssl=true from the connection string, or use the port where the server (or its proxy) terminates TLS.' };
  }
  if (!secure && NOT_HTTP2.test(details)) {
    return {
      what: 'the server did not answer with plain HTTP/2 (gRPC): it may expect TLS, or not be a Spark Connect server',
      fix: 'If it terminates TLS, add ;use_ssl=true to the connection string; otherwise check host and port.',
    };
  }
  return undefined;
}
