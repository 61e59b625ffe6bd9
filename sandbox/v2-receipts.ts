/** v2 receipt routes: show, burn, recent (docs/ots-api.md 2.5, 2.7). */
import { stringParam } from './body.js';
import type { ReceiptEntry } from './store.js';
import { v2RecordNotFound, v2Send } from './v2-answers.js';
import type { V2Call } from './v2-secrets.js';
import { applyV2Types, typesOf, v2ReceiptDump, v2ReceiptRecord } from './v2-views.js';
import { isContinue } from './validate.js';

function isCreator(call: V2Call, receipt: ReceiptEntry): boolean {
  if (receipt.owner === null) return true;
  return call.caller.kind === 'account' && call.caller.account.username === receipt.owner;
}

function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/** `GET /receipt/:id`; a generated value shows here once, to its creator, within 60 s. */
export function showReceipt(call: V2Call): void {
  const { ctx, services, key } = call;
  const store = services.store;
  const receipt = store.receipt(ctx.hostname, key);
  if (!receipt) {
    v2RecordNotFound(ctx, `identifier: ${key}`);
    return;
  }
  const secret = store.secret(ctx.hostname, receipt.secretKey);
  const value = isCreator(call, receipt) ? store.claimGeneratedValue(receipt) : null;
  const details = {
    type: 'record',
    display_lines: 4,
    no_cache: true,
    secret_realttl: secret ? secondsLeft(secret.expiresAt, ctx.nowMs()) : null,
    view_count: 0,
    first_access: null,
    last_access: null,
    has_passphrase: receipt.hasPassphrase,
    can_decrypt: secret !== undefined,
    secret_value: value,
    show_secret: value !== null,
    show_secret_link: secret !== undefined && !receipt.hasPassphrase,
    show_receipt_link: true,
    show_receipt: true,
    show_recipients: receipt.recipients.length > 0,
  };
  v2Send(ctx, 200, {
    record: applyV2Types(v2ReceiptRecord(ctx, store, receipt), typesOf(call)),
    details: applyV2Types(details, typesOf(call)),
  });
}

/**
 * `POST /receipt/:id/burn`: `continue` must be true or "true", else nothing burns and `success` is
 * false. A receipt whose secret is already gone answers `{"success":true}` (docs/ots-api.md 2.7).
 */
export function burnReceipt(call: V2Call): void {
  const { ctx, services, params, key } = call;
  const store = services.store;
  const receipt = store.receipt(ctx.hostname, key);
  if (!receipt) {
    v2RecordNotFound(ctx);
    return;
  }
  const record = () => applyV2Types(v2ReceiptRecord(ctx, store, receipt), typesOf(call));
  if (!isContinue(params)) {
    // The server's usual `success_data` details, `success: false` (docs/ots-api.md 11 S11).
    v2Send(ctx, 200, {
      success: false,
      record: record(),
      details: { type: 'record', title: 'Secret burned' },
    });
    return;
  }
  const outcome = store.burn(ctx.hostname, key, stringParam(params, 'passphrase'));
  if (outcome.kind === 'wrong-passphrase') {
    // Burn says `web.COMMON.error_passphrase`, not reveal's "Incorrect passphrase" (docs/ots-api.md 8.3).
    v2Send(ctx, 422, { error: 'Double check that passphrase' });
  } else if (outcome.kind === 'unknown') {
    v2RecordNotFound(ctx);
  } else if (outcome.kind === 'gone') {
    v2Send(ctx, 200, { success: true });
  } else {
    v2Send(ctx, 200, {
      success: true,
      record: record(),
      details: { type: 'record', title: 'Secret burned' },
    });
  }
}

/** `GET /receipt/recent`: Basic only (the router has checked), the last 30 days, newest first. */
export function recentReceipts(call: V2Call): void {
  const { ctx, services, caller } = call;
  if (caller.kind !== 'account') return;
  const username = caller.account.username;
  const records = services.store
    .recent(ctx.hostname, username)
    .map((receipt) => v2ReceiptDump(ctx, services.store, receipt));
  const nowSeconds = ctx.nowSeconds();
  const typed = (list: Record<string, unknown>[]) => applyV2Types(list, typesOf(call));
  v2Send(ctx, 200, {
    success: true,
    custid: username,
    count: records.length,
    records: typed(records),
    details: {
      type: 'list',
      scope: null,
      scope_label: 'Personal',
      since: nowSeconds - 30 * 24 * 3600,
      now: nowSeconds,
      has_items: records.length > 0,
      revealed_receipts: typed(records.filter((record) => record.is_received)),
      pending_receipts: typed(records.filter((record) => record.state === 'new')),
    },
  });
}
