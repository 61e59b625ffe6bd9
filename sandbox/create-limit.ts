/**
 * The anonymous creation limiter of PR #4318 (docs/ots-api.md 8.3 C2): at most `limit`
 * anonymous creations per masked client address (/24 for IPv4, /48 for IPv6) per hour, then a one-hour
 * lock. Accounts are never charged. Opt-in in the sandbox (`createLimit`), so tests that share many
 * secrets from one address are not locked out by default.
 */
import { isIPv4 } from 'node:net';

const WINDOW_MS = 3600_000;
const LOCK_MS = 3600_000;

interface Bucket {
  windowStart: number;
  count: number;
  lockedUntil: number;
}

/** `10.1.2.3` -> `10.1.2.0/24`; `2001:db8:1:2::5` -> `2001:db8:1::/48`; IPv4-mapped IPv6 as IPv4. */
export function maskedAddress(address: string): string {
  const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(plain)) return `${plain.split('.').slice(0, 3).join('.')}.0/24`;
  const [head = ''] = plain.split('::');
  const groups = head.split(':').filter((group) => group !== '');
  return `${groups.slice(0, 3).join(':')}::/48`;
}

export class CreateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: number,
    readonly now: () => number,
  ) {}

  /** Charges one creation; returns the seconds to wait when the address is locked, else undefined. */
  charge(address: string): number | undefined {
    const key = maskedAddress(address);
    const now = this.now();
    let bucket = this.#buckets.get(key);
    if (!bucket || (now - bucket.windowStart >= WINDOW_MS && now >= bucket.lockedUntil)) {
      bucket = { windowStart: now, count: 0, lockedUntil: 0 };
      this.#buckets.set(key, bucket);
    }
    if (now < bucket.lockedUntil) return Math.ceil((bucket.lockedUntil - now) / 1000);
    if (bucket.count >= this.limit) {
      bucket.lockedUntil = now + LOCK_MS;
      return LOCK_MS / 1000;
    }
    bucket.count += 1;
    return undefined;
  }
}

export const CREATE_LIMIT_MESSAGE = 'Too many secrets created. Please try again later.';

/** Charges an anonymous creation from this request's address; the seconds to wait when locked. */
export function chargeAnonymousCreate(
  limiter: CreateLimiter | undefined,
  anonymous: boolean,
  remoteAddress: string | undefined,
): number | undefined {
  if (!limiter || !anonymous) return undefined;
  return limiter.charge(remoteAddress ?? '127.0.0.1');
}
