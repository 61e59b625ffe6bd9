/**
 * The scheme rule for plain `http://` (docs/interfaces.md "Targets"): always for loopback (the sandbox), and with
 * the explicit opt-in (`allowHttp`, `--allow-http`, `allow-http`, `OTS_ALLOW_HTTP=true`) for hosts
 * whose name or address says they are private: a self-hosted OTS in a service container (`http://ots:3000`),
 * a compose network or a private address. Public DNS names and public addresses stay refused even with
 * the opt-in: a token sent in clear over the internet cannot be taken back, and such a host can have a
 * certificate (a private CA works: docs/self-hosting.md). Kept apart from the host-syntax rule in
 * src/targets/targets.ts, which decides whether a host is well formed at all.
 */
import { parseBoolean } from '../config/parsers.js';
import type { Logger, Target } from '../types.js';

/** Suffixes reserved or conventional for private networks (RFC 6761, 6762 appendix G, 8375; ICANN `.internal`). */
const PRIVATE_SUFFIXES = [
  'internal',
  'local',
  'lan',
  'home.arpa',
  'home',
  'test',
  'localhost',
  'intranet',
  'corp',
  'private',
];

const SINGLE_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** One DNS label and no dot (`ots`, `onetime-secret`): a service container or compose host name. */
export function isSingleLabelHost(hostname: string): boolean {
  return SINGLE_LABEL.test(hostname) && !/^\d+$/.test(hostname);
}

function isPrivateIpv4(hostname: string): boolean {
  const parts = hostname.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return false;
  const [a = 0, b = 0] = parts.map(Number);
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) || // shared address space (carrier-grade NAT, tailnets)
    (a === 169 && b === 254) // link-local
  );
}

function isPrivateIpv6(hostname: string): boolean {
  if (!hostname.startsWith('[')) return false;
  const first = Number.parseInt(hostname.slice(1).split(':')[0] ?? '', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // fc00::/7 unique local, fe80::/10
}

/** Whether `hostname` (lower case, as the URL parser gives it) may be reached over http with the opt-in. */
export function isPrivateHost(hostname: string): boolean {
  return (
    isSingleLabelHost(hostname) ||
    PRIVATE_SUFFIXES.some((suffix) => hostname.endsWith(`.${suffix}`)) ||
    isPrivateIpv4(hostname) ||
    isPrivateIpv6(hostname)
  );
}

const OPT_IN =
  'allow-http (action), --allow-http (CLI), OTS_ALLOW_HTTP=true (functions) or allowHttp (library)';

/**
 * What is wrong with plain http to `hostname` (the caller checked it is not loopback), or `undefined`
 * when it is allowed. src/targets/targets.ts puts it into its domain error, with the forms that are accepted.
 */
export function plainHttpProblem(hostname: string, allowHttp: boolean | undefined): string | undefined {
  if (allowHttp !== true) {
    return (
      `uses http:// for ${hostname}, which is not a loopback host: use https://, or, for a self-hosted ` +
      `OTS on a private network, opt in with ${OPT_IN}`
    );
  }
  if (isPrivateHost(hostname)) return undefined;
  return (
    `uses http:// for ${hostname}, a public name or address: plain http is refused there even with ` +
    'allow-http (the token would cross the internet in clear text); use https:// (a private CA works with ' +
    'NODE_EXTRA_CA_CERTS). With allow-http, http:// is for single-label names (ots), private suffixes ' +
    '(.internal, .local, .lan, .home.arpa, .test, .corp) and private addresses (10.x, 172.16-31.x, ' +
    '192.168.x, 100.64-127.x, fc00::/7)'
  );
}

/** The warning every run with the opt-in gives, once per target reached over plain http. */
export function warnPlainHttp(targets: readonly Target[], logger: Logger): void {
  for (const target of targets) {
    if (!target.origin.startsWith('http:') || target.kind !== 'domain' || isLoopbackOrigin(target.origin))
      continue;
    logger.warn(
      `allow-http: ${target.name} is reached over plain http://, so the token and every secret travel in ` +
        'clear text on that network. Use https:// where you can.',
    );
  }
}

function isLoopbackOrigin(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The opt-in as an adapter reads it (`allow-http`, `OTS_ALLOW_HTTP`): the core's one boolean rule. */
export function parseAllowHttp(raw: string | undefined, inputName: string): boolean {
  return parseBoolean(raw, inputName);
}
