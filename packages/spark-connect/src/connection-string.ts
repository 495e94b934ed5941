/**
 * Spark Connect connection strings:
 * `sc://host[:port]/[;param=value;…]` with the parameters Spark's own clients know:
 * `token`, `use_ssl`, `user_id`, `user_agent`, `session_id`. Any other parameter is sent
 * to the server as a gRPC metadata header, as PySpark does. Values are percent-decoded.
 */
import { InvalidOptionError, shownValue } from '@tsapply/common';

/** Spark Connect's default port. */
export const DEFAULT_PORT = 15002;

/** A parsed connection string. */
export interface ConnectionParams {
  /** Host name; IPv6 literals keep their brackets (`[::1]`). */
  host: string;
  port: number;
  /** Bearer token sent as `authorization: Bearer <token>`. */
  token: string | undefined;
  /** Use TLS. A token implies TLS unless the host is local (PySpark does the same). */
  useSsl: boolean;
  userId: string | undefined;
  /** Prepended to the client's own user agent (`tsapply/<version> …`). */
  userAgent: string | undefined;
  /** Reuse this session id (a UUID v4) instead of a fresh one. */
  sessionId: string | undefined;
  /** Every other parameter, sent as gRPC metadata. */
  headers: Record<string, string>;
  /** The string this was parsed from (token redacted). */
  display: string;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const KNOWN = ['token', 'use_ssl', 'user_id', 'user_agent', 'session_id'];

/** `host:port` as gRPC dials it. */
export function addressOf(p: Pick<ConnectionParams, 'host' | 'port'>): string {
  return `${p.host}:${p.port}`;
}

/** True when the host is the loopback interface (token auth then works without TLS). */
export function isLocalHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/**
 * Parses `url`, or `SPARK_REMOTE` when `url` is undefined, or `sc://localhost` when neither
 * is set. Throws an `InvalidOptionError` naming the bad part; its `option` is the
 * parameter at fault (`use_ssl`, `session_id`, …), else `url` (or `SPARK_REMOTE` when
 * the string came from there).
 */
export function parseConnectionString(url?: string, env: NodeJS.ProcessEnv = process.env): ConnectionParams {
  if (url !== undefined && typeof url !== 'string') {
    throw new InvalidOptionError(`Invalid Spark Connect URL: expected a string like "sc://localhost:15002", got ${shownValue(url)}.`, { option: 'url' });
  }
  const source = url ?? env.SPARK_REMOTE ?? 'sc://localhost';
  // The option at fault when no single parameter is: the argument, or the variable it came from.
  const whole = url === undefined && env.SPARK_REMOTE !== undefined ? 'SPARK_REMOTE' : 'url';
  const fail = (what: string, option = whole): never => {
    throw new InvalidOptionError(
      `Invalid Spark Connect URL "${redact(source)}": ${what}. Expected sc://host[:port]/[;token=…;use_ssl=true;user_id=…;session_id=…;user_agent=…].`,
      { option },
    );
  };
  if (!source.startsWith('sc://')) fail(`it must start with "sc://"`);
  const rest = source.slice(5);
  const semi = rest.indexOf(';');
  let authorityAndPath = semi === -1 ? rest : rest.slice(0, semi);
  const paramText = semi === -1 ? '' : rest.slice(semi + 1);
  const slash = authorityAndPath.indexOf('/');
  if (slash !== -1) {
    const path = authorityAndPath.slice(slash);
    if (path !== '/') fail(`the path "${path}" must be empty`);
    authorityAndPath = authorityAndPath.slice(0, slash);
  }
  let host: string;
  let portText: string | undefined;
  if (authorityAndPath.startsWith('[')) {
    const close = authorityAndPath.indexOf(']');
    if (close === -1) fail(`the IPv6 host "${authorityAndPath}" has no closing "]"`);
    host = authorityAndPath.slice(0, close + 1);
    const after = authorityAndPath.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) fail(`unexpected "${after}" after the host`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = authorityAndPath.lastIndexOf(':');
    host = colon === -1 ? authorityAndPath : authorityAndPath.slice(0, colon);
    portText = colon === -1 ? undefined : authorityAndPath.slice(colon + 1);
  }
  if (host === '') fail('the host name is missing');
  if (/[\s@]/.test(host)) fail(`the host "${host}" is not a valid host name`);
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      fail(`the port "${portText}" must be an integer from 1 to 65535`);
    }
    port = Number(portText);
  }

  const params: Record<string, string> = {};
  for (const part of paramText.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || part.indexOf('=', eq + 1) !== -1) {
      fail(`the parameter "${part.startsWith('token=') ? 'token=***' : part}" must be a key=value pair`, eq > 0 ? part.slice(0, eq) : part);
    }
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return fail(`the value of "${key}" is not valid percent-encoding`, key);
    }
    if (key in params) fail(`the parameter "${key}" is given twice`, key);
    params[key] = value;
  }

  const useSslText = params.use_ssl;
  if (useSslText !== undefined && !/^(true|false)$/i.test(useSslText)) {
    fail(`use_ssl must be "true" or "false", got "${useSslText}"`, 'use_ssl');
  }
  const sessionId = params.session_id;
  if (sessionId !== undefined && !UUID_V4.test(sessionId)) {
    fail(`session_id must be a UUID v4 like 00112233-4455-4677-8899-aabbccddeeff, got "${sessionId}"`, 'session_id');
  }
  if (params.token !== undefined && params.token === '') fail('token must not be empty', 'token');
  if (params.user_agent !== undefined && encodeURIComponent(params.user_agent).length > 2048) {
    fail('user_agent must not exceed 2048 characters', 'user_agent');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (KNOWN.includes(k)) continue;
    if (!/^[a-z0-9_.-]+$/.test(k)) fail(`the parameter name "${k}" is not a valid header name (lower-case letters, digits, "_", "-", ".")`, k);
    headers[k] = v;
  }
  return {
    host,
    port,
    token: params.token ?? env.SPARK_CONNECT_AUTHENTICATE_TOKEN,
    useSsl: useSslText?.toLowerCase() === 'true',
    userId: params.user_id,
    userAgent: params.user_agent,
    sessionId,
    headers,
    display: redact(source),
  };
}

/** The connection string with the token value replaced by `***`, safe for messages. */
export function redact(url: string): string {
  return url.replace(/(;token=)[^;]*/g, '$1***');
}
