/**
 * API v3 (docs/api-v3.md; docs/ots-api.md 9), for what a token client can use:
 * status and the anonymous guest routes. v3 is alpha on the server, and its authenticated secret routes
 * accept only a browser session (a Basic token gets 401 there), so the client refuses v3 with
 * credentials before any request (registry.ts `credentialsRefused`).
 *
 * The wire format is v2's (ADR-013 errors, `{"secret":{...}}` bodies, record-shaped answers with native
 * types), so the v2 readers and error mapper serve here too. Answers carry no share URL: links are built
 * from `share_domain` or the target, plus `/secret/<key>` (records.ts). A server with guest routes
 * switched off answers 403 GuestRoutesDisabled, mapped to an error saying the operator disabled them.
 *
 * generate makes the value here and conceals it, as v2 does (see v2.ts): the server's
 * `/guest/secret/generate` does not return the value either.
 */
import { generateValue } from '../password.js';
import type { BurnResult, Receipt, RevealResult } from '../types.js';
import { type Api, type ApiContext, type ApiModule, expectOk, goneError, type ShareInput } from './api.js';
import { v2Error } from './errors.js';
import {
  asObject,
  bool,
  confirmedBurn,
  missingField,
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

export function createV3(api: ApiContext): Api {
  const ok = (
    operation: Parameters<typeof expectOk>[3],
    send: Parameters<typeof expectOk>[4],
    sensitive?: (string | undefined)[],
  ) => expectOk(api, 'v3', v2Error, operation, send, sensitive);

  async function conceal(input: ShareInput, operation: 'share' | 'generate', signal?: AbortSignal) {
    const { secret, ttl, passphrase } = input;
    const payload = { secret: withoutUndefined({ secret, ttl, passphrase }) };
    const body = await ok(
      operation,
      (t) => t.write({ operation, path: '/v3/guest/secret/conceal', signal, body: { json: payload } }),
      [secret, passphrase],
    );
    return secretResult(api.target, asObject(body), operation, input);
  }

  return {
    async status(signal) {
      const body = await ok('status', (t) => t.read({ operation: 'status', path: '/v3/status', signal }));
      return statusOf(api.target, body, 'status');
    },

    async checkAuth(signal) {
      const body = await ok('checkAuth', (t) =>
        t.read({ operation: 'checkAuth', path: '/v3/version', signal }),
      );
      return withVersion(versionOf(body));
    },

    share: (input, signal) => conceal(input, 'share', signal),

    async generate(input, signal) {
      const value = generateValue();
      return { ...(await conceal({ ...input, secret: value }, 'generate', signal)), value };
    },

    async reveal(key, passphrase, signal): Promise<RevealResult> {
      const body = await ok(
        'reveal',
        (t) =>
          t.write({
            operation: 'reveal',
            path: `/v3/guest/secret/${keyPath(key)}/reveal`,
            signal,
            body: { json: withoutUndefined({ passphrase, continue: true }) },
          }),
        [key, passphrase],
      );
      const raw = recordOf(api.target, 'reveal', body).secret_value;
      if (raw === undefined || raw === null || raw === '') throw goneError(api, 'v3', 'reveal');
      const value = str(raw);
      if (value === undefined) throw wrongType(api.target, 'reveal', 'record.secret_value', raw, 'text');
      return { value, secretKey: key };
    },

    async receipt(key, signal): Promise<Receipt> {
      const body = await ok(
        'receipt',
        (t) => t.read({ operation: 'receipt', path: `/v3/guest/receipt/${keyPath(key)}`, signal }),
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
              path: `/v3/guest/receipt/${keyPath(key)}/burn`,
              signal,
              body: { json: withoutUndefined({ passphrase, continue: true }) },
            }),
          [key, passphrase],
        ),
      );
      const record = asObject(body?.record);
      if (bool(body?.success) === false || record === undefined) throw goneError(api, 'v3', 'burn');
      return confirmedBurn(api.target, record.state, key);
    },

    async recent(): Promise<Receipt[]> {
      // Unreachable through the client (recent needs an account, and v3 refuses credentials).
      throw missingField(api.target, 'recent', 'a guest route for recent receipts');
    },
  };
}

export const V3: ApiModule = {
  version: 'v3',
  create: createV3,
  statusPath: '/v3/status',
  credentialsRefused:
    "the server's API v3 accepts only a signed-in browser session on its secret routes (an API token gets " +
    '401 there; v3 is alpha). Use apiVersion v2 with username and token, or leave them out to use v3 ' +
    'anonymously (status and the guest routes).',
};
