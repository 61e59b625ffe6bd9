/**
 * API v3 (docs/api-v3.md; docs/ots-api.md 9), for what a token client can use:
 * status and the anonymous guest routes. v3 is alpha on the server, and its authenticated secret routes
 * accept only a browser session (a Basic token gets 401 there), so the client refuses v3 with
 * credentials before any request (registry.ts `credentialsRefused`).
 *
 * The wire format is v2's (ADR-013 errors, `{"secret":{...}}` bodies, record-shaped answers with native
 * types), so the calls of record-calls.ts serve here too, at the v3 guest paths. Answers carry no share
 * URL: links are built from `share_domain` or the target, plus `/secret/<key>` (records.ts). A server with guest routes
 * switched off answers 403 GuestRoutesDisabled, mapped to an error saying the operator disabled them.
 *
 * generate makes the value here and conceals it, as v2 does (see v2.ts): the server's
 * `/guest/secret/generate` does not return the value either.
 */
import type { Receipt } from '../types.js';
import { type Api, type ApiContext, type ApiModule, caller, type ShareInput } from './api.js';
import { v2Error } from './errors.js';
import { asObject, missingField } from './fields.js';
import { type RecordRoutes, recordCalls, withoutUndefined } from './record-calls.js';
import { secretResult } from './records.js';

const ROUTES: RecordRoutes = {
  status: '/v3/status',
  version: '/v3/version',
  reveal: (key) => `/v3/guest/secret/${key}/reveal`,
  receipt: (key) => `/v3/guest/receipt/${key}`,
  burn: (key) => `/v3/guest/receipt/${key}/burn`,
};

export function createV3(api: ApiContext): Api {
  const call = caller(api, 'v3', v2Error);

  async function conceal(input: ShareInput, operation: 'share' | 'generate', signal?: AbortSignal) {
    const { secret, ttl, passphrase } = input;
    const payload = { secret: withoutUndefined({ secret, ttl, passphrase }) };
    const body = await call({
      operation,
      method: 'POST',
      path: '/v3/guest/secret/conceal',
      body: { json: payload },
      signal,
      sensitive: [secret, passphrase],
    });
    return secretResult(api.target, asObject(body), operation, input);
  }

  return {
    ...recordCalls(api, 'v3', ROUTES, conceal),

    async recent(): Promise<Receipt[]> {
      // Unreachable through the client (recent needs an account, and v3 refuses credentials).
      throw missingField(api.target, 'recent', 'a guest route for recent receipts');
    },
  };
}

export const V3: ApiModule = {
  version: 'v3',
  create: createV3,
  statusPath: ROUTES.status,
  credentialsRefused:
    "the server's API v3 accepts only a signed-in browser session on its secret routes (an API token gets " +
    '401 there; v3 is alpha). Use apiVersion v2 with username and token, or leave them out to use v3 ' +
    'anonymously (status and the guest routes).',
};
