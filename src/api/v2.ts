/**
 * API v2 (docs/ots-api.md section 2). JSON bodies; conceal nests its fields under `secret` (2.1); reveal and
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
import {
  type Api,
  type ApiContext,
  type ApiModule,
  type CreateInput,
  expectOk,
  goneError,
  type ShareInput,
} from './api.js';
import { v2Error } from './errors.js';
import {
  asObject,
  bool,
  checkOwned,
  confirmedBurn,
  requiredList,
  statusOf,
  str,
  versionOf,
  withVersion,
  wrongType,
} from './fields.js';
import { receiptOf, recordOf, secretResult } from './records.js';

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
    const result = secretResult(api.target, asObject(body), operation, input);
    if (api.authenticated) {
      const record = asObject(asObject(body)?.record);
      const receipt = asObject(record?.receipt) ?? asObject(record?.metadata);
      checkOwned(api.target, operation, receipt, result.receiptKey);
    }
    return result;
  }

  return {
    async status(signal) {
      const body = await ok('status', (t) => t.read({ operation: 'status', path: '/v2/status', signal }));
      return statusOf(api.target, body, 'status');
    },

    async checkAuth(signal) {
      const body = await ok('checkAuth', (t) =>
        t.read({ operation: 'checkAuth', path: '/v2/version', signal }),
      );
      return withVersion(versionOf(body));
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
      const raw = recordOf(api.target, 'reveal', body).secret_value;
      // 200 without a value: a concurrent reveal won the race (docs/ots-api.md 2.6).
      if (raw === undefined || raw === null || raw === '') throw goneError(api, 'v2', 'reveal');
      const value = str(raw);
      if (value === undefined) throw wrongType(api.target, 'reveal', 'record.secret_value', raw, 'text');
      return { value, secretKey: key };
    },

    async receipt(key, signal): Promise<Receipt> {
      const body = await ok(
        'receipt',
        (t) => t.read({ operation: 'receipt', path: `/v2/receipt/${keyPath(key)}`, signal }),
        [key],
      );
      return receiptOf(api.target, recordOf(api.target, 'receipt', body), 'receipt');
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
      return confirmedBurn(api.target, record.state, key);
    },

    async recent(signal): Promise<Receipt[]> {
      const body = await ok('recent', (t) =>
        t.read({ operation: 'recent', path: '/v2/receipt/recent', signal }),
      );
      const records = requiredList(api.target, 'recent', asObject(body)?.records, 'records');
      return records.map((item) => receiptOf(api.target, asObject(item), 'recent'));
    },
  };
}

export const V2: ApiModule = { version: 'v2', create: createV2, statusPath: '/v2/status' };
