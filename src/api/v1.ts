/**
 * API v1 (docs/ots-api.md section 1). Form bodies (`recipient[]` for lists, 1.1). For the widest server
 * compatibility (docs/ots-api.md 1.2) receipts use `/private/:key`, `/private/:key/burn` and
 * `/private/recent`, which v0.23 and current servers both route; `/receipt/*` exists only since v0.24.
 * Links are still built as `/receipt/<key>`, the current web path, unless the server gives its own.
 */
import type { BurnResult, Receipt, RevealResult, SecretResult } from '../types.js';
import {
  type Api,
  type ApiContext,
  type ApiModule,
  type CreateInput,
  caller,
  keyPath,
  readStatus,
  type ShareInput,
} from './api.js';
import { v1Error } from './errors.js';
import {
  asObject,
  assignDefined,
  bool,
  buildLink,
  checkOwned,
  confirmedBurn,
  expiresFrom,
  isoFromUnix,
  isoIn,
  type Json,
  linkOrigins,
  num,
  pick,
  receiptState,
  required,
  requiredList,
  str,
  versionOf,
  withVersion,
} from './fields.js';

function form(
  fields: Record<string, string | number | undefined>,
  recipients: string[] = [],
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined) params.append(name, String(value));
  for (const recipient of recipients) params.append('recipient[]', recipient);
  return params;
}

const STATUS_PATH = '/v1/status';

export function createV1(api: ApiContext): Api {
  const call = caller(api, 'v1', v1Error);

  return {
    status: (signal) => readStatus(call, api, STATUS_PATH, signal),

    async checkAuth(signal) {
      await call({ operation: 'checkAuth', method: 'GET', path: '/v1/authcheck', signal });
      // v1 cannot tell the version; v2's `/version` can, with the same credentials. Best effort: a
      // server without it (or any failure) leaves the version out and the check as it was.
      const body = await api.transport
        .call({ operation: 'checkAuth', method: 'GET', path: '/v2/version', signal })
        .then((response) => (response.status === 200 ? response.body : undefined))
        .catch(() => undefined);
      return withVersion(versionOf(body));
    },

    async share(input: ShareInput, signal) {
      const { secret, ttl, passphrase, recipients } = input;
      const body = await call({
        operation: 'share',
        method: 'POST',
        path: '/v1/share',
        body: { form: form({ secret, ttl, passphrase }, recipients) },
        signal,
        sensitive: [secret, passphrase],
      });
      return secretResult(api, body, 'share', input);
    },

    async generate(input: CreateInput, signal) {
      const { ttl, passphrase, recipients } = input;
      const body = await call({
        operation: 'generate',
        method: 'POST',
        path: '/v1/generate',
        body: { form: form({ ttl, passphrase }, recipients) },
        signal,
        sensitive: [passphrase],
      });
      const result = secretResult(api, body, 'generate', input);
      const value = required(api.target, 'generate', str, asObject(body), ['value', 'secret_value'], 'text');
      return { ...result, value };
    },

    async reveal(key, passphrase, signal): Promise<RevealResult> {
      const body = await call({
        operation: 'reveal',
        method: 'POST',
        path: `/v1/secret/${keyPath(key)}`,
        body: { form: form({ passphrase }) },
        signal,
        sensitive: [key, passphrase],
      });
      const value = required(api.target, 'reveal', str, asObject(body), ['value', 'secret_value'], 'text');
      return { value, secretKey: key };
    },

    async receipt(key, signal): Promise<Receipt> {
      const path = `/v1/private/${keyPath(key)}`;
      const body = await call({ operation: 'receipt', method: 'GET', path, signal, sensitive: [key] });
      return receiptOf(api, asObject(body), 'receipt');
    },

    async burn(key, passphrase, signal): Promise<BurnResult> {
      const body = await call({
        operation: 'burn',
        method: 'POST',
        path: `/v1/private/${keyPath(key)}/burn`,
        body: { form: form({ passphrase, continue: 'true' }) },
        signal,
        sensitive: [key, passphrase],
      });
      // The receipt is nested under `state`, and `state.state` is "burned" (docs/ots-api.md 1.8).
      return confirmedBurn(api.target, asObject(asObject(body)?.state)?.state, key);
    },

    async recent(signal): Promise<Receipt[]> {
      const body = await call({ operation: 'recent', method: 'GET', path: '/v1/private/recent', signal });
      const list = requiredList(api.target, 'recent', body, 'the list of receipts');
      return list.map((item) => receiptOf(api, asObject(item), 'recent'));
    },
  };
}

function secretResult(api: ApiContext, raw: unknown, operation: string, input: CreateInput): SecretResult {
  const body = asObject(raw);
  const secretKey = required(api.target, operation, str, body, ['secret_key', 'secret_identifier'], 'a key');
  const receiptKey = required(api.target, operation, str, body, ['metadata_key', 'identifier'], 'a key');
  if (api.authenticated) checkOwned(api.target, operation, body, receiptKey);
  const ttl = pick(num, body, 'ttl', 'secret_ttl') ?? input.ttl ?? 0;
  const created = num(body?.created) ?? Date.now() / 1000;
  const origins = linkOrigins(api.target, body?.share_domain);
  return {
    secretKey,
    secretUrl: buildLink(origins, 'secret', secretKey, body?.share_url),
    receiptKey,
    receiptUrl: buildLink(origins, 'receipt', receiptKey, body?.receipt_url ?? body?.metadata_url),
    ttl,
    expiresAt: isoFromUnix(created + ttl) ?? new Date().toISOString(),
    passphraseRequired:
      pick(bool, body, 'passphrase_required', 'has_passphrase') ?? input.passphrase !== undefined,
  };
}

function receiptOf(api: ApiContext, body: Json | undefined, operation: string): Receipt {
  const receiptKey = required(
    api.target,
    operation,
    str,
    body,
    ['metadata_key', 'identifier', 'key'],
    'a key',
  );
  const origins = linkOrigins(api.target, body?.share_domain);
  const receipt: Receipt = {
    receiptKey,
    receiptUrl: buildLink(origins, 'receipt', receiptKey, body?.receipt_url ?? body?.metadata_url),
    state: receiptState(body?.state),
  };
  const secretKey = pick(str, body, 'secret_key', 'secret_identifier');
  if (secretKey !== undefined) {
    receipt.secretKey = secretKey;
    receipt.secretUrl = buildLink(origins, 'secret', secretKey, body?.share_url);
  }
  assignDefined(receipt, {
    ttl: num(body?.ttl),
    createdAt: isoFromUnix(num(body?.created)),
    updatedAt: isoFromUnix(num(body?.updated)),
    receivedAt: isoFromUnix(num(body?.received)),
    passphraseRequired: pick(bool, body, 'passphrase_required', 'has_passphrase'),
  });
  const remaining = num(body?.secret_ttl);
  if (secretKey !== undefined && remaining !== undefined && remaining > 0) {
    // The share's rule (created + ttl, the server's own numbers), so both outputs give the same time;
    // `now + remaining` only when the server sent no creation time.
    assignDefined(receipt, { expiresAt: expiresFrom(num(body?.created), receipt.ttl) ?? isoIn(remaining) });
  }
  return receipt;
}

export const V1: ApiModule = { version: 'v1', create: createV1, statusPath: STATUS_PATH };
