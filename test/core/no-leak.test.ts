/**
 * No error message, cause message, String(error) or status report carries a token, the Basic value, a
 * username, a secret, a passphrase, or a secret/receipt key, on any error path: fast-check draws the
 * values, every path runs against the sandbox on loopback (and the mappers get server bodies that echo
 * them back). The paths run through both senders: undici (the package root) and fetch (onetime-kit/fetch).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { v1Error, v2Error } from '../../src/api/errors.js';
import { basicAuthorization } from '../../src/config/credentials.js';
import { OtsError } from '../../src/errors.js';
import * as viaFetch from '../../src/fetch.js';
import * as viaUndici from '../../src/index.js';
import type { ApiVersion, ClientOptions, Credentials } from '../../src/types.js';
import { encodableText, wireForms } from '../wire-forms.js';
import { ALICE, useTestSandbox } from './helpers.js';

let sandbox: Sandbox;
useTestSandbox((started) => {
  sandbox = started;
});

const word = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`));
const values = fc.record({
  token: word(12, 48),
  username: fc
    .tuple(word(6, 20), fc.constantFrom('', '+ci'), word(3, 10))
    .map(([name, tag, domain]) => `${name}${tag}@${domain}.test`),
  secret: encodableText(300),
  passphrase: encodableText(100),
  key: fc.stringMatching(/^[a-z0-9]{24,62}$/),
});
type Values = typeof values extends fc.Arbitrary<infer T> ? T : never;

function forbidden(v: Values): string[] {
  const basic = basicAuthorization({ username: v.username, token: v.token });
  return [v.token, basic, basic.slice('Basic '.length), v.username, v.secret, v.passphrase, v.key];
}

function texts(error: unknown): string[] {
  const out = [String(error)];
  if (error instanceof Error) {
    out.push(error.message, JSON.stringify({ ...error }));
    const cause = error.cause;
    if (cause !== undefined)
      out.push(String(cause), cause instanceof Error ? cause.message : JSON.stringify(cause));
  }
  return out;
}

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function expectClean(collected: unknown[], v: Values, extra: string[] = []): void {
  for (const error of collected) {
    for (const text of texts(error)) {
      for (const value of wireForms([...forbidden(v), ...extra])) expect(text).not.toContain(value);
    }
  }
}

type Entry = typeof viaUndici | typeof viaFetch;

/** Every path of one draw, on one API version, through one entry point's sender. */
async function errorsOf(
  v: Values,
  apiVersion: ApiVersion,
  { createClient, checkStatus }: Entry,
): Promise<{ collected: unknown[]; keys: string[] }> {
  const base: ClientOptions = { domain: sandbox.url, apiVersion, timeoutMs: 2000 };
  const wrong: Credentials = { username: v.username, token: v.token };
  const collected: unknown[] = [];
  const add = async (p: Promise<unknown> | (() => unknown)) => collected.push(await failure(p));

  // Refused before any request.
  const anon = createClient(base);
  await add(anon.share({ secret: v.secret.repeat(Math.ceil(10_001 / v.secret.length)) }));
  await add(
    anon.share({ secret: v.secret, passphrase: [...v.passphrase.repeat(200)].slice(0, 130).join('') }),
  );
  await add(() => createClient({ ...base, token: v.token }));
  await add(() => createClient({ ...base, username: v.username }));
  await add(() => createClient({ domain: `https://${v.username.split('@')[0]}:${v.token}@x.example.com` }));
  await add(
    anon.reveal(`https://${v.username.split('@')[0]}:${v.token}@eu.onetimesecret.com/secret/${v.key}`),
  );
  await add(anon.reveal(`https://evil.example.com/secret/${v.key}`));
  await add(anon.burn(`${sandbox.url}/secret/${v.key}`));
  await add(anon.reveal(`${v.key}!`));

  // Refused by the server.
  const refused = createClient({ ...base, ...wrong });
  await add(refused.share({ secret: v.secret, passphrase: v.passphrase }));
  await add(refused.checkAuth());
  await add(refused.recent());
  await add(anon.reveal(v.key, { passphrase: v.passphrase }));
  await add(anon.receipt(v.key));
  await add(anon.burn(v.key, { passphrase: v.passphrase }));
  const shared = await createClient(base).share({ secret: v.secret, passphrase: v.passphrase });
  await add(anon.reveal(shared.secretKey, { passphrase: `${v.passphrase}-wrong` }));
  await add(anon.burn(shared.receiptKey, { passphrase: `${v.passphrase}-wrong` }));

  // A server (or a proxy) that echoes the request line, the Authorization header and the body.
  sandbox.addFault({ fault: 'echo' });
  await add(refused.share({ secret: v.secret, passphrase: v.passphrase }));
  await add(refused.generate({ passphrase: v.passphrase }));
  await add(refused.reveal(v.key, { passphrase: v.passphrase }));
  await add(refused.receipt(v.key));
  await add(refused.burn(v.key, { passphrase: v.passphrase }));
  const echoed = await checkStatus(sandbox.url, { apiVersion, ...wrong, timeoutMs: 2000 });
  collected.push(JSON.stringify(echoed));
  sandbox.clearFaults();

  // Faults, with a valid account and the drawn secret and passphrase in flight.
  const account = createClient({ ...base, ...ALICE, timeoutMs: 300 });
  const sharePath = apiVersion === 'v1' ? '/api/v1/share' : '/api/v2/secret/conceal';
  for (const fault of [
    { fault: 'status', status: 500 },
    { fault: 'rate-limit', retryAfter: 1 },
    { fault: 'not-ready' },
    { fault: 'reset' },
    { fault: 'invalid-json' },
    { fault: 'oversized', bytes: 2 * 1024 * 1024 },
    { latencyMs: 1000 },
  ] as const) {
    sandbox.addFault({ path: sharePath, ...fault, times: 1 });
    await add(account.share({ secret: v.secret, passphrase: v.passphrase }));
  }
  sandbox.clearFaults();

  // Status checks report failures in their results, also with the drawn credentials.
  sandbox.addFault({ path: `/api/${apiVersion}/secret*`, fault: 'status', status: 500 });
  const report = await checkStatus(sandbox.url, {
    apiVersion,
    ...wrong,
    depth: 'roundtrip',
    timeoutMs: 2000,
  });
  sandbox.clearFaults();
  collected.push(JSON.stringify(report));
  return { collected, keys: [shared.secretKey, shared.receiptKey] };
}

