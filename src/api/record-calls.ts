/**
 * The calls API v2 and v3 make alike (docs/ots-api.md 2.4-2.7, 9.4): the same wire format (ADR-013
 * errors, JSON bodies, record-shaped answers), only under other paths. Each version keeps its own
 * conceal (v2 sends recipients and checks ownership) and recent; the rest is built here once.
 */

import type { ApiVersion, BurnResult, Receipt, RevealResult, SecretResult } from '../types.js';
import {
  type Api,
  type ApiContext,
  type CreateInput,
  caller,
  goneError,
  keyPath,
  readStatus,
  type ShareInput,
} from './api.js';
import { v2Error } from './errors.js';
import { asObject, bool, confirmedBurn, str, versionOf, withVersion, wrongType } from './fields.js';
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

export function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** Every call but recent, for a version speaking the record format at `routes`. */
export function recordCalls(
  api: ApiContext,
  version: ApiVersion,
  routes: RecordRoutes,
  conceal: Conceal,
): Omit<Api, 'recent'> {
  const call = caller(api, version, v2Error);
  // Reveal and burn send `continue: true` at the top level, without which nothing is consumed.
  const consume = (
    operation: 'reveal' | 'burn',
    key: string,
    passphrase: string | undefined,
    signal: AbortSignal | undefined,
  ) =>
    call({
      operation,
      method: 'POST',
      path: routes[operation](keyPath(key)),
      body: { json: withoutUndefined({ passphrase, continue: true }) },
      signal,
      sensitive: [key, passphrase],
    });

  return {
    status: (signal) => readStatus(call, api, routes.status, signal),

    async checkAuth(signal) {
      const body = await call({ operation: 'checkAuth', method: 'GET', path: routes.version, signal });
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
      const body = await consume('reveal', key, passphrase, signal);
      const raw = recordOf(api.target, 'reveal', body).secret_value;
      // 200 without a value: a concurrent reveal won the race (docs/ots-api.md 2.6).
      if (raw === undefined || raw === null || raw === '') throw goneError(api, version, 'reveal');
      const value = str(raw);
      if (value === undefined) throw wrongType(api.target, 'reveal', 'record.secret_value', raw, 'text');
      return { value, secretKey: key };
    },

    async receipt(key, signal): Promise<Receipt> {
      const path = routes.receipt(keyPath(key));
      const body = await call({ operation: 'receipt', method: 'GET', path, signal, sensitive: [key] });
      return receiptOf(api.target, recordOf(api.target, 'receipt', body), 'receipt');
    },

    async burn(key, passphrase, signal): Promise<BurnResult> {
      const body = asObject(await consume('burn', key, passphrase, signal));
      const record = asObject(body?.record);
      // `success: false` is a lost race; `{"success":true}` alone means the secret was already gone (2.7).
      if (bool(body?.success) === false || record === undefined) throw goneError(api, version, 'burn');
      return confirmedBurn(api.target, record.state, key);
    },
  };
}
