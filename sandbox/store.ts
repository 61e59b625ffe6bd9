/**
 * Secrets and receipts in memory, one region per host name: a secret made on one host is unknown on
 * another, as the hosted regions share nothing (docs/ots-api.md 4). Time comes from the injected clock, so
 * tests can move it. Every read-modify-write here is synchronous, so a reveal or a burn is atomic: of
 * many concurrent callers exactly one wins.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { KEY_LENGTH, randomKey } from './random.js';

const SWEEP_INTERVAL_MS = 60_000;
/** A generated value shows on the first receipt view within this window (docs/ots-api.md 1.7, 2.5). */
export const GENERATED_VALUE_DISPLAY_MS = 60_000;
/** `recent` lists the last 30 days (docs/ots-api.md 1.9). */
const RECENT_WINDOW_MS = 30 * 24 * 3600 * 1000;

export type SecretKind = 'conceal' | 'generate';
export type ReceiptState = 'new' | 'received' | 'burned' | 'expired';

interface PassphraseHash {
  salt: Buffer;
  hash: Buffer;
}

export interface SecretEntry {
  key: string;
  receiptKey: string;
  value: string;
  passphrase: PassphraseHash | null;
  createdAt: number;
  expiresAt: number;
}

export interface ReceiptEntry {
  key: string;
  secretKey: string;
  /** The account username that created it; null for anonymous. */
  owner: string | null;
  kind: SecretKind;
  /** Seconds, after clamping. */
  ttl: number;
  createdAt: number;
  updatedAt: number;
  secretExpiresAt: number;
  expiresAt: number;
  state: 'new' | 'received' | 'burned';
  receivedAt: number | null;
  burnedAt: number | null;
  hasPassphrase: boolean;
  recipients: string[];
  generatedValue: string | null;
}

export interface CreateInput {
  value: string;
  ttl: number;
  passphrase: string | null;
  owner: string | null;
  recipients: string[];
  kind: SecretKind;
}

export type RevealOutcome =
  | { kind: 'revealed'; secret: SecretEntry; receipt: ReceiptEntry | undefined }
  | { kind: 'unknown' }
  | { kind: 'wrong-passphrase' };

export type BurnOutcome =
  | { kind: 'burned'; receipt: ReceiptEntry }
  | { kind: 'unknown' }
  | { kind: 'gone'; receipt: ReceiptEntry }
  | { kind: 'wrong-passphrase' };

class Region {
  readonly secrets = new Map<string, SecretEntry>();
  readonly receipts = new Map<string, ReceiptEntry>();
}

function hashPassphrase(passphrase: string, salt: Buffer = randomBytes(16)): PassphraseHash {
  return { salt, hash: createHash('sha256').update(salt).update(passphrase, 'utf8').digest() };
}

function passphraseMatches(stored: PassphraseHash | null, given: string | undefined): boolean {
  if (stored === null) return true;
  if (!given) return false;
  return timingSafeEqual(hashPassphrase(given, stored.salt).hash, stored.hash);
}

export class SecretStore {
  readonly #regions = new Map<string, Region>();
  readonly #now: () => number;
  #lastSweep: number;

  readonly #keyLength: number;

  constructor(now: () => number, keyLength = KEY_LENGTH) {
    this.#now = now;
    this.#keyLength = keyLength;
    this.#lastSweep = now();
  }