describe('no secret reaches an error message', () => {
  it.each<[ApiVersion, string, Entry]>([
    ['v1', 'undici', viaUndici],
    ['v2', 'undici', viaUndici],
    ['v1', 'fetch', viaFetch],
    ['v2', 'fetch', viaFetch],
  ])(
    'on API %s through %s, for every error path',
    async (apiVersion, _sender, entry) => {
      await fc.assert(
        fc.asyncProperty(values, async (v) => {
          const { collected, keys } = await errorsOf(v, apiVersion, entry);
          expect(collected.length).toBeGreaterThan(20);
          // The status reports are pushed as JSON text; everything else is a typed error.
          expect(collected.filter((e) => typeof e !== 'string').every((e) => e instanceof OtsError)).toBe(
            true,
          );
          expectClean(collected, v, keys);
        }),
        { numRuns: 12 },
      );
    },
    120_000,
  );

  it('when the server echoes every value back in its error bodies', () => {
    fc.assert(
      fc.property(values, fc.constantFrom(400, 401, 403, 404, 422, 429, 500, 503), (v, status) => {
        const echo = forbidden(v).join(' | ');
        const ctx = {
          target: 'eu',
          apiVersion: 'v1' as const,
          authenticated: true,
          sensitive: forbidden(v),
        };
        const errors = (['share', 'reveal', 'receipt', 'burn', 'recent', 'status'] as const).flatMap(
          (operation) => [
            v1Error(
              {
                status: 404,
                body: { message: echo, secret_key: v.key },
                headers: { 'x-ots-intended-status': '400' },
              },
              { ...ctx, operation },
            ),
            v2Error(
              { status, body: { error: echo, message: echo, error_type: 'x', field: v.key }, headers: {} },
              { ...ctx, apiVersion: 'v2', operation },
            ),
          ],
        );
        expectClean(errors, v);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
