/**
 * Proxies from the environment: HTTPS_PROXY, HTTP_PROXY and NO_PROXY, lower case first, as curl and
 * undici's EnvHttpProxyAgent read them. undici does the proxying (src/http/undici-sender.ts); this module only
 * reads and checks the variables, so a bad one is a clear error naming it, and says which proxy a call
 * goes through, so a failure names the proxy by its origin (never its user or password).
 */
import { NetworkError, ValidationError } from '../errors.js';
import type { CallContext } from './transport.js';

export interface ProxySettings {
  /** The proxy for http:// targets (HTTP_PROXY). */
  httpProxy?: string;
  /** The proxy for https:// targets (HTTPS_PROXY, else HTTP_PROXY, as undici does). */
  httpsProxy?: string;
  /** NO_PROXY as given: hosts (and `host:port`, `.domain`, `*.domain`, `*`) reached directly. */
  noProxy: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The value of the lower-case variable, else the upper-case one (an empty lower-case one wins). */
function variable(env: Env, name: string): { name: string; value: string } | undefined {
  const lower = name.toLowerCase();
  if (env[lower] !== undefined) return { name: lower, value: env[lower] as string };
  if (env[name] !== undefined) return { name, value: env[name] as string };
  return undefined;
}

/**
 * A proxy URL as undici needs it. A bare `host:port` gets `http://` (as curl does); other schemes than
 * http, https and socks5 are refused. The error names the variable and never echoes its value, which
 * may carry a password.
 */
function proxyUrl(found: { name: string; value: string } | undefined): string | undefined {
  const value = found?.value.trim();
  if (found === undefined || value === undefined || value === '') return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw proxyError(found.name, 'is not a valid URL');
  }
  if (!['http:', 'https:', 'socks5:'].includes(url.protocol)) {
    throw proxyError(found.name, `uses the scheme ${url.protocol}// (use http://, https:// or socks5://)`);
  }
  if (url.hostname === '') throw proxyError(found.name, 'has no host');
  return url.href;
}

function proxyError(name: string, problem: string): ValidationError {
  return new ValidationError(
    `${name} ${problem}: give the proxy as http://host:port (or http://user:password@host:port).`,
    { input: name },
  );
}

/** The proxy settings of `env` (the process environment by default). Throws for a malformed proxy URL. */
export function proxySettings(env: Env = process.env): ProxySettings {
  const httpProxy = proxyUrl(variable(env, 'HTTP_PROXY'));
  const httpsProxy = proxyUrl(variable(env, 'HTTPS_PROXY')) ?? httpProxy;
  const noProxy = variable(env, 'NO_PROXY')?.value ?? '';
  return { httpProxy, httpsProxy, noProxy };
}

export function hasProxy(settings: ProxySettings): boolean {
  return settings.httpProxy !== undefined || settings.httpsProxy !== undefined;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The proxy a request to `url` goes through, or `undefined` when it goes directly: the rule of undici's
 * EnvHttpProxyAgent (NO_PROXY entries match the host or its subdomains, optionally on one port; `*`
 * matches all), repeated here only to name the proxy in errors.
 */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  const proxy = url.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (proxy === undefined) return undefined;
  return bypassed(url, settings.noProxy) ? undefined : proxy;
}

function bypassed(url: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const host = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0;
  return noProxy
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      const parsed = /^(.+):(\d+)$/.exec(entry);
      const entryHost = (parsed ? (parsed[1] as string) : entry).replace(/^\*?\./, '').toLowerCase();
      if (parsed && Number(parsed[2]) !== port) return false;
      return host === entryHost || host.endsWith(`.${entryHost}`);
    });
}

/** `http://user:pass@proxy:3128/` -> `http://proxy:3128`: how a proxy is named in messages. */
export function proxyOrigin(proxy: string): string {
  const url = new URL(proxy);
  return `${url.protocol}//${url.host}`;
}

/** Failures that happen on the way to the proxy (every connection of a proxied call goes to it). */
const PROXY_CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The error of a proxied call that failed at the proxy, naming the proxy's origin; `undefined` when the
 * failure is the target's (a TLS error through the tunnel, an answer). undici reports a proxy's refusal
 * of the tunnel as "Proxy response (<status>) !== 200 when HTTP Tunneling".
 */
export function proxyFailure(error: unknown, proxy: string, context: CallContext): NetworkError | undefined {
  const origin = proxyOrigin(proxy);
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const refused = typeof message === 'string' ? /^Proxy response \((\d+)\)/.exec(message) : null;
  if (refused) {
    const status = Number(refused[1]);
    const why =
      status === 407
        ? 'it needs other credentials: put them in the proxy URL (http://user:password@host:port)'
        : `check that the proxy allows ${context.target}, or add it to NO_PROXY`;
    return new NetworkError(
      `The proxy ${origin} refused the tunnel to ${context.target} for ${context.operation} (HTTP ${status}): ${why}.`,
      { target: context.target, httpStatus: status },
    );
  }
  if (typeof code === 'string' && PROXY_CONNECT_CODES.has(code)) {
    return new NetworkError(
      `Could not reach the proxy ${origin} (${code}) for ${context.operation} on ${context.target}. ` +
        'Check HTTPS_PROXY / HTTP_PROXY, or add the host to NO_PROXY to reach it directly.',
      { target: context.target },
    );
  }
  return undefined;
}
