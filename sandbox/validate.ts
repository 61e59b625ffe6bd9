/**
 * The rules that shape a new secret, shared by v1 and v2. Each version renders a Problem its own way
 * (v1: 404 `{"message"}` + `X-OTS-Intended-Status: 400`; v2: 401, 403 or 422 JSON).
 */
import type { Caller } from './auth.js';
import { type Params, stringParam } from './body.js';
import { type CharacterSets, DEFAULT_CHARACTER_SETS } from './random.js';

const DAY = 24 * 3600;
export const MIN_TTL = 60;
export const DEFAULT_TTL = 7 * DAY;
export const ANONYMOUS_MAX_TTL = 7 * DAY;
export const FREE_PLAN_MAX_TTL = 14 * DAY;
export const ACCOUNT_MAX_TTL = 30 * DAY;
export const MAX_SECRET_BYTES = 10_000;
export const PASSPHRASE_MIN = 4;
export const PASSPHRASE_MAX = 128;
export const GENERATE_DEFAULT_LENGTH = 12;
export const GENERATE_MAX_LENGTH = 128;
const MAX_RECIPIENTS = 10;

export type ProblemKind = 'form' | 'unauthorized' | 'entitlement';

export class Problem extends Error {
  constructor(
    message: string,
    readonly kind: ProblemKind = 'form',
    readonly field?: string,
    readonly errorType?: string,
  ) {
    super(message);
  }
}

/** Ruby's `to_i`: leading integer digits or 0 (`"90abc"` -> 90, `"abc"` -> 0, 3600.7 -> 3600). */
export function rubyToI(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.trunc(raw) : 0;
  if (typeof raw !== 'string') return 0;
  const match = /^\s*([+-]?\d+)/.exec(raw);
  return match ? Number.parseInt(match[1] as string, 10) : 0;
}

function accountPlan(caller: Caller): 'anonymous' | 'free' | 'identity' {
  if (caller.kind !== 'account') return 'anonymous';
  return caller.account.plan ?? 'identity';
}

/**
 * TTL in seconds (docs/ots-api.md 1.4.1, 2.4): missing -> 7 days; otherwise `to_i`, clamped to
 * [60, ceiling]. v2 refuses a free-plan account above 14 days with 403 instead of clamping.
 */
export function resolveTtl(raw: unknown, caller: Caller, version: 'v1' | 'v2'): number {
  const plan = accountPlan(caller);
  const ceiling =
    plan === 'anonymous' ? ANONYMOUS_MAX_TTL : plan === 'free' ? FREE_PLAN_MAX_TTL : ACCOUNT_MAX_TTL;
  const requested = raw === undefined || raw === null || raw === '' ? DEFAULT_TTL : rubyToI(raw);
  if (version === 'v2' && plan === 'free' && requested > FREE_PLAN_MAX_TTL) {
    throw new Problem(
      'Your plan does not include expiration times longer than 14 days.',
      'entitlement',
      undefined,
      'EntitlementRequired',
    );
  }
  return Math.min(Math.max(requested, MIN_TTL), ceiling);
}

/** The secret value: required, at most 10,000 UTF-8 bytes. `sizeMessage` differs by version. */
export function resolveSecretValue(raw: unknown, sizeMessage: string): string {
  if (raw !== undefined && raw !== null && typeof raw === 'object') {
    throw new Problem('Incorrect payload format');
  }
  const value = raw === undefined || raw === null ? '' : String(raw);
  if (value === '') throw new Problem('You did not provide anything to share', 'form', 'secret', 'missing');
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) throw new Problem(sizeMessage, 'form', 'secret');
  return value;
}

/** Empty or missing means no passphrase; otherwise 4 to 128 characters (docs/ots-api.md 1.4.2). */
export function resolvePassphrase(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'object') throw new Problem('Incorrect payload format');
  const passphrase = String(raw);
  const length = [...passphrase].length;
  if (length < PASSPHRASE_MIN) {
    throw new Problem(`Passphrase must be at least ${PASSPHRASE_MIN} characters long`, 'form', 'passphrase');
  }
  if (length > PASSPHRASE_MAX) {
    throw new Problem(
      `Passphrase must be no more than ${PASSPHRASE_MAX} characters long`,
      'form',
      'passphrase',
    );
  }
  return passphrase;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Recipients: a string or a list; anonymous callers may not send email (docs/ots-api.md 1.4, 5). */
export function resolveRecipients(raw: unknown, caller: Caller): string[] {
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw])
    .map((item) => (typeof item === 'string' ? item.trim() : ''))
    .filter((item) => item !== '');
  if (list.length === 0) return [];
  if (caller.kind !== 'account') {
    throw new Problem('An account is required to send emails.', 'unauthorized', undefined, 'Unauthorized');
  }
  for (const address of list) {
    if (!EMAIL.test(address)) {
      throw new Problem(`Undeliverable email address: ${address}`, 'form', 'recipient', 'invalid_email');
    }
  }
  return list.slice(0, MAX_RECIPIENTS);
}

/**
 * The sandbox knows no custom domains: an empty, malformed or same-host `share_domain` is ignored
 * (as the real server ignores them), any other domain is unknown (docs/ots-api.md 4).
 */
export function checkShareDomain(raw: unknown, hostname: string): void {
  if (typeof raw !== 'string') return;
  const domain = raw.trim().toLowerCase();
  if (domain === '' || !/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain) || domain === hostname) return;
  throw new Problem(`Unknown domain: ${raw.trim()}`, 'form', 'share_domain');
}

/** Generated length: default 12, at most 128 (docs/ots-api.md 1.5, 2.5). */
export function resolveLength(raw: unknown): number {
  const length = raw === undefined || raw === null || raw === '' ? GENERATE_DEFAULT_LENGTH : rubyToI(raw);
  if (length > GENERATE_MAX_LENGTH) {
    throw new Problem(
      `Generated password length must be no more than ${GENERATE_MAX_LENGTH} characters`,
      'form',
      'length',
    );
  }
  return length < 1 ? GENERATE_DEFAULT_LENGTH : length;
}

function flag(raw: unknown, fallback: boolean): boolean {
  if (raw === undefined || raw === null || raw === '') return fallback;
  return !(raw === false || raw === 'false' || raw === '0' || raw === 0);
}

/** `character_sets[uppercase|lowercase|numbers|symbols|exclude_ambiguous]`, each optional. */
export function resolveCharacterSets(raw: unknown): CharacterSets {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return DEFAULT_CHARACTER_SETS;
  const sets = raw as Params;
  return {
    uppercase: flag(sets.uppercase, DEFAULT_CHARACTER_SETS.uppercase),
    lowercase: flag(sets.lowercase, DEFAULT_CHARACTER_SETS.lowercase),
    numbers: flag(sets.numbers, DEFAULT_CHARACTER_SETS.numbers),
    symbols: flag(sets.symbols, DEFAULT_CHARACTER_SETS.symbols),
    excludeAmbiguous: flag(sets.exclude_ambiguous, DEFAULT_CHARACTER_SETS.excludeAmbiguous),
  };
}

/** `continue` is compared as `to_s == "true"` (docs/ots-api.md 2.6). */
export function isContinue(params: Params): boolean {
  return stringParam(params, 'continue') === 'true';
}

/** Obscures an address the way receipts show recipients: `al*****@e*****.com`. */
export function obscureEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  const dot = domain.lastIndexOf('.');
  const name = dot === -1 ? domain : domain.slice(0, dot);
  const tld = dot === -1 ? '' : domain.slice(dot);
  return `${local.slice(0, 2)}*****@${name.slice(0, 1)}*****${tld}`;
}
