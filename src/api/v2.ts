/**
 * API v2 (ots-api.md section 2). JSON bodies; conceal nests its fields under `secret` (2.1); reveal and
 * burn send `continue: true` at the top level, without which nothing is consumed (2.6, 2.7).
 *
 * generate: v2's `/secret/generate` does not return the value (2.5); it can be read once from the
 * receipt within 60 s. That second request can fail after the secret exists (leaving a live secret
 * whose value nobody has), can lose to anyone else holding the receipt key, and depends on a server
 * setting. So v2 generate makes the value here (node:crypto, see ../password.ts) and conceals it: one
 * request, and the caller always gets the value of the secret that was created.
 */
import { generateValue } from '../password.js';
import type { BurnResult, Receipt, RevealResult, SecretResult } from '../types.js';
import { type Api, type ApiContext, type CreateInput, expectOk, goneError, type ShareInput } from './api.js';
import { v2Error } from './errors.js';
import {
  asObject,
  bool,
  buildLink,
  expiresFrom,
  isoFromUnix,
  type Json,
  linkOrigins,
  missingField,
  num,
  pick,
  receiptState,
  str,
} from './fields.js';
import { assignDefined, statusOf } from './v1.js';

const keyPath = (key: string) => encodeURIComponent(key);

function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export function createV2(api: ApiContext): Api {
  const ok = (
    operation: Parameters<typeof expectOk>[3],
    send: Parameters<typeof expectOk>[4],
    sensitive?: (string | undefined)[],
  ) => expectOk(api, 'v2', v2Error, operation, send, sensitive);

  async function conceal(input: ShareInput, operation: 'share' | 'generate', signal?: AbortSignal) {
    const { secret, ttl, passphrase, recipients } = input;
    const payload = {
      secret: withoutUndefined({
        secret,
        ttl,
        passphrase,
        recipient: recipients.length > 0 ? recipients : undefined,
      }),
    };
    const body = await ok(
      operation,
      (t) => t.write({ operation, path: '/v2/secret/conceal', signal, body: { json: payload } }),
      [secret, passphrase],
    );
    return secretResult(api, asObject(body), operation, input);
  }

  return {
    async status(signal) {
      const body = await ok('status', (t) => t.read({ operation: 'status', path: '/v2/status', signal }));
      return statusOf(api, body, 'status');
    },

    async checkAuth(signal) {
      await ok('checkAuth', (t) => t.read({ operation: 'checkAuth', path: '/v2/version', signal }));
    },

    share: (input, signal) => conceal(input, 'share', signal),

    async generate(input: CreateInput, signal): Promise<SecretResult> {
      const value = generateValue();
      const result = await conceal({ ...input, secret: value }, 'generate', signal);
      return { ...result, value };
    },

    async reveal(key, passphrase, signal): Promise<RevealResult> {
      const body = await ok(
        'reveal',
        (t) =>
          t.write({
            operation: 'reveal',
            path: `/v2/secret/${keyPath(key)}/reveal`,
            signal,
            body: { json: withoutUndefined({ passphrase, continue: true }) },
          }),
        [key, passphrase],
      );
      const value = str(asObject(asObject(body)?.record)?.secret_value);
      // 200 without a value: a concurrent reveal won the race (ots-api.md 2.6).
      if (value === undefined) throw goneError(api, 'v2', 'reveal');
      return { value, secretKey: key };
    },

    async receipt(key, signal): Promise<Receipt> {
      const body = await ok(
        'receipt',
        (t) => t.read({ operation: 'receipt', path: `/v2/receipt/${keyPath(key)}`, signal }),
        [key],
      );
      return receiptOf(api, asObject(asObject(body)?.record), 'receipt');
    },

    async burn(key, passphrase, signal): Promise<BurnResult> {
      const body = asObject(
        await ok(
          'burn',
          (t) =>
            t.write({
              operation: 'burn',
              path: `/v2/receipt/${keyPath(key)}/burn`,
              signal,
              body: { json: withoutUndefined({ passphrase, continue: true }) },
            }),
          [key, passphrase],
        ),
      );
      const record = asObject(body?.record);
      // `success: false` is a lost race; `{"success":true}` alone means the secret was already gone (2.7).
      if (bool(body?.success) === false || record === undefined) throw goneError(api, 'v2', 'burn');
      const state = receiptState(record.state);
      return { state: state === 'unknown' ? 'burned' : state, receiptKey: key };
    },

    async recent(signal): Promise<Receipt[]> {
      const body = await ok('recent', (t) =>
        t.read({ operation: 'recent', path: '/v2/receipt/recent', signal }),
      );
      const records = asObject(body)?.records;
      if (!Array.isArray(records)) throw missingField(api.target, 'recent', 'a list of receipts');
      return records.map((item) => receiptOf(api, asObject(item), 'recent'));
    },
  };
}

function secretResult(
  api: ApiContext,
  body: Json | undefined,
  operation: string,
  input: CreateInput,
): SecretResult {
  const record = asObject(body?.record);
  const receipt = asObject(record?.receipt) ?? asObject(record?.metadata);
  const secret = asObject(record?.secret);
  const secretKey =
    pick(str, secret, 'identifier', 'key') ?? pick(str, receipt, 'secret_identifier', 'secret_key');
  const receiptKey = pick(str, receipt, 'identifier', 'key');
  if (secretKey === undefined || receiptKey === undefined)
    throw missingField(api.target, operation, 'the keys');
  const ttl =
    pick(num, secret, 'lifespan', 'secret_ttl') ??
    pick(num, receipt, 'lifespan', 'secret_ttl') ??
    input.ttl ??
    0;
  const created = num(secret?.created) ?? num(receipt?.created) ?? Date.now() / 1000;
  const origins = linkOrigins(api.target, record?.share_domain ?? receipt?.share_domain);
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

function receiptOf(api: ApiContext, record: Json | undefined, operation: string): Receipt {
  const receiptKey = pick(str, record, 'identifier', 'key');
  if (receiptKey === undefined) throw missingField(api.target, operation, 'the receipt key');
  const origins = linkOrigins(api.target, record?.share_domain);
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
        ? (expiresFrom(num(record?.created), lifespan) ??
          new Date(Date.now() + remaining * 1000).toISOString())
        : undefined,
  });
  return receipt;
}
