/**
 * The calls API v2 and v3 make alike (docs/ots-api.md 2.4-2.7, 9.4): the same wire format (ADR-013
 * errors, JSON bodies, record-shaped answers), only under other paths. Each version keeps its own
 * conceal (v2 sends recipients and checks ownership) and recent; the rest is built here once.
 */

import type { ApiVersion, BurnResult, Receipt, RevealResult, SecretResult } from '../types.js';
import { type Api, type ApiContext, type CreateInput, expectOk, goneError, type ShareInput } from './api.js';
import { v2Error } from './errors.js';
import { asObject, bool, confirmedBurn, statusOf, str, versionOf, withVersion, wrongType } from './fields.js';
import { generateValue } from './password.js';
import { receiptOf, recordOf } from './records.js';

/** Where a version's record-shaped calls live; `key` arrives already encoded for a path. */
export interface RecordRoutes {
  status: string;
  version: string;
  reveal: (key: string) => string;
  receipt: (key: string) => string;
  burn: (key: string) => string;
}

export type Conceal = (
  input: ShareInput,
  operation: 'share' | 'generate',
  signal?: AbortSignal,
) => Promise<SecretResult>;

export const keyPath = (key: string) => encodeURIComponent(key);

export function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** expectOk with the v2 error mapper, for one version. */
export function recordOk(api: ApiContext, version: ApiVersion) {
  return (
    operation: Parameters<typeof expectOk>[3],
    send: Parameters<typeof expectOk>[4],
    sensitive?: (string | undefined)[],
  ) => expectOk(api, version, v2Error, operation, send, sensitive);
}

/** Every call but recent, for a version speaking the record format at `routes`. */
export function recordCalls(
  api: ApiContext,
  version: ApiVersion,
  routes: RecordRoutes,
  conceal: Conceal,
): Omit<Api, 'recent'> {
  const ok = recordOk(api, version);
  // Reveal and burn send `continue: true` at the top level, without which nothing is consumed.
  const consume = (passphrase: string | undefined) => ({
    json: withoutUndefined({ passphrase, continue: true }),
  });

  return {
    async status(signal) {
      const body = await ok('status', (t) => t.read({ operation: 'status', path: routes.status, signal }));
      return statusOf(api.target, body, 'status');
    },

    async checkAuth(signal) {
      const body = await ok('checkAuth', (t) =>
        t.read({ operation: 'checkAuth', path: routes.version, signal }),
      );
      return withVersion(versionOf(body));
    },

    share: (input, signal) => conceal(input, 'share', signal),

    // The value is made here and concealed: the server's generate does not return it (see v2.ts).
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
            path: routes.reveal(keyPath(key)),
            signal,
            body: consume(passphrase),
          }),
        [key, passphrase],
      );
      const raw = recordOf(api.target, 'reveal', body).secret_value;
      // 200 without a value: a concurrent reveal won the race (docs/ots-api.md 2.6).
      if (raw === undefined || raw === null || raw === '') throw goneError(api, version, 'reveal');
      const value = str(raw);
      if (value === undefined) throw wrongType(api.target, 'reveal', 'record.secret_value', raw, 'text');
      return { value, secretKey: key };
    },

    async receipt(key, signal): Promise<Receipt> {
      const body = await ok(
        'receipt',
        (t) => t.read({ operation: 'receipt', path: routes.receipt(keyPath(key)), signal }),
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
              path: routes.burn(keyPath(key)),
              signal,
              body: consume(passphrase),
            }),
          [key, passphrase],
        ),
      );
      const record = asObject(body?.record);
      // `success: false` is a lost race; `{"success":true}` alone means the secret was already gone (2.7).
      if (bool(body?.success) === false || record === undefined) throw goneError(api, version, 'burn');
      return confirmedBurn(api.target, record.state, key);
    },
  };
}
