/**
 * Server answers the sandbox does not produce: older v1 bodies and messages, and v2 error types. The
 * mappers are pure functions, tested on answers as docs/ots-api.md quotes them; end-to-end cases use undici's
 * MockAgent, because no real server here answers in these older or rarer forms.
 */
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { type ErrorContext, redactServerText, v1Error, v2Error } from '../../src/api/errors.js';
import {
  AuthError,
  BadResponseError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../src/errors.js';
import type { HttpResponse } from '../../src/http/transport.js';
import { checkStatus, createClient } from '../../src/index.js';

const KEY = 'k3yk3yk3yk3yk3yk3yk3yk3yk3yk3y';

function ctx(
  operation: ErrorContext['operation'],
  apiVersion: 'v1' | 'v2',
  authenticated = true,
): ErrorContext {
  return { target: 'eu', operation, apiVersion, authenticated, sensitive: [KEY] };
}

function answer(status: number, body: unknown, headers: HttpResponse['headers'] = {}): HttpResponse {
  return { status, body, headers };
}

describe('v1 errors (404 for nearly everything, docs/ots-api.md 1.1)', () => {
  it.each([
    [
      'Not authorized',
      answer(404, { message: 'Not authorized' }, { 'x-ots-intended-status': '401' }),
      AuthError,
    ],
    [
      'Not authorized without the header (v0.23)',
      answer(404, { message: 'Not authorized', shrimp: 'x' }),
      AuthError,
    ],
    ['auth switched off', answer(404, { message: '/api/v1/share is not available' }), AuthError],
    ['Unknown secret', answer(404, { message: 'Unknown secret', secret_key: KEY }), NotFoundError],
    ['a short key', answer(404, { message: 'Not Found' }), NotFoundError],
    ['the route fallback', answer(404, { error: 'Not Found' }), NotFoundError],
    [
      'rate limit, current',
      answer(404, { message: 'Rate limit exceeded. Please try again later.' }),
      RateLimitError,
    ],
    ['rate limit, v0.23', answer(404, { message: 'Cripes! You have been rate limited.' }), RateLimitError],
    [
      'rate limit, 2016',
      answer(404, { message: 'Apologies dear citizen! You have been rate limited.' }),
      RateLimitError,
    ],
    [
      'creation limiter',
      answer(404, { message: 'Too many secrets created. Please try again later.' }),
      RateLimitError,
    ],
    ['a 429 from a proxy', answer(429, undefined, { 'retry-after': '5' }), RateLimitError],
    [
      'validation',
      answer(
        404,
        { message: 'Passphrase must be at least 4 characters long' },
        { 'x-ots-intended-status': '400' },
      ),
      ValidationError,
    ],
    ['wrong passphrase on burn', answer(404, { message: 'Incorrect passphrase' }), ValidationError],
    ['unexpected error', answer(404, { message: 'An unexpected error occurred :[' }), ServerError],
    ['router 500', answer(500, { error: 'Internal Server Error' }), ServerError],
    ['an HTML 502', answer(502, undefined), ServerError],
    ['a redirect', answer(301, undefined), BadResponseError],
  ])('%s', (_name, response, errorClass) => {
    const error = v1Error(response, ctx('reveal', 'v1'));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.target).toBe('eu');
    expect(error.message).toContain('eu');
    expect(error.message).not.toContain(KEY);
  });

  it('says what "Unknown secret" may mean and what to do', () => {
    const error = v1Error(answer(404, { message: 'Unknown secret', secret_key: KEY }), ctx('reveal', 'v1'));
    expect(error.message).toMatch(/revealed already, burned or expired, or the passphrase was wrong/);
    expect(error.message).toMatch(/Ask the sender/);
  });

  it('says an endpoint is missing and suggests the other version', () => {
    const error = v1Error(answer(404, { error: 'Not Found' }), ctx('receipt', 'v1'));
    expect(error.message).toMatch(/no API v1 endpoint for receipt.*Try apiVersion v2/);
  });

  it('tells "needs an account" from "refused" on recent', () => {
    const refused = answer(404, { message: 'Not authorized' }, { 'x-ots-intended-status': '401' });
    expect(v1Error(refused, ctx('recent', 'v1', false)).message).toMatch(/needs an account/);
    expect(v1Error(refused, ctx('recent', 'v1', true)).message).toMatch(/refused the credentials/);
  });

  it('quotes validation text from the server, redacted', () => {
    const error = v1Error(
      answer(404, { message: `Undeliverable email address: x@y ${KEY}` }, { 'x-ots-intended-status': '400' }),
      ctx('share', 'v1'),
    );
    expect(error.message).toBe(
      'eu refused share: "Undeliverable email address: x@y [redacted]". Fix the input and try again.',
    );
  });
});

