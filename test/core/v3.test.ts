/** API v3 through the library, against the sandbox's v3 over loopback (src/api/v3.ts, docs/api-v3.md). */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { AuthError, NotFoundError, RateLimitError, ValidationError } from '../../src/errors.js';
import { API_VERSIONS, checkStatus, createClient } from '../../src/index.js';
import { ALICE, requests, startTestSandbox, useTestSandbox } from './helpers.js';
import { startMutatingProxy } from './mutating-proxy.js';

let sandbox: Sandbox;
useTestSandbox((started) => {
  sandbox = started;
});

const v3 = () => createClient({ domain: sandbox.url, apiVersion: 'v3' });

describe('v3 guest operations', () => {
  it('shares with a passphrase, reveals once, reads the receipt, over the guest routes only', async () => {
    const client = v3();
    expect((await client.status()).status).toBe('nominal');
    const shared = await client.share({ secret: 'v3 secret', ttl: '10m', passphrase: 'pass1234' });
    expect(shared.secretUrl).toBe(`${sandbox.url}/secret/${shared.secretKey}`);
    expect(shared.receiptUrl).toBe(`${sandbox.url}/receipt/${shared.receiptKey}`);
    expect(shared).toMatchObject({ ttl: 600, passphraseRequired: true });
    await expect(client.reveal(shared.secretUrl, { passphrase: 'nope' })).rejects.toMatchObject({
      input: 'passphrase',
    });
    expect((await client.reveal(shared.secretUrl, { passphrase: 'pass1234' })).value).toBe('v3 secret');
    await expect(client.reveal(shared.secretKey, { passphrase: 'pass1234' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await client.receipt(shared.receiptUrl)).state).toBe('received');
    expect(requests(sandbox)).toEqual([
      'GET /api/v3/status',
      'POST /api/v3/guest/secret/conceal',
      'POST /api/v3/guest/secret/:key/reveal',
      'POST /api/v3/guest/secret/:key/reveal',
      'POST /api/v3/guest/secret/:key/reveal',
      'GET /api/v3/guest/receipt/:key',
    ]);
  });

  it('generates a value and burns', async () => {
    const client = v3();
    const made = await client.generate({ ttl: 60 });
    expect(made.value).toMatch(/^\S{12,}$/);
    expect((await client.burn(made.receiptKey)).state).toBe('burned');
    await expect(client.reveal(made.secretKey)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('builds links from share_domain when the server gives one (v3 answers carry no share URL)', async () => {
    const proxy = await startMutatingProxy(sandbox.url);
    try {
      proxy.rewrite('/api/v3/guest/secret/conceal', (json) => {
        (json as { record: { share_domain: string } }).record.share_domain = 'secrets.example.com';
        return json;
      });
      const shared = await createClient({ domain: proxy.url, apiVersion: 'v3' }).share({ secret: 'x' });
      expect(shared.secretUrl).toBe(`https://secrets.example.com/secret/${shared.secretKey}`);
    } finally {
      await proxy.stop();
    }
  });

  it('checks status on /api/v3/status', async () => {
    const report = await checkStatus(sandbox.url, { apiVersion: 'v3' });
    expect(report.results[0]).toMatchObject({ state: 'nominal', url: `${sandbox.url}/api/v3/status` });
  });

  it('is one of the registered versions', () => {
    expect(API_VERSIONS).toEqual(['v2', 'v1', 'v3']);
    expect(() => createClient({ domain: sandbox.url, apiVersion: 'v4' as 'v3' })).toThrow(
      'apiVersion must be v1, v2 or v3.',
    );
  });
});

describe('v3 refusals', () => {
  it('refuses credentials before any request, saying why and suggesting v2', async () => {
    const attempt = () => createClient({ domain: sandbox.url, apiVersion: 'v3', ...ALICE });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/browser session.*apiVersion v2 with username and token/);
    await expect(checkStatus(sandbox.url, { apiVersion: 'v3', ...ALICE })).rejects.toThrow(/browser session/);
    expect(sandbox.requestLog).toHaveLength(0);
  });

  it('says the operator disabled guest access on 403 GuestRoutesDisabled', async () => {
    const gated = await startTestSandbox({ guestRoutes: { enabled: false } });
    try {
      const error = await createClient({ domain: gated.url, apiVersion: 'v3' })
        .share({ secret: 'x' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).message).toMatch(
        /guest \(anonymous\) share switched off: its operator disabled/,
      );
      expect((error as AuthError).message).toMatch(/use apiVersion v2 with username and token/);
      expect((error as AuthError).httpStatus).toBe(403);
    } finally {
      await gated.stop();
    }
  });

  it('maps v3 LimitExceeded to RateLimitError with retryAfter', async () => {
    const limited = await startTestSandbox({ createLimit: 1 });
    try {
      const client = createClient({ domain: limited.url, apiVersion: 'v3' });
      await client.share({ secret: 'x' });
      const error = await client.share({ secret: 'y' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterSeconds).toBe(3600);
    } finally {
      await limited.stop();
    }
  });

  it('needs an account for recent, which v3 cannot have', async () => {
    await expect(v3().recent()).rejects.toBeInstanceOf(AuthError);
  });
});

describe('v3 keeps secrets out of errors', () => {
  it('never puts the token, username, secret, passphrase or key in a v3 error or status result', async () => {
    const token = 'tok-v3-Zx81Kq02Lm77';
    const username = 'leak-check@example.com';
    const secret = 'v3-secret-value-Qw12';
    const passphrase = 'v3-passphrase-Er34';
    const errors: unknown[] = [];
    const catchAll = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        errors.push(error);
      }
    };
    await catchAll(() => createClient({ domain: sandbox.url, apiVersion: 'v3', username, token }));
    await catchAll(() => checkStatus(sandbox.url, { apiVersion: 'v3', username, token }));
    const client = v3();
    const shared = await client.share({ secret, passphrase });
    await catchAll(() => client.reveal(shared.secretUrl, { passphrase: `${passphrase}-wrong` }));
    await catchAll(() => client.burn(shared.receiptKey, { passphrase: `${passphrase}-wrong` }));
    for (const fault of [{ fault: 'status' }, { fault: 'rate-limit' }, { fault: 'invalid-json' }] as const) {
      sandbox.addFault({ path: '/api/v3/guest/secret/conceal', ...fault, times: 1 });
      await catchAll(() => client.share({ secret, passphrase }));
    }
    const gated = await startTestSandbox({ guestRoutes: { enabled: false } });
    await catchAll(() => createClient({ domain: gated.url, apiVersion: 'v3' }).share({ secret, passphrase }));
    await gated.stop();
    expect(errors).toHaveLength(8);
    const text = errors.map((error) => `${(error as Error).message} ${JSON.stringify(error)}`).join('\n');
    const basic = Buffer.from(`${username}:${token}`).toString('base64');
    for (const value of [token, username, basic, secret, passphrase, shared.secretKey, shared.receiptKey]) {
      expect(text).not.toContain(value);
    }
  });
});
