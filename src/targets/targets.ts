/**
 * Targets: where a call goes (docs/interfaces.md "Targets"). A region, the default host, or a custom domain.
 * Error messages name the input and what is allowed, and never echo a raw URL: it could carry
 * user info or a key.
 */
import { ValidationError } from '../errors.js';
import { defaultLogger } from '../logger.js';
import type { Logger, Region, Target } from '../types.js';
import { hostProblem } from './host-as-written.js';
import { isSingleLabelHost, plainHttpProblem } from './plain-http.js';

/** The hosted regions, in alphabetical order: the one list (the Region type and every message derive from it). */
export const REGIONS = Object.freeze(['ca', 'eu', 'nz', 'uk', 'us'] as const);

/** The hosted service's domain: the default host, and the parent of each region's host. */
export const SERVICE_HOST = 'onetimesecret.com';
/** The default host (docs/ots-api.md section 4: it "may be deprecated"; prefer a region). */
export const DEFAULT_ORIGIN = `https://${SERVICE_HOST}`;

/** The regions for messages: `ca, eu, nz, uk, us`. */
export const REGION_LIST = REGIONS.join(', ');

function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

function makeTarget(kind: Target['kind'], name: string, origin: string): Target {
  return Object.freeze({ kind, name, origin, apiBase: `${origin}/api` });
}

/** The target of one region: `https://<region>.onetimesecret.com/api`. */
export function regionTarget(region: Region): Target {
  return makeTarget('region', region, `https://${region}.${SERVICE_HOST}`);
}

/** The default host `https://onetimesecret.com/api`. */
export function defaultTarget(): Target {
  return makeTarget('default', SERVICE_HOST, DEFAULT_ORIGIN);
}

/** `' EU '` -> `'eu'`; anything else is a ValidationError that lists the five regions. */
export function parseRegion(input: string, inputName = 'region'): Region {
  const value = input.trim().toLowerCase();
  if (isRegion(value)) return value;
  const shown = /^[a-z0-9 _-]{1,20}$/i.test(input.trim()) ? `"${input.trim()}" ` : '';
  throw new ValidationError(`${inputName} ${shown}is not a region: use one of ${REGION_LIST}.`, {
    input: inputName,
  });
}

/** Hosts that may be reached over plain `http://` (so a local sandbox can stand in for the service). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  const parts = hostname.split('.');
  return (
    parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)
  );
}

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function isValidHostname(hostname: string): boolean {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return true; // the URL parser checked IPv6
  if (IPV4.test(hostname)) return hostname.split('.').every((p) => Number(p) < 256);
  if (hostname === 'localhost') return true;
  const labels = hostname.split('.');
  // One label alone is almost always a mistyped region ("europe"), so a domain needs a dot.
  return hostname.length <= 253 && labels.length >= 2 && labels.every((l) => DNS_LABEL.test(l));
}

function domainError(inputName: string, problem: string): ValidationError {
  return new ValidationError(
    `${inputName} ${problem}. Give a host name such as secrets.example.com or https://secrets.example.com ` +
      '(http:// for localhost, 127.x.x.x or [::1], or a private host with allow-http; a port is fine; no user, path, query or fragment).',
    { input: inputName },
  );
}

/** Parses a raw domain input into a URL, or throws naming what is wrong (never echoing the input). */
function parseDomainUrl(raw: string, inputName: string): URL {
  if (raw === '') throw domainError(inputName, 'is empty');
  if (/\s/.test(raw)) throw domainError(inputName, 'contains spaces');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    throw domainError(inputName, `uses the scheme ${scheme}:// (only https://, or http://)`);
  }
  if (raw.includes('?') || raw.includes('#')) throw domainError(inputName, 'has a query or fragment');
  const problem = hostProblem(raw);
  if (problem !== undefined) throw domainError(inputName, problem);
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${raw}` : raw);
  } catch {
    throw domainError(inputName, 'is not a valid host name');
  }
  if (url.username !== '' || url.password !== '') {
    throw domainError(
      inputName,
      'contains user info (user:password@); put credentials in username and token',
    );
  }
  return url;
}

export interface DomainOptions {
  /** Allow plain `http://` to a private host, not only loopback (src/targets/plain-http.ts). */
  allowHttp?: boolean;
}

/**
 * A custom domain (`secrets.example.com`, `https://secrets.example.com/api`, `http://127.0.0.1:7143`).
 * A region host given as a domain is that region; `onetimesecret.com` is the default host.
 */