describe('v2 errors (status and error_type, docs/ots-api.md 2.1)', () => {
  it.each([
    [
      '401 from Otto',
      answer(401, { error: 'Authentication Required', message: '[CREDENTIALS_INVALID] Invalid credentials' }),
      AuthError,
      undefined,
    ],
    [
      '403 guest routes off',
      answer(403, { error: 'Guest conceal is disabled', error_type: 'GuestRoutesDisabled' }),
      AuthError,
      undefined,
    ],
    [
      '403 entitlement',
      answer(403, { error: 'Upgrade', error_type: 'EntitlementRequired' }),
      ValidationError,
      'ttl',
    ],
    [
      '403 domain',
      answer(403, { error: 'You do not have permission to use domain: x', error_type: 'Forbidden' }),
      AuthError,
      undefined,
    ],
    ['404 record', answer(404, { error_type: 'RecordNotFound' }), NotFoundError, undefined],
    ['404 route', answer(404, { error: 'Not Found', error_type: 'NotFound' }), NotFoundError, undefined],
    [
      '422 empty',
      answer(422, { error: 'You did not provide anything to share', error_type: 'missing', field: 'secret' }),
      ValidationError,
      'secret',
    ],
    ['422 passphrase', answer(422, { error: 'Incorrect passphrase' }), ValidationError, 'passphrase'],
    ['400', answer(400, { error: 'Bad request' }), ValidationError, undefined],
    [
      '500',
      answer(500, { error: 'Internal Server Error', error_type: 'ServerError' }),
      ServerError,
      undefined,
    ],
    [
      '503 not ready',
      answer(503, { status: 'not_ready', error: { code: 'CONFIGURATION_INCOMPLETE' } }),
      ServerError,
      undefined,
    ],
  ])('%s', (_name, response, errorClass, input) => {
    const error = v2Error(response, ctx('share', 'v2'));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as ValidationError).input).toBe(input);
    expect(error.message).toContain('eu');
  });

  it('reads the wait from Retry-After, or from retry_after in the body', () => {
    const header = v2Error(
      answer(429, { error_type: 'LimitExceeded' }, { 'retry-after': '7' }),
      ctx('reveal', 'v2'),
    );
    expect(header).toMatchObject({ name: 'RateLimitError', retryAfterSeconds: 7, httpStatus: 429 });
    expect(header.message).toMatch(/Wait 7 s/);
    const body = v2Error(answer(429, { error_type: 'LimitExceeded', retry_after: 12 }), ctx('reveal', 'v2'));
    expect(body).toMatchObject({ retryAfterSeconds: 12 });
  });

  it('says anonymous callers need an account on 401', () => {
    expect(v2Error(answer(401, {}), ctx('recent', 'v2', false)).message).toMatch(/needs an account/);
  });

  it('says a 503 not_ready server is starting', () => {
    expect(v2Error(answer(503, { status: 'not_ready' }), ctx('status', 'v2')).message).toMatch(/starting up/);
  });
});

describe('redactServerText', () => {
  it('removes sensitive values, key-like runs and control characters, and shortens', () => {
    expect(redactServerText('bad pass hunter22 for\nkey', ['hunter22'])).toBe('bad pass [redacted] for key');
    expect(redactServerText(`x ${'a'.repeat(25)} y`, [])).toBe('x [redacted] y');
    expect(redactServerText('w '.repeat(200), []).length).toBeLessThanOrEqual(163);
  });

  it('removes values with newlines and tabs, as sent and as already collapsed by the server', () => {
    const secret = 'line one\n\tline two';
    expect(redactServerText(`bad: ${secret}.`, [secret])).toBe('bad: [redacted].');
    expect(redactServerText('bad: line one line two.', [secret])).toBe('bad: [redacted].');
    expect(redactServerText('bad: \nline one\r\n\tline two.', [`\n${secret}`])).toBe('bad: [redacted].');
  });
});

