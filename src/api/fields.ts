/**
 * Defensive readers for API bodies: numbers may come as numeric strings, booleans as "true", fields may
 * be missing (docs/ots-api.md 1.4.3 and 2.1 "Value types"). Plus link building (v2 gives no share URL).
 */
import { AuthError, BadResponseError } from '../errors.js';
import { isLoopbackHost } from '../targets/targets.js';
import type { BurnResult, ReceiptState, ServiceStatus, Target } from '../types.js';

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

/** Milliseconds since the epoch to ISO 8601; undefined for a time no Date can hold (a bogus field). */
function isoFromMs(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Unix seconds (possibly fractional, possibly a string) to ISO 8601. */
export function isoFromUnix(seconds: number | undefined): string | undefined {
  return seconds === undefined || seconds <= 0 ? undefined : isoFromMs(seconds * 1000);
}

/** Seconds from now to ISO 8601 (undefined when out of range). */
export function isoIn(seconds: number): string | undefined {
  return isoFromMs(Date.now() + seconds * 1000);
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

/** v1 states and v0.24's internal names (docs/ots-api.md 1.7) to one set. */
export function receiptState(value: unknown): ReceiptState {
  return STATES[String(value ?? '').toLowerCase()] ?? 'unknown';
}

/**
 * A burn succeeds only when the answer says the receipt is burned (docs/ots-api.md 1.8, 2.7): any other
 * 2xx answer is a BadResponseError, so no caller reports a burn it cannot confirm. Both versions use it.
 */
export function confirmedBurn(target: Target, state: unknown, receiptKey: string): BurnResult {
  if (receiptState(state) === 'burned') return { state: 'burned', receiptKey };
  throw new BadResponseError(
    `${target.name} answered burn without saying the secret is burned, so the burn is not confirmed. ` +
      'Check the receipt to see its state before trying again.',
    { target: target.name },
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A field the client needs came with a type it cannot use: name the field, never crash on it. */
export function wrongType(
  target: Target,
  operation: string,
  field: string,
  value: unknown,
  expected: string,
) {
  return new BadResponseError(
    `${target.name} answered ${operation} with ${field} as ${typeName(value)}, not ${expected}: the server ` +
      'may not speak this API version, or sent a broken answer. Try the other apiVersion, or check the domain.',
    { target: target.name },
  );
}

/**
 * Older servers create the secret anonymously when Basic credentials fail (docs/ots-api.md, "Credentials
 * silently ignored"): the answer then shows `custid` "anon" (v1, and v2 before the migration) or an
 * `owner_id` of null (v2). Credentials were sent, so that is an AuthError; the secret exists, so the
 * error carries its receipt key (not in the message) for burning it. A missing field proves nothing.
 */
export function checkOwned(
  target: Target,
  operation: string,
  fields: Json | undefined,
  receiptKey: string,
): void {
  const anonymous =
    fields?.custid === 'anon' ||
    (fields !== undefined && 'owner_id' in fields && (fields.owner_id ?? '') === '');
  if (!anonymous) return;
  throw new AuthError(
    `${target.name} did not accept the credentials for ${operation} but created the secret anonymously ` +
      "(older servers do). It exists: burn it with its receipt key (the error's receiptKey; the CLI prints it " +
      'on stdout, the action sets the receipt-key output), then check username and token.',
    // httpStatus: the server did answer (2xx); without it the CLI would take this for a usage error.
    { target: target.name, httpStatus: 200, receiptKey },
  );
}

/**
 * The first of `names` in `body` that `read` accepts. None: a BadResponseError naming the first one that
 * was there with a type `read` refused, or naming all of them as missing. `at` prefixes the field
 * names in the message (`record.secret.`).
 */
export function required<T>(
  target: Target,
  operation: string,
  read: (v: unknown) => T | undefined,
  body: Json | undefined,
  names: string[],
  expected: string,
  at = '',
): T {
  const found = pick(read, body, ...names);
  if (found !== undefined) return found;
  const odd = names.find(
    (name) => body?.[name] !== undefined && body?.[name] !== null && body?.[name] !== '',
  );
  if (odd !== undefined) throw wrongType(target, operation, `${at}${odd}`, body?.[odd], expected);
  throw missingField(target, operation, names.map((name) => `${at}${name}`).join(' or '));
}

/** A list the client needs, or a BadResponseError naming the field. */
export function requiredList(target: Target, operation: string, value: unknown, field: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) throw missingField(target, operation, field);
  throw wrongType(target, operation, field, value, 'a list');
}

/** Copies only the fields that have a value (the receipt shape has optional fields, not undefined ones). */
export function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) (target as Record<string, unknown>)[name] = value;
  }
  return target;
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
 * https, or http only for a loopback host (as docs/interfaces.md "Targets" allows), and no user info. A link
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

/** A status answer: `status` a word (required), `locale` when given. Shared by every API version. */
export function statusOf(target: Target, body: unknown, operation: string): ServiceStatus {
  const object = asObject(body);
  const status = required(target, operation, str, object, ['status'], 'a status word');
  const locale = str(object?.locale);
  return locale === undefined ? { status } : { status, locale };
}

/**
 * `OT::VERSION.to_a` (`[0, 26, 11]`, numbers or strings) or a version string, as `"0.26.11"`; undefined
 * for anything else. Only digits, letters, dots and dashes pass, so the value is safe to show and record.
 */
export function versionOf(body: unknown): string | undefined {
  const raw = asObject(body)?.version;
  const text = Array.isArray(raw) ? raw.map((part) => str(part) ?? '?').join('.') : str(raw);
  return text !== undefined && /^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$/.test(text) ? text : undefined;
}

export function withVersion(serverVersion: string | undefined): { serverVersion?: string } {
  return serverVersion === undefined ? {} : { serverVersion };
}
