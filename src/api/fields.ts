/**
 * Defensive readers for API bodies: numbers may come as numeric strings, booleans as "true", fields may
 * be missing (ots-api.md 1.4.3 and 2.1 "Value types"). Plus link building (v2 gives no share URL).
 */
import { BadResponseError } from '../errors.js';
import { isLoopbackHost } from '../targets.js';
import type { ReceiptState, Target } from '../types.js';

export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0') return false;
  return undefined;
}

/** The first of several field names that holds a value. */
export function pick<T>(
  read: (v: unknown) => T | undefined,
  body: Json | undefined,
  ...names: string[]
): T | undefined {
  for (const name of names) {
    const value = read(body?.[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Unix seconds (possibly fractional, possibly a string) to ISO 8601. */
export function isoFromUnix(seconds: number | undefined): string | undefined {
  return seconds === undefined || seconds <= 0 ? undefined : new Date(seconds * 1000).toISOString();
}

/** When a secret expires, from the server's creation time and TTL (the same rule for share and receipt). */
export function expiresFrom(created: number | undefined, ttl: number | undefined): string | undefined {
  return created === undefined || ttl === undefined ? undefined : isoFromUnix(created + ttl);
}

const STATES: Record<string, ReceiptState> = {
  new: 'new',
  shared: 'new',
  viewed: 'viewed',
  previewed: 'viewed',
  received: 'received',
  revealed: 'received',
  burned: 'burned',
  expired: 'expired',
  orphaned: 'orphaned',
};

/** v1 states and v0.24's internal names (ots-api.md 1.7) to one set. */
export function receiptState(value: unknown): ReceiptState {
  return STATES[String(value ?? '').toLowerCase()] ?? 'unknown';
}

export function missingField(target: Target, operation: string, field: string): BadResponseError {
  return new BadResponseError(
    `${target.name} answered ${operation} without ${field}: the server may not speak this API version. ` +
      'Try the other apiVersion, or check the domain.',
    { target: target.name },
  );
}

/** Where links point: the target, or the share domain the server reports for it (a valid host name). */
export function linkOrigins(
  target: Target,
  shareDomain: unknown,
): { preferred: string; allowed: Set<string> } {
  const allowed = new Set([target.origin]);
  const domain = str(shareDomain);
  let preferred = target.origin;
  if (domain !== undefined) {
    const origin = /^https?:\/\//.test(domain) ? safeOrigin(domain) : safeOrigin(`https://${domain}`);
    if (origin !== undefined) {
      allowed.add(origin);
      preferred = origin;
    }
  }
  return { preferred, allowed };
}

/**
 * The origin of a server-given link or share domain, when it is one we would accept as a target:
 * https, or http only for a loopback host (as design.md "Targets" allows), and no user info. A link
 * handed to a person must never send them over plain http to some host the server named.
 */
function safeOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.username || url.password) return undefined;
    if (url.protocol === 'https:') return url.origin;
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname.toLowerCase())) return url.origin;
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * A link for a key: the server's URL field when its origin is allowed and it ends with the key,
 * otherwise `origin + '/' + kind + '/' + key`.
 */
export function buildLink(
  origins: { preferred: string; allowed: Set<string> },
  kind: 'secret' | 'receipt',
  key: string,
  serverUrl: unknown,
): string {
  const given = str(serverUrl);
  if (given !== undefined) {
    const origin = safeOrigin(given);
    if (origin !== undefined && origins.allowed.has(origin) && given.endsWith(`/${key}`)) return given;
  }
  return `${origins.preferred}/${kind}/${encodeURIComponent(key)}`;
}