describe('older server answers, end to end (undici MockAgent: the sandbox speaks only the current forms)', () => {
  function mock(): MockAgent {
    const agent = new MockAgent();
    agent.disableNetConnect();
    return agent;
  }

  it('accepts the older v1 status body without locale', async () => {
    const agent = mock();
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v1/status' })
      .reply(200, { status: 'nominal' });
    const client = createClient({ region: 'eu', apiVersion: 'v1', dispatcher: agent });
    expect(await client.status()).toEqual({ status: 'nominal' });
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v1/status' })
      .reply(200, { status: 'nominal' });
    expect((await checkStatus('eu', { apiVersion: 'v1', dispatcher: agent })).state).toBe('nominal');
  });

  it('maps the v0.23 rate-limit message on share, sent once', async () => {
    const agent = new MockAgent({ enableCallHistory: true });
    agent.disableNetConnect();
    // persist(): a retry would get the same answer, so only the call count shows it was not sent twice.
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v1/share', method: 'POST' })
      .reply(404, { message: 'Cripes! You have been rate limited.', shrimp: 'abc' })
      .persist();
    const client = createClient({ region: 'eu', apiVersion: 'v1', dispatcher: agent });
    await expect(client.share({ secret: 'x' })).rejects.toBeInstanceOf(RateLimitError);
    expect(
      agent
        .getCallHistory()
        ?.calls()
        .map((call) => `${call.method} ${call.path}`),
    ).toEqual(['POST /api/v1/share']);
  });

  it('maps a v1 share answer with string numbers and no links (docs before 2025)', async () => {
    const agent = mock();
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v1/share', method: 'POST' })
      .reply(200, {
        metadata_key: 'r'.repeat(31),
        secret_key: 's'.repeat(31),
        ttl: '3600',
        created: '1737381428',
        passphrase_required: 'false',
      });
    const result = await createClient({ region: 'eu', apiVersion: 'v1', dispatcher: agent }).share({
      secret: 'x',
    });
    expect(result).toEqual({
      secretKey: 's'.repeat(31),
      secretUrl: `https://eu.onetimesecret.com/secret/${'s'.repeat(31)}`,
      receiptKey: 'r'.repeat(31),
      receiptUrl: `https://eu.onetimesecret.com/receipt/${'r'.repeat(31)}`,
      ttl: 3600,
      expiresAt: new Date((1737381428 + 3600) * 1000).toISOString(),
      passphraseRequired: false,
    });
  });

  it('ignores server link fields that point at another host', async () => {
    const agent = mock();
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v1/share', method: 'POST' })
      .reply(200, {
        metadata_key: 'r'.repeat(31),
        secret_key: 's'.repeat(31),
        ttl: 60,
        receipt_url: `https://evil.example.com/receipt/${'r'.repeat(31)}`,
      });
    const result = await createClient({ region: 'eu', apiVersion: 'v1', dispatcher: agent }).share({
      secret: 'x',
    });
    expect(result.receiptUrl).toBe(`https://eu.onetimesecret.com/receipt/${'r'.repeat(31)}`);
  });

  it.each([
    ['http://secrets.example.com', 'https://eu.onetimesecret.com'],
    ['https://secrets.example.com', 'https://secrets.example.com'],
    ['secrets.example.com', 'https://secrets.example.com'],
    ['http://127.0.0.1:7143', 'http://127.0.0.1:7143'],
  ])('takes share_domain %s as the link origin %s (http only for loopback)', async (shareDomain, origin) => {
    const agent = mock();
    const receiptKey = 'r'.repeat(31);
    const secretKey = 's'.repeat(31);
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v1/share', method: 'POST' })
      .reply(200, {
        metadata_key: receiptKey,
        secret_key: secretKey,
        ttl: 60,
        share_domain: shareDomain,
        share_url: `${shareDomain}/secret/${secretKey}`,
      });
    const result = await createClient({ region: 'eu', apiVersion: 'v1', dispatcher: agent }).share({
      secret: 'x',
    });
    expect(result.secretUrl).toBe(`${origin}/secret/${secretKey}`);
    expect(result.receiptUrl).toBe(`${origin}/receipt/${receiptKey}`);
    agent.assertNoPendingInterceptors();
  });

  it('reads a JSON answer that starts with a byte order mark, as undici body.text() does', async () => {
    const agent = mock();
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v2/status' })
      .reply(200, '\ufeff{"status":"nominal"}');
    const client = createClient({ region: 'eu', dispatcher: agent });
    await expect(client.status()).resolves.toEqual({ status: 'nominal' });
  });

  it('caps a body without Content-Length while streaming', async () => {
    const agent = mock();
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: '/api/v2/status' })
      .reply(200, `{"status":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    const client = createClient({ region: 'eu', dispatcher: agent });
    await expect(client.status()).rejects.toThrow(/over 1 MiB/);
  });

  it('treats a v2 reveal without a value as already gone (a lost race)', async () => {
    const agent = mock();
    agent
      .get('https://eu.onetimesecret.com')
      .intercept({ path: `/api/v2/secret/${KEY}/reveal`, method: 'POST' })
      .reply(200, { record: { identifier: KEY }, details: { show_secret: false } });
    const client = createClient({ region: 'eu', dispatcher: agent });
    await expect(client.reveal(KEY)).rejects.toBeInstanceOf(NotFoundError);
  });
});
