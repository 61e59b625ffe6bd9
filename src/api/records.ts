/**
 * Readers for the record-shaped answers API v2 and v3 share (docs/ots-api.md 2.4-2.7; docs/ots-api.md
 * 9.4): `{record: {receipt, secret, share_domain}}` for create calls, receipt records elsewhere. Every
 * field is read defensively; a key the client needs with an unusable type is a BadResponseError that
 * names it.
 */
import type { Receipt, SecretResult, Target } from '../types.js';
import type { CreateInput } from './api.js';
import {
  asObject,
  assignDefined,
  bool,
  buildLink,
  expiresFrom,
  isoFromUnix,
  isoIn,
  type Json,
  linkOrigins,
  num,
  pick,
  receiptState,
  required,
  str,
  wrongType,
} from './fields.js';

/** The `record` object of an answer; a BadResponseError naming `record` when it is not an object. */
export function recordOf(target: Target, operation: string, body: unknown): Json {
  const record = asObject(body)?.record;
  const object = asObject(record);
  if (object) return object;
  if (record === undefined || record === null) return {};
  throw wrongType(target, operation, 'record', record, 'an object');
}

/** What share and generate return, from a `{record: {receipt, secret, share_domain}}` answer. */
export function secretResult(
  target: Target,
  body: Json | undefined,
  operation: string,
  input: CreateInput,
): SecretResult {
  const record = recordOf(target, operation, body);
  const receipt = asObject(record?.receipt) ?? asObject(record?.metadata);
  const secret = asObject(record?.secret);
  const secretKey =
    pick(str, secret, 'identifier', 'key') ??
    pick(str, receipt, 'secret_identifier', 'secret_key') ??
    required(target, operation, str, secret, ['identifier', 'key'], 'a key', 'record.secret.');
  const receiptKey = required(
    target,
    operation,
    str,
    receipt,
    ['identifier', 'key'],
    'a key',
    'record.receipt.',
  );
  const ttl =
    pick(num, secret, 'lifespan', 'secret_ttl') ??
    pick(num, receipt, 'lifespan', 'secret_ttl') ??
    input.ttl ??
    0;
  const created = num(secret?.created) ?? num(receipt?.created) ?? Date.now() / 1000;
  const origins = linkOrigins(target, record?.share_domain ?? receipt?.share_domain);
  return {
    secretKey,
    secretUrl: buildLink(origins, 'secret', secretKey, receipt?.share_url),
    receiptKey,
    receiptUrl: buildLink(origins, 'receipt', receiptKey, receipt?.receipt_url),
    ttl,
    expiresAt: isoFromUnix(created + ttl) ?? new Date().toISOString(),
    passphraseRequired:
      pick(bool, secret, 'has_passphrase') ??
      pick(bool, receipt, 'has_passphrase') ??
      input.passphrase !== undefined,
  };
}

/** A receipt from a v2-style receipt record (`GET /receipt/:id`, burn, recent items). */
export function receiptOf(target: Target, record: Json | undefined, operation: string): Receipt {
  const receiptKey = required(target, operation, str, record, ['identifier', 'key'], 'a key', 'record.');
  const origins = linkOrigins(target, record?.share_domain);
  const receipt: Receipt = {
    receiptKey,
    receiptUrl: buildLink(origins, 'receipt', receiptKey, record?.receipt_url),
    state: receiptState(record?.state),
  };
  const secretKey = pick(str, record, 'secret_identifier', 'secret_key');
  const alive = receipt.state === 'new' || receipt.state === 'viewed';
  if (secretKey !== undefined && alive) {
    receipt.secretKey = secretKey;
    receipt.secretUrl = buildLink(origins, 'secret', secretKey, record?.share_url);
  }
  // `expiration` is the receipt's own (twice the TTL); the secret's remaining life is `secret_ttl`.
  const remaining = num(record?.secret_ttl);
  const lifespan = pick(num, record, 'lifespan', 'ttl');
  assignDefined(receipt, {
    ttl: lifespan,
    createdAt: isoFromUnix(num(record?.created)),
    updatedAt: isoFromUnix(num(record?.updated)),
    receivedAt: isoFromUnix(pick(num, record, 'received', 'revealed')),
    passphraseRequired: pick(bool, record, 'has_passphrase'),
    // The share's rule (created + ttl, the server's own numbers), so both outputs give the same time.
    expiresAt:
      alive && remaining !== undefined && remaining > 0
        ? (expiresFrom(num(record?.created), lifespan) ?? isoIn(remaining))
        : undefined,
  });
  return receipt;
}
