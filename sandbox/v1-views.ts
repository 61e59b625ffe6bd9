/** The flat v1 receipt object (`receipt_hsh`, docs/ots-api.md 1.4.3, 1.7, 1.9): integers, v0.24 aliases. */
import type { RequestContext } from './http.js';
import type { ReceiptEntry, SecretStore } from './store.js';
import { obscureEmail } from './validate.js';

export interface ReceiptViewOptions {
  /** `recent` items: no `secret_key`, `secret_ttl` null, no `passphrase_required` (docs/ots-api.md 1.9). */
  forList?: boolean;
  /** The generated value, on the one receipt view that may show it. */
  value?: string | null;
}

function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

export function v1ReceiptView(
  ctx: RequestContext,
  store: SecretStore,
  receipt: ReceiptEntry,
  options: ReceiptViewOptions = {},
): Record<string, unknown> {
  const now = ctx.nowMs();
  const state = store.state(receipt);
  const secretLive = store.secret(ctx.hostname, receipt.secretKey) !== undefined;
  const received = state === 'received';
  const receiptUrl = `${ctx.origin}/receipt/${receipt.key}`;
  const receiptTtl = secondsLeft(receipt.expiresAt, now);
  const recipients = receipt.recipients.map(obscureEmail);
  const view: Record<string, unknown> = {
    custid: receipt.owner ?? 'anon',
    metadata_key: receipt.key,
  };
  if (!received && !options.forList) view.secret_key = receipt.secretKey;
  view.ttl = receipt.ttl;
  view.metadata_ttl = receiptTtl;
  if (options.forList) view.secret_ttl = null;
  else if (secretLive) view.secret_ttl = secondsLeft(receipt.secretExpiresAt, now);
  view.metadata_url = receiptUrl;
  view.state = state;
  view.updated = Math.floor(receipt.updatedAt / 1000);
  view.created = Math.floor(receipt.createdAt / 1000);
  if (received && receipt.receivedAt !== null) view.received = Math.floor(receipt.receivedAt / 1000);
  view.recipient = recipients;
  view.share_domain = '';
  // passphrase_required appears only while the secret still exists (docs/ots-api.md 1.7).
  if (secretLive && !options.forList) view.passphrase_required = receipt.hasPassphrase;
  if (options.value) {
    view.value = options.value;
    view.secret_value = options.value;
  }
  view.identifier = receipt.key;
  if (!received) view.secret_identifier = receipt.secretKey;
  view.has_passphrase = receipt.hasPassphrase;
  view.recipients = recipients;
  view.receipt_ttl = receiptTtl;
  view.receipt_url = receiptUrl;
  return view;
}