  #region(hostname: string): Region {
    let region = this.#regions.get(hostname);
    if (!region) {
      region = new Region();
      this.#regions.set(hostname, region);
    }
    return region;
  }

  create(hostname: string, input: CreateInput): { secret: SecretEntry; receipt: ReceiptEntry } {
    this.#sweepSometimes();
    const now = this.#now();
    const secret: SecretEntry = {
      key: randomKey(this.#keyLength),
      receiptKey: randomKey(this.#keyLength),
      value: input.value,
      passphrase: input.passphrase === null ? null : hashPassphrase(input.passphrase),
      createdAt: now,
      expiresAt: now + input.ttl * 1000,
    };
    const receipt: ReceiptEntry = {
      key: secret.receiptKey,
      secretKey: secret.key,
      owner: input.owner,
      kind: input.kind,
      ttl: input.ttl,
      createdAt: now,
      updatedAt: now,
      secretExpiresAt: secret.expiresAt,
      // The receipt outlives the secret: 2 x ttl (docs/ots-api.md 1.4.1).
      expiresAt: now + input.ttl * 2000,
      state: 'new',
      receivedAt: null,
      burnedAt: null,
      hasPassphrase: secret.passphrase !== null,
      recipients: input.recipients,
      generatedValue: input.kind === 'generate' ? input.value : null,
    };
    const region = this.#region(hostname);
    region.secrets.set(secret.key, secret);
    region.receipts.set(receipt.key, receipt);
    return { secret, receipt };
  }

  /** A live secret, or undefined (unknown, consumed or expired). */
  secret(hostname: string, key: string): SecretEntry | undefined {
    const secrets = this.#regions.get(hostname)?.secrets;
    const secret = secrets?.get(key);
    if (secret && secret.expiresAt <= this.#now()) {
      secrets?.delete(key);
      return undefined;
    }
    return secret;
  }

  /** A live receipt, or undefined. */
  receipt(hostname: string, key: string): ReceiptEntry | undefined {
    const receipts = this.#regions.get(hostname)?.receipts;
    const receipt = receipts?.get(key);
    if (receipt && receipt.expiresAt <= this.#now()) {
      receipts?.delete(key);
      return undefined;
    }
    return receipt;
  }

  /** The receipt state as clients see it: an unread secret past its TTL is `expired`. */
  state(receipt: ReceiptEntry): ReceiptState {
    if (receipt.state === 'new' && receipt.secretExpiresAt <= this.#now()) return 'expired';
    return receipt.state;
  }

  /** Reveals and destroys in one synchronous step; a wrong passphrase consumes nothing. */
  reveal(hostname: string, key: string, passphrase: string | undefined): RevealOutcome {
    const secret = this.secret(hostname, key);
    if (!secret) return { kind: 'unknown' };
    if (!passphraseMatches(secret.passphrase, passphrase)) return { kind: 'wrong-passphrase' };
    const region = this.#region(hostname);
    region.secrets.delete(key);
    const receipt = region.receipts.get(secret.receiptKey);
    if (receipt) {
      const now = this.#now();
      receipt.state = 'received';
      receipt.receivedAt = now;
      receipt.updatedAt = now;
    }
    return { kind: 'revealed', secret, receipt };
  }

  /** Burns the secret behind a receipt, atomically. */
  burn(hostname: string, receiptKey: string, passphrase: string | undefined): BurnOutcome {
    const receipt = this.receipt(hostname, receiptKey);
    if (!receipt) return { kind: 'unknown' };
    const secret = this.secret(hostname, receipt.secretKey);
    if (!secret) return { kind: 'gone', receipt };
    if (!passphraseMatches(secret.passphrase, passphrase)) return { kind: 'wrong-passphrase' };
    this.#region(hostname).secrets.delete(secret.key);
    const now = this.#now();
    receipt.state = 'burned';
    receipt.burnedAt = now;
    receipt.updatedAt = now;
    return { kind: 'burned', receipt };
  }

  /** Whether `given` opens the secret, without consuming anything. */
  passphraseMatches(secret: SecretEntry, given: string | undefined): boolean {
    return passphraseMatches(secret.passphrase, given);
  }

  /** The generated value, once, on a view within the display window (docs/ots-api.md 1.7, 2.5). */
  claimGeneratedValue(receipt: ReceiptEntry): string | null {
    const value = receipt.generatedValue;
    receipt.generatedValue = null;
    if (value === null || this.#now() - receipt.createdAt > GENERATED_VALUE_DISPLAY_MS) return null;
    return value;
  }

  /** The owner's live receipts of the last 30 days on this host, newest first. */
  recent(hostname: string, owner: string): ReceiptEntry[] {
    const since = this.#now() - RECENT_WINDOW_MS;
    const receipts = [...(this.#regions.get(hostname)?.receipts.keys() ?? [])]
      .map((key) => this.receipt(hostname, key))
      .filter((receipt): receipt is ReceiptEntry => receipt?.owner === owner && receipt.createdAt >= since);
    return receipts.sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
  }

  #sweepSometimes(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const region of this.#regions.values()) {
      for (const [key, secret] of region.secrets) if (secret.expiresAt <= now) region.secrets.delete(key);
      for (const [key, receipt] of region.receipts) if (receipt.expiresAt <= now) region.receipts.delete(key);
    }
  }
}
