/** What every route handler gets, and how it answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Accounts } from './auth.js';
import type { CreateLimiter } from './create-limit.js';
import type { ServerProfile } from './profiles.js';
import type { SecretStore } from './store.js';
import type { GuestRoutes } from './types.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path without the query string, not decoded. */
  path: string;
  rawQuery: string;
  /** The Host header as sent (port included when sent). */
  host: string;
  /** Host name, lower case, port removed: the region the request went to. */
  hostname: string;
  /** `http://<host>` (or https when X-Forwarded-Proto says so): links are built on it. */
  origin: string;
  /** The server line this sandbox imitates. */
  profile: ServerProfile;
  /** The word the status endpoints answer; `nominal` unless a fault says otherwise. */
  statusWord: string;
  /** Seconds since the epoch, from the injected clock. */
  nowSeconds(): number;
  nowMs(): number;
}

export interface Services {
  store: SecretStore;
  accounts: Accounts;
  v2Types: 'native' | 'string';
  anonymousOnBadCredentials: boolean;
  profile: ServerProfile;
  /** Set when the anonymous creation limiter is on. */
  createLimiter: CreateLimiter | undefined;
  guestRoutes: GuestRoutes;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // The `/api` cache policy (set by the server before routing) wins over the plain default.
  const cacheControl = res.getHeader('cache-control') ?? 'no-store';
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': cacheControl as string,
    ...headers,
  });
  res.end(text);
}

/** `eu.example.com:7143` -> `eu.example.com`; `[::1]:7143` -> `[::1]`. */
export function hostnameOf(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1) || lower;
  const colon = lower.lastIndexOf(':');
  return colon !== -1 && /^\d*$/.test(lower.slice(colon + 1)) ? lower.slice(0, colon) : lower;
}

/**
 * Path keys are percent-decoded as the router does, then stripped to `[a-zA-Z0-9_-]` (docs/ots-api.md 1.1,
 * "Input sanitising"). Bad percent-encoding is stripped as it stands rather than refused.
 */
export function sanitizeKey(raw: string): string {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw segment
  }
  return decoded.replace(/[^a-zA-Z0-9_-]/g, '');
}

/** The locales the status endpoints may echo; anything else falls back to `en`. */
const LOCALES = new Set(['en', 'fr', 'de', 'es', 'it', 'nl', 'pt', 'ja', 'da', 'sv', 'uk', 'bg', 'pl']);

export function resolveLocale(requested: string | undefined, acceptLanguage: string | undefined): string {
  if (requested && LOCALES.has(requested)) return requested;
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim().toLowerCase().split('-')[0];
  return first && LOCALES.has(first) ? first : 'en';
}

/** The `ValidateMultipart` middleware's answer, the same for every API version (docs/ots-api.md 8.3 C3). */
export function invalidMultipart(ctx: RequestContext, reason: string): void {
  ctx.req.resume();
  sendJson(ctx.res, 400, { message: `Invalid multipart request: ${reason}` });
}
