/**
 * Every client method on API v1 and v2, anonymous and with an account, against the sandbox on loopback,
 * through both senders: undici (the package root) and the runtime's fetch (onetime-kit/fetch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { AuthError, NotFoundError, ValidationError } from '../../src/errors.js';
import * as viaFetch from '../../src/fetch.js';
import { createClient, defaultTarget, parseDomain } from '../../src/index.js';
import type { ApiVersion, Client } from '../../src/types.js';
import { ALICE, loopbackAgent, requests, silentLogger, startTestSandbox, useTestSandbox } from './helpers.js';

let sandbox: Sandbox;
useTestSandbox((started) => {
  sandbox = started;
});

const KEY_URL = (origin: string, kind: string) =>
  new RegExp(`^${origin.replace(/[.]/g, '\\.')}/${kind}/[a-z0-9]+$`);

const SENDERS = { undici: createClient, fetch: viaFetch.createClient } as const;

describe.each<[ApiVersion, boolean, keyof typeof SENDERS]>([
  ['v1', false, 'undici'],
  ['v1', true, 'undici'],
  ['v2', false, 'undici'],
  ['v2', true, 'undici'],
  ['v1', false, 'fetch'],
  ['v1', true, 'fetch'],
  ['v2', false, 'fetch'],
  ['v2', true, 'fetch'],
])('API %s, account %s, through %s', (apiVersion, withAccount, sender) => {
  let client: Client;

  beforeAll(() => {
    client = SENDERS[sender]({ domain: sandbox.url, apiVersion, ...(withAccount ? ALICE : {}) });
  });

  it('reads the status', async () => {
    expect(await client.status()).toMatchObject({ status: 'nominal' });
    expect(requests(sandbox)).toEqual([`GET /api/${apiVersion}/status`]);
    expect(sandbox.requestLog[0]?.authenticated).toBe(withAccount);
  });

  it('shares, shows the receipt, reveals once, and the receipt says received', async () => {
    const shared = await client.share({ secret: 'the value', ttl: '1h', passphrase: 'open sesame' });
    expect(shared).toMatchObject({ ttl: 3600, passphraseRequired: true });
    expect(shared.value).toBeUndefined();
    expect(shared.secretUrl).toMatch(KEY_URL(sandbox.url, 'secret'));
    expect(shared.secretUrl.endsWith(shared.secretKey)).toBe(true);
    expect(shared.receiptUrl).toBe(`${sandbox.url}/receipt/${shared.receiptKey}`);
    expect(Date.parse(shared.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    const before = await client.receipt(shared.receiptUrl);
    expect(before).toMatchObject({
      receiptKey: shared.receiptKey,
      state: 'new',
      ttl: 3600,
      passphraseRequired: true,
    });
    expect(before.expiresAt).toBeDefined();

    const revealed = await client.reveal(shared.secretUrl, { passphrase: 'open sesame' });
    expect(revealed).toEqual({ value: 'the value', secretKey: shared.secretKey });
    await expect(client.reveal(shared.secretKey, { passphrase: 'open sesame' })).rejects.toBeInstanceOf(
      NotFoundError,
    );

    const after = await client.receipt(shared.receiptKey);
    expect(after.state).toBe('received');
    expect(after.receivedAt).toBeDefined();
    expect(after.secretKey).toBeUndefined();
  });

  it('generates a value that the link reveals', async () => {
    const generated = await client.generate({ ttl: 600 });
    expect(generated.value).toMatch(/^\S{8,}$/);
    expect(generated.ttl).toBe(600);
    const revealed = await client.reveal(generated.secretKey);
    expect(revealed.value).toBe(generated.value);
    const writes = sandbox.requestLog.filter((entry) => entry.method === 'POST');
    expect(writes).toHaveLength(2); // one create, one reveal: generate is a single request
  });

  it('burns an unread secret, after which it cannot be revealed', async () => {
    const shared = await client.share({ secret: 'burn me' });
    expect(await client.burn(shared.receiptUrl)).toEqual({ state: 'burned', receiptKey: shared.receiptKey });
    await expect(client.reveal(shared.secretUrl)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.burn(shared.receiptKey)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.receipt(shared.receiptKey)).state).toBe('burned');
  });

  it.runIf(withAccount)('checks the credentials and lists recent receipts', async () => {
    await client.checkAuth();
    const shared = await client.share({ secret: 'mine', recipient: 'bob@example.com' });
    const recent = await client.recent();
    expect(recent.map((r) => r.receiptKey)).toContain(shared.receiptKey);
    expect(recent.every((r) => typeof r.receiptUrl === 'string')).toBe(true);
  });

  it.runIf(!withAccount)('refuses account-only calls before any request', async () => {
    await expect(client.recent()).rejects.toBeInstanceOf(AuthError);
    await expect(client.checkAuth()).rejects.toBeInstanceOf(AuthError);
    await expect(client.share({ secret: 'x', recipient: 'bob@example.com' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(sandbox.requestLog).toEqual([]);
  });
});

describe.each<ApiVersion>(['v1', 'v2'])('API %s: a passphrase given to reveal or burn', (apiVersion) => {
  // The minimum length is the server's configuration (docs/ots-api.md 1.4.2), so reveal and burn send any
  // passphrase and let the server judge it; the sandbox keeps the default minimum of 4 for creation, so
  // a 3-character passphrase here is a wrong one that must reach the server.
  it('of 3 characters is sent, and the server refuses it', async () => {
    const client = createClient({ domain: sandbox.url, apiVersion });
    const shared = await client.share({ secret: 'guarded', passphrase: 'abcd' });
    sandbox.resetStats();

    const revealError = await client.reveal(shared.secretKey, { passphrase: 'abc' }).catch((e) => e);
    expect(revealError.httpStatus, String(revealError)).toBeGreaterThanOrEqual(400);
    if (apiVersion === 'v1') expect(revealError).toBeInstanceOf(NotFoundError);
    const burnError = await client.burn(shared.receiptKey, { passphrase: 'abc' }).catch((e) => e);
    expect(burnError.httpStatus, String(burnError)).toBeGreaterThanOrEqual(400);

    expect(requests(sandbox).filter((r) => r.startsWith('POST'))).toHaveLength(2);
    expect(await client.reveal(shared.secretKey, { passphrase: 'abcd' })).toMatchObject({ value: 'guarded' });
  });
});

describe('input is checked before any request', () => {
  const client = () => createClient({ domain: sandbox.url });

  it.each([
    ['an empty secret', (c: Client) => c.share({ secret: '' }), 'secret'],
    ['a secret over 10 000 bytes', (c: Client) => c.share({ secret: 'x'.repeat(10_001) }), 'secret'],
    ['a short passphrase', (c: Client) => c.share({ secret: 'x', passphrase: 'abc' }), 'passphrase'],
    ['a bad ttl', (c: Client) => c.generate({ ttl: '2 weeks' }), 'ttl'],
    ['a bad key', (c: Client) => c.reveal('not/a key'), 'key'],
    ['a foreign link', (c: Client) => c.receipt('https://evil.example.com/receipt/abcdefgh12345678'), 'key'],
    ['a secret link given to burn', (c: Client) => c.burn(`${sandbox.url}/secret/abcdefgh12345678`), 'key'],
  ])('%s', async (_name, call, input) => {
    await expect(call(client())).rejects.toMatchObject({ name: 'ValidationError', input });
    expect(sandbox.requestLog).toEqual([]);
  });

  it('refuses half credentials and bad options when the client is created', () => {
    expect(() => createClient({ domain: sandbox.url, token: 'only-a-token' })).toThrow(ValidationError);
    expect(() => createClient({ domain: sandbox.url, apiVersion: 'v4' as ApiVersion })).toThrow(
      /v1, v2 or v3/,
    );
    expect(() => createClient({ domain: sandbox.url, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createClient({ region: 'mars' })).toThrow(/ca, eu, nz, uk, us/);
  });
});

describe('v2 answers with string values (pre-v0.24 servers)', () => {
  let old: Sandbox;
  beforeAll(async () => {
    old = await startTestSandbox({ v2Types: 'string' });
  });
  afterAll(() => old.stop());

  it('parses numeric strings and "true"', async () => {
    const client = createClient({ domain: old.url, apiVersion: 'v2' });
    const shared = await client.share({ secret: 'old server', ttl: 120, passphrase: 'abcd' });
    expect(shared).toMatchObject({ ttl: 120, passphraseRequired: true });
    const receipt = await client.receipt(shared.receiptKey);
    expect(receipt).toMatchObject({ ttl: 120, passphraseRequired: true, state: 'new' });
    expect(typeof receipt.createdAt).toBe('string');
  });
});

describe('regions and links (every host name reaches the sandbox through a loopback connector)', () => {
  it('builds region links, and sends credentials only to the configured region', async () => {
    const dispatcher = loopbackAgent(sandbox.port);
    try {
      const logger = silentLogger();
      const eu = createClient({ region: 'eu', ...ALICE, dispatcher, logger });
      const us = createClient({ region: 'us', dispatcher, logger });
      const shared = await us.share({ secret: 'from the us' });
      expect(shared.secretUrl).toMatch(KEY_URL('https://us.onetimesecret.com', 'secret'));
      expect(shared.receiptUrl).toMatch(KEY_URL('https://us.onetimesecret.com', 'receipt'));

      sandbox.resetStats();
      expect((await eu.reveal(shared.secretUrl)).value).toBe('from the us');
      expect(sandbox.requestLog).toMatchObject([{ host: 'us.onetimesecret.com', authenticated: false }]);

      await eu.status();
      expect(sandbox.requestLog[1]).toMatchObject({ host: 'eu.onetimesecret.com', authenticated: true });
      expect(logger.lines).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });

  it('keeps regions apart: a key from one region is unknown in another', async () => {
    const dispatcher = loopbackAgent(sandbox.port);
    try {
      const shared = await createClient({ region: 'ca', dispatcher }).share({ secret: 'canada' });
      await expect(
        createClient({ region: 'nz', dispatcher }).reveal(shared.secretKey),
      ).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await dispatcher.close();
    }
  });

  it('warns once about the default host', () => {
    const logger = silentLogger();
    const client = createClient({ logger });
    expect(client.target.origin).toBe('https://onetimesecret.com');
    expect(logger.lines).toHaveLength(1);
  });
});

describe('an already resolved target', () => {
  it('is used as is: region and domain are not read, and the resolver is not asked again', () => {
    const logger = silentLogger();
    const client = createClient({ target: defaultTarget(), region: 'us', domain: 'nope nope', logger });
    expect(client.target.kind).toBe('default');
    expect(logger.lines).toEqual([]);
  });

  it('still gets the allow-http warning when it is reached over plain http', () => {
    const logger = silentLogger();
    const target = parseDomain('http://ots:3000', 'domain', { allowHttp: true });
    createClient({ target, logger });
    expect(logger.lines.join('\n')).toContain('allow-http: ots:3000 is reached over plain http://');
  });
});
