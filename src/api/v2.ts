/**
 * API v2 (docs/ots-api.md section 2). JSON bodies; conceal nests its fields under `secret` (2.1); reveal and
 * burn send `continue: true` at the top level, without which nothing is consumed (2.6, 2.7).
 *
 * generate: v2's `/secret/generate` does not return the value (2.5); it can be read once from the
 * receipt within 60 s. That second request can fail after the secret exists (leaving a live secret
 * whose value nobody has), can lose to anyone else holding the receipt key, and depends on a server
 * setting. So v2 generate makes the value here (node:crypto, see ../password.ts) and conceals it: one
 * request, and the caller always gets the value of the secret that was created.
 *
 * Only conceal and recent are v2's own here; the other calls are record-calls.ts, shared with v3.
 */
import type { Receipt } from '../types.js';
import { type Api, type ApiContext, type ApiModule, caller, type ShareInput } from './api.js';
import { v2Error } from './errors.js';
import { asObject, checkOwned, requiredList } from './fields.js';
import { type RecordRoutes, recordCalls, withoutUndefined } from './record-calls.js';
import { receiptOf, secretResult } from './records.js';

const ROUTES: RecordRoutes = {
  status: '/v2/status',
  version: '/v2/version',
  reveal: (key) => `/v2/secret/${key}/reveal`,
  receipt: (key) => `/v2/receipt/${key}`,
  burn: (key) => `/v2/receipt/${key}/burn`,
};

export function createV2(api: ApiContext): Api {
  const call = caller(api, 'v2', v2Error);

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
    const body = await call({
      operation,
      method: 'POST',
      path: '/v2/secret/conceal',
      body: { json: payload },
      signal,
      sensitive: [secret, passphrase],
    });
    const result = secretResult(api.target, asObject(body), operation, input);
    if (api.authenticated) {
      const record = asObject(asObject(body)?.record);
      const receipt = asObject(record?.receipt) ?? asObject(record?.metadata);
      checkOwned(api.target, operation, receipt, result.receiptKey);
    }
    return result;
  }

  return {
    ...recordCalls(api, 'v2', ROUTES, conceal),

    async recent(signal): Promise<Receipt[]> {
      const body = await call({ operation: 'recent', method: 'GET', path: '/v2/receipt/recent', signal });
      const records = requiredList(api.target, 'recent', asObject(body)?.records, 'records');
      return records.map((item) => receiptOf(api.target, asObject(item), 'recent'));
    },
  };
}

export const V2: ApiModule = { version: 'v2', create: createV2, statusPath: ROUTES.status };