export function parseDomain(input: string, inputName = 'domain', options: DomainOptions = {}): Target {
  const url = parseDomainUrl(input.trim(), inputName);
  if (!['/', '/api', '/api/'].includes(url.pathname)) {
    throw domainError(inputName, 'has a path (only a trailing / or /api is accepted)');
  }
  const hostname = url.hostname.toLowerCase();
  const plainHttp = url.protocol === 'http:' && !isLoopbackHost(hostname);
  // `http://ots:3000` (a service container) has no dot; the scheme rule below decides on it.
  const httpLabel = plainHttp && isSingleLabelHost(hostname);
  if (!isValidHostname(hostname) && !httpLabel) throw domainError(inputName, 'is not a valid host name');
  const httpProblem = plainHttp ? plainHttpProblem(hostname, options.allowHttp) : undefined;
  if (httpProblem !== undefined) throw domainError(inputName, httpProblem);
  return serviceTarget(url) ?? makeTarget('domain', url.host, url.origin);
}

/**
 * The hosted service's own target for a URL on it (`https://eu.onetimesecret.com` is the region eu,
 * `https://onetimesecret.com` the default host), or `undefined` for any other host, port or scheme.
 */
export function serviceTarget(url: URL): Target | undefined {
  if (url.protocol !== 'https:' || url.port !== '') return undefined;
  const hostname = url.hostname.toLowerCase();
  if (hostname === SERVICE_HOST) return defaultTarget();
  const region = hostname.endsWith(`.${SERVICE_HOST}`) ? hostname.slice(0, -SERVICE_HOST.length - 1) : '';
  return isRegion(region) ? regionTarget(region) : undefined;
}

export interface ResolveTargetOptions extends DomainOptions {
  region?: string;
  domain?: string;
  logger?: Logger;
}

/**
 * One target from a region and/or a domain. A domain wins over a region (with a notice); neither gives
 * the default host, with a warning naming the regions.
 */
export function resolveTarget(options: ResolveTargetOptions = {}): Target {
  const logger = options.logger ?? defaultLogger;
  const region = options.region?.trim() ?? '';
  const domain = options.domain?.trim() ?? '';
  if (domain !== '') {
    const target = parseDomain(domain, 'domain', options);
    if (region !== '')
      notice(logger, `Both region and domain were given: using domain ${target.name}, region ignored.`);
    return target;
  }
  if (region !== '') return regionTarget(parseRegion(region));
  logger.warn(
    `No region or domain given: using the default host ${SERVICE_HOST}, which may be deprecated. ` +
      `Set a region (${REGION_LIST}) or a domain.`,
  );
  return defaultTarget();
}

function notice(logger: Logger, message: string): void {
  if (logger.info) logger.info(message);
  else logger.warn(message);
}

export interface ParseTargetsOptions extends DomainOptions {
  /** One more target (a custom domain), added after the list; its errors name `domain`, or `inputName` when the list is empty. */
  domain?: string;
  /** The input name used in error messages. Default `targets`. */
  inputName?: string;
}

/**
 * A list of targets for status checks: comma, space or newline separated regions and domains, `all`
 * for the five regions. Duplicates (same origin) are kept once, in first-seen order.
 */
export function parseTargets(list: string | readonly string[], options: ParseTargetsOptions = {}): Target[] {
  const inputName = options.inputName ?? 'targets';
  const text = typeof list === 'string' ? list : list.join(',');
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  const targets: Target[] = [];
  for (const token of tokens) targets.push(...targetsOfToken(token, inputName, options));
  if (options.domain !== undefined && options.domain.trim() !== '') {
    const domainName = tokens.length === 0 ? (options.inputName ?? 'domain') : 'domain';
    targets.push(parseDomain(options.domain, domainName, options));
  }
  if (targets.length === 0) {
    throw new ValidationError(`${inputName} is empty: give regions (${REGION_LIST}), all, or domains.`, {
      input: inputName,
    });
  }
  return uniqueTargets(targets);
}

/** Each target once (by origin), in first-seen order. */
export function uniqueTargets(targets: readonly Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.origin) && seen.add(t.origin));
}

function targetsOfToken(token: string, inputName: string, options: DomainOptions): Target[] {
  const lower = token.toLowerCase();
  if (lower === 'all') return REGIONS.map(regionTarget);
  if (isRegion(lower)) return [regionTarget(lower)];
  if (/^[a-z0-9_-]+$/i.test(token) && lower !== 'localhost')
    return [parseRegion(token, inputName)].map(regionTarget);
  return [parseDomain(token, inputName, options)];
}
