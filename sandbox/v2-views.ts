/**
 * v2 records (`safe_dump`, docs/ots-api.md 2.4, 2.7): native numbers and booleans as HEAD emits them, or all
 * strings as pre-v0.24 builds did (the `v2Types` option).
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from './http.js';
import type { ReceiptEntry, SecretEntry, SecretStore } from './store.js';
import { obscureEmail } from './validate.js';

type Json = Record<string, unknown>;

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/**
 * A stable stand-in for the owner: the customer objid (a UUIDv7) on v0.26, an external id (`ur...`)
 * before; never the username itself (docs/ots-api.md 11 S7).
 */
function ownerId(owner: string | null, modern: boolean): string | null {
  if (owner === null) return null;
  const hex = createHash('sha256').update(owner).digest('hex');
  if (!modern) return `ur${hex.slice(0, 22)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** v3 records always carry native types; v2 follows the `v2Types` setting. */
export function typesOf(call: { version: 'v2' | 'v3'; services: { v2Types: 'native' | 'string' } }) {
  return call.version === 'v3' ? 'native' : call.services.v2Types;
}

/** v3's receipt in a create answer: no `custid`, `recipients` null or a list (docs/ots-api.md 9.4). */
export function v3ReceiptDump(dump: Json): Json {
  const { custid: _custid, recipients, ...rest } = dump;
  return { ...rest, recipients: recipients === '' ? null : String(recipients).split(', ') };
}

export function v2SecretDump(
  ctx: RequestContext,
  secret: SecretEntry,
  state: 'new' | 'received' = 'new',
): Json {
  const received = state === 'received';
  return {
    identifier: secret.key,
    key: secret.key,
    shortid: secret.key.slice(0, 8),
    state,
    lifespan: Math.round((secret.expiresAt - secret.createdAt) / 1000),
    secret_ttl: received ? null : secondsLeft(secret.expiresAt, ctx.nowMs()),
    has_passphrase: secret.passphrase !== null,
    verification: false,
    created: seconds(secret.createdAt),
    updated: seconds(secret.createdAt),
    is_previewed: false,
    is_revealed: received,
    is_viewed: false,
    is_received: received,
  };
}

export function v2ReceiptDump(ctx: RequestContext, store: SecretStore, receipt: ReceiptEntry): Json {
  const now = ctx.nowMs();
  const state = store.state(receipt);
  const secretLive = store.secret(ctx.hostname, receipt.secretKey) !== undefined;
  const receiptTtl = secondsLeft(receipt.expiresAt, now);
  return {
    identifier: receipt.key,
    key: receipt.key,
    // Post-migration receipts carry `custid: null` (v0.26); older lines the username.
    custid: ctx.profile.modernOwnerFields ? null : receipt.owner,
    owner_id: ownerId(receipt.owner, ctx.profile.modernOwnerFields),
    state,
    secret_shortid: receipt.secretKey.slice(0, 8),
    secret_identifier: receipt.secretKey,
    secret_ttl: secretLive ? secondsLeft(receipt.secretExpiresAt, now) : null,
    metadata_ttl: receiptTtl,
    receipt_ttl: receiptTtl,
    lifespan: receipt.ttl,
    share_domain: null,
    created: seconds(receipt.createdAt),
    updated: seconds(receipt.updatedAt),
    shared: null,
    recipients: receipt.recipients.map(obscureEmail).join(', '),
    recipient_name: null,
    memo: null,
    shortid: receipt.key.slice(0, 8),
    show_recipients: receipt.recipients.length > 0,
    previewed: null,
    revealed: seconds(receipt.receivedAt),
    is_previewed: false,
    viewed: null,
    received: seconds(receipt.receivedAt),
    burned: seconds(receipt.burnedAt),
    is_viewed: false,
    is_received: state === 'received',
    is_revealed: state === 'received',
    is_burned: state === 'burned',
    is_expired: state === 'expired',
    is_orphaned: false,
    is_destroyed: state !== 'new',
    has_passphrase: receipt.hasPassphrase,
    kind: receipt.kind,
    source: null,
  };
}

function naturalDuration(totalSeconds: number): string {
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const count = Math.floor(totalSeconds / size);
    if (count >= 1) return `${count} ${name}${count === 1 ? '' : 's'}`;
  }
  return `${totalSeconds} seconds`;
}

/** The receipt with the paths and links `GET /receipt/:id` and burn add (docs/ots-api.md 2.7). */
export function v2ReceiptRecord(ctx: RequestContext, store: SecretStore, receipt: ReceiptEntry): Json {
  const dump = v2ReceiptDump(ctx, store, receipt);
  const secretLive = store.secret(ctx.hostname, receipt.secretKey) !== undefined;
  // The secret's key stays on the receipt only while it can be shown and has no passphrase.
  const showable = secretLive && !receipt.hasPassphrase;
  const sharePath = showable ? `/secret/${receipt.secretKey}` : null;
  const receiptPath = `/receipt/${receipt.key}`;
  const expiresIn = secondsLeft(receipt.expiresAt, ctx.nowMs());
  return {
    ...dump,
    secret_identifier: showable ? receipt.secretKey : null,
    secret_state: secretLive ? 'new' : store.state(receipt),
    natural_expiration: naturalDuration(receipt.ttl * 2),
    expiration: Math.floor(receipt.expiresAt / 1000),
    expiration_in_seconds: expiresIn,
    share_path: sharePath,
    burn_path: `${receiptPath}/burn`,
    receipt_path: receiptPath,
    metadata_path: receiptPath,
    share_url: sharePath === null ? null : `${ctx.origin}${sharePath}`,
    receipt_url: `${ctx.origin}${receiptPath}`,
    metadata_url: `${ctx.origin}${receiptPath}`,
    burn_url: `${ctx.origin}${receiptPath}/burn`,
  };
}

/** `v2Types: 'string'` turns every number and boolean inside into a string; null stays null. */
export function applyV2Types(value: unknown, mode: 'native' | 'string'): unknown {
  if (mode === 'native') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => applyV2Types(item, mode));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, applyV2Types(item, mode)]));
  }
  return value;
}
