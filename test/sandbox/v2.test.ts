import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  basic,
  client,
  FREE,
  manualClock,
  type Reply,
  startWithClient,
  type TestClient,
} from './helpers.js';

let sandbox: Sandbox;
let http: TestClient;
let call: TestClient['call'];
const clock = manualClock();

beforeAll(async () => {
  ({ sandbox, http, call } = await startWithClient({ now: clock.now }));
});

afterAll(async () => {
  await http.close();
  await sandbox.stop();
});

async function conceal(secret: Record<string, unknown>, auth?: string): Promise<Reply> {
  return call('/api/v2/secret/conceal', { json: { secret }, auth });
}

function expectOtto401(reply: Reply, code: string): void {
  expect(reply.status).toBe(401);
  expect(reply.json.error).toBe('Authentication Required');
  expect(reply.json.message).toMatch(new RegExp(`^\\[${code}\\]`));
  expect(Number.isInteger(reply.json.timestamp)).toBe(true);
  expect(reply.headers['www-authenticate']).toBeUndefined();
}

describe('v2 meta', () => {
  it('answers status without evaluating credentials', async () => {
    const reply = await call('/api/v2/status');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"success":true,"status":"nominal","locale":"en"}');
    expect((await call('/api/v2/status', { auth: basic('x', 'y') })).status).toBe(200);
  });

  it('needs an account for version', async () => {
    expectOtto401(await call('/api/v2/version'), 'AUTH_HEADER_MISSING');
    expectOtto401(
      await call('/api/v2/version', { auth: basic(ACCOUNT.username, 'bad') }),
      'CREDENTIALS_INVALID',
    );
    expect((await call('/api/v2/version', { auth: basic(ACCOUNT.username, 'bad') })).json.message).toBe(
      '[CREDENTIALS_INVALID] Invalid credentials',
    );
    expectOtto401(await call('/api/v2/version', { auth: 'Bearer abc' }), 'AUTH_TYPE_INVALID');
    const ok = await call('/api/v2/version', { auth: ALICE });
    expect(ok.json).toEqual({ success: true, version: [0, 26, 11], locale: 'en' });
  });

  it('answers NotFound for authcheck and unknown routes', async () => {
    for (const path of ['/api/v2/authcheck', '/api/v2/nope']) {
      const reply = await call(path);
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({ error: 'Not Found', error_type: 'NotFound' });
    }
  });

  it('answers other API versions with the v2-style NotFound body, error_type included', async () => {
    for (const [path, method] of [
      ['/api/v3/nope', 'GET'],
      ['/api/v4', 'GET'],
      ['/api', 'GET'],
    ] as const) {
      const reply = await call(path, { method, headers: { 'x-request-id': 'req-7' } });
      expect(reply.status, path).toBe(404);
      expect(reply.json, path).toEqual({ error: 'Not Found', error_type: 'NotFound', request_id: 'req-7' });
    }
    // v1's own router keeps its bare body, and so does anything outside /api.
    expect((await call('/api/v1/nope')).json).toEqual({ error: 'Not Found' });
    expect((await call('/apiv3')).json).toEqual({ error: 'Not Found' });
  });

  it('echoes x-request-id on v2 bodies', async () => {
    const reply = await call('/api/v2/nope', { headers: { 'x-request-id': 'req-42' } });
    expect(reply.json.request_id).toBe('req-42');
  });
});

describe('v2 conceal and generate', () => {
  it('conceals with the nested body and answers the 2.4 envelope', async () => {
    const reply = await conceal({ secret: 'hunter2', ttl: 3600, passphrase: 'pass1234' });
    expect(reply.status).toBe(200);
    const { success, record, details } = reply.json;
    expect(success).toBe(true);
    expect(record.receipt).toMatchObject({
      state: 'new',
      secret_ttl: 3600,
      receipt_ttl: 7200,
      lifespan: 3600,
      has_passphrase: true,
      kind: 'conceal',
      custid: null,
      is_received: false,
      is_burned: false,
    });
    expect(record.receipt.identifier).toMatch(/^[a-z0-9]{62}$/);
    expect(record.metadata).toEqual(record.receipt);
    expect(record.secret).toMatchObject({ state: 'new', secret_ttl: 3600, has_passphrase: true });
    expect(record.secret.identifier).toBe(record.receipt.secret_identifier);
    expect(record.secret.key).toBe(record.secret.identifier);
    expect(record.share_domain).toBeNull();
    expect(typeof record.receipt.created).toBe('number');
    expect(details).toEqual({ kind: 'conceal', recipient: [], recipient_safe: [] });
    expect(JSON.stringify(reply.json)).not.toContain('hunter2');
  });

  it('accepts a numeric string ttl and nested form keys', async () => {
    const reply = await call('/api/v2/secret/conceal', {
      form: { 'secret[secret]': 'x', 'secret[ttl]': '600' },
    });
    expect(reply.json.record.secret.secret_ttl).toBe(600);
  });

  it('validates with 422 bodies', async () => {
    const empty = await conceal({ secret: '' });
    expect(empty.status).toBe(422);
    expect(empty.json).toEqual({
      error: 'You did not provide anything to share',
      error_type: 'missing',
      field: 'secret',
    });
    const big = await conceal({ secret: 'a'.repeat(10_001) });
    expect(big.status).toBe(422);
    expect(big.json).toEqual({
      error: 'Secret content must be no more than 10000 bytes long',
      field: 'secret',
    });
    const short = await conceal({ secret: 'x', passphrase: 'abc' });
    expect(short.status).toBe(422);
    expect(short.json.error).toBe('Passphrase must be at least 4 characters long');
    const flat = await call('/api/v2/secret/conceal', { form: { secret: 'plain' } });
    expect(flat.status).toBe(422);
    expect(flat.json.error).toBe('Incorrect payload format');
  });

  it('refuses recipients for anonymous callers with 401 Unauthorized', async () => {
    const reply = await conceal({ secret: 'x', recipient: 'a@b.co' });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      error: 'An account is required to send emails.',
      error_type: 'Unauthorized',
    });
    const ok = await conceal({ secret: 'x', recipient: ['carol@example.com'] }, ALICE);
    expect(ok.json.details.recipient_safe).toEqual(['ca*****@e*****.com']);
    expect(ok.json.record.receipt.recipients).toBe('ca*****@e*****.com');
  });

  it('fails closed on bad credentials (401), even where anonymous is allowed', async () => {
    const reply = await call('/api/v2/secret/conceal', {
      json: { secret: { secret: 'x' } },
      auth: basic('no', 'body'),
    });
    expectOtto401(reply, 'CREDENTIALS_INVALID');
    expectOtto401(
      await call('/api/v2/secret/conceal', { json: {}, auth: 'Basic' }),
      'CREDENTIALS_FORMAT_INVALID',
    );
  });

  it('clamps ttl: anonymous 7 days, account 30 days; the free plan gets 403 above 14 days', async () => {
    expect((await conceal({ secret: 'x', ttl: 99 * 86400 })).json.record.secret.secret_ttl).toBe(7 * 86400);
    expect((await conceal({ secret: 'x', ttl: 'junk' })).json.record.secret.secret_ttl).toBe(60);
    expect((await conceal({ secret: 'x', ttl: 99 * 86400 }, ALICE)).json.record.secret.secret_ttl).toBe(
      30 * 86400,
    );
    const free = await conceal({ secret: 'x', ttl: 15 * 86400 }, FREE);
    expect(free.status).toBe(403);
    expect(free.json).toMatchObject({
      error_type: 'EntitlementRequired',
      entitlement: 'extended_default_expiration',
    });
    expect((await conceal({ secret: 'x', ttl: 14 * 86400 }, FREE)).status).toBe(200);
  });

  it('generates without returning the value; the first receipt view within 60 s shows it once', async () => {
    const reply = await call('/api/v2/secret/generate', { json: { secret: { length: 20 } }, auth: ALICE });
    expect(reply.status).toBe(200);
    expect(reply.json.details.kind).toBe('generate');
    expect(reply.json.record.receipt.kind).toBe('generate');
    const receiptKey = reply.json.record.receipt.identifier;
    // Someone else holding the receipt key does not get the value.
    expect((await call(`/api/v2/receipt/${receiptKey}`, { auth: BOB })).json.details.secret_value).toBeNull();
    const first = await call(`/api/v2/receipt/${receiptKey}`, { auth: ALICE });
    const value = first.json.details.secret_value;
    expect(value).toHaveLength(20);
    expect(JSON.stringify(reply.json)).not.toContain(value);
    const second = await call(`/api/v2/receipt/${receiptKey}`, { auth: ALICE });
    expect(second.json.details.secret_value).toBeNull();
    const revealed = await call(`/api/v2/secret/${reply.json.record.secret.identifier}/reveal`, {
      json: { continue: true },
    });
    expect(revealed.json.record.secret_value).toBe(value);
  });

  it('does not show a generated value after 60 s', async () => {
    const reply = await call('/api/v2/secret/generate', { json: {} });
    clock.advance(61_000);
    const receipt = await call(`/api/v2/receipt/${reply.json.record.receipt.identifier}`);
    expect(receipt.json.details.secret_value).toBeNull();
    const long = await call('/api/v2/secret/generate', { json: { secret: { length: 129 } } });
    expect(long.status).toBe(422);
    expect(long.json.field).toBe('length');
  });
});

describe('v2 reveal', () => {
  it('consumes nothing without continue, reveals with continue true or "true"', async () => {
    for (const flag of [true, 'true']) {
      const made = await conceal({ secret: 'v2 value' });
      const path = `/api/v2/secret/${made.json.record.secret.identifier}/reveal`;
      const peek = await call(path, { json: {} });
      expect(peek.status).toBe(200);
      expect(peek.json.details).toMatchObject({ continue: false, show_secret: false });
      expect(peek.json.record).not.toHaveProperty('secret_value');
      const preview = await call(`/api/v2/secret/${made.json.record.secret.identifier}`);
      expect(preview.json.details.show_secret).toBe(false);
      const reveal = await call(path, { json: { continue: flag } });
      expect(reveal.status).toBe(200);
      expect(reveal.json.record.secret_value).toBe('v2 value');
      expect(reveal.json.details).toMatchObject({ continue: true, show_secret: true });
      expect(reveal.json).not.toHaveProperty('success');
      const again = await call(path, { json: { continue: true } });
      expect(again.status).toBe(404);
      expect(again.json).toEqual({ error_type: 'RecordNotFound' });
    }
  });

  it('answers 422 Incorrect passphrase and keeps the secret', async () => {
    const made = await conceal({ secret: 'guarded', passphrase: 'open sesame' });
    const path = `/api/v2/secret/${made.json.record.secret.identifier}/reveal`;
    const wrong = await call(path, { json: { continue: true, passphrase: 'nope' } });
    expect(wrong.status).toBe(422);
    expect(wrong.json).toEqual({ error: 'Incorrect passphrase' });
    const missing = await call(path, { json: { continue: true } });
    expect(missing.status).toBe(422);
    const right = await call(path, { json: { continue: true, passphrase: 'open sesame' } });
    expect(right.json.record.secret_value).toBe('guarded');
  });

  it('reports secret status without consuming, unknown as state unknown', async () => {
    const made = await conceal({ secret: 'x', ttl: 600 });
    const id = made.json.record.secret.identifier;
    const status = await call(`/api/v2/secret/${id}/status`);
    expect(status.json.record.state).toBe('new');
    expect(status.json.details.current_expiration).toBe(600);
    const unknown = await call(`/api/v2/secret/${'q'.repeat(62)}/status`);
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual({ record: { state: 'unknown' } });
    const list = await call('/api/v2/secret/status', { json: { identifiers: `${id},${'q'.repeat(62)}` } });
    expect(list.json.count).toBe(2);
    expect(list.json.records.map((r: { state: string }) => r.state)).toEqual(['new', 'unknown']);
  });

  it('lets exactly one of 20 concurrent reveals have the value', async () => {
    const made = await conceal({ secret: 'race me v2' });
    const path = `/api/v2/secret/${made.json.record.secret.identifier}/reveal`;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => call(path, { json: { continue: true } })),
    );
    const winners = replies.filter((reply) => reply.json?.record?.secret_value !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.json.record.secret_value).toBe('race me v2');
    expect(replies.filter((reply) => reply.status === 404)).toHaveLength(19);
  });

  it('serves the /guest/ routes anonymously, ignoring any header', async () => {
    const made = await call('/api/v2/guest/secret/conceal', {
      json: { secret: { secret: 'g' } },
      auth: 'Bearer x',
    });
    expect(made.status).toBe(200);
    expect(made.json.record.receipt.custid).toBeNull();
    const reveal = await call(`/api/v2/guest/secret/${made.json.record.secret.identifier}/reveal`, {
      json: { continue: 'true' },
    });
    expect(reveal.json.record.secret_value).toBe('g');
  });
});

describe('v2 receipts, burn, recent', () => {
  it('shows a receipt with links, and 404 for unknown ones', async () => {
    const made = await conceal({ secret: 'x', ttl: 600 });
    const id = made.json.record.receipt.identifier;
    const secretId = made.json.record.secret.identifier;
    for (const alias of ['receipt', 'private']) {
      const reply = await call(`/api/v2/${alias}/${id}`);
      expect(reply.status).toBe(200);
      expect(reply.json.record).toMatchObject({
        state: 'new',
        secret_state: 'new',
        secret_identifier: secretId,
        share_url: `${sandbox.url}/secret/${secretId}`,
        receipt_url: `${sandbox.url}/receipt/${id}`,
        burn_url: `${sandbox.url}/receipt/${id}/burn`,
        expiration_in_seconds: 1200,
      });
      expect(reply.json.details).toMatchObject({ type: 'record', can_decrypt: true, secret_value: null });
    }
    const unknown = await call(`/api/v2/receipt/${'u'.repeat(62)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: `identifier: ${'u'.repeat(62)}`, error_type: 'RecordNotFound' });
  });

  it('shows received after a reveal', async () => {
    const made = await conceal({ secret: 'x' });
    await call(`/api/v2/secret/${made.json.record.secret.identifier}/reveal`, { json: { continue: true } });
    const receipt = await call(`/api/v2/receipt/${made.json.record.receipt.identifier}`);
    expect(receipt.json.record).toMatchObject({
      state: 'received',
      is_received: true,
      secret_identifier: null,
    });
    expect(receipt.json.record.received).toBe(clock.now() / 1000);
  });

  it('burns only with continue; wrong passphrase 422; a consumed secret answers success true', async () => {
    const made = await conceal({ secret: 'x', passphrase: 'pass1234' });
    const path = `/api/v2/receipt/${made.json.record.receipt.identifier}/burn`;
    const noContinue = await call(path, { json: { passphrase: 'pass1234' } });
    expect(noContinue.status).toBe(200);
    expect(noContinue.json.success).toBe(false);
    const wrong = await call(path, { json: { continue: true, passphrase: 'nope' } });
    expect(wrong.status).toBe(422);
    expect(wrong.json).toEqual({ error: 'Double check that passphrase' });
    const burned = await call(path, { json: { continue: 'true', passphrase: 'pass1234' } });
    expect(burned.json).toMatchObject({ success: true, record: { state: 'burned', is_burned: true } });
    const again = await call(path, { json: { continue: true } });
    expect(again.json).toEqual({ success: true });
    const reveal = await call(`/api/v2/secret/${made.json.record.secret.identifier}/reveal`, {
      json: { continue: true, passphrase: 'pass1234' },
    });
    expect(reveal.status).toBe(404);
    expect((await call(`/api/v2/private/${'b'.repeat(62)}/burn`, { json: { continue: true } })).status).toBe(
      404,
    );
  });

  it('lists recent receipts for Basic callers only', async () => {
    const mine = await conceal({ secret: 'x' }, ALICE);
    await conceal({ secret: 'y' }, BOB);
    const reply = await call('/api/v2/receipt/recent', { auth: ALICE });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ success: true, custid: ACCOUNT.username });
    expect(reply.json.count).toBe(reply.json.records.length);
    // Post-migration receipts: `custid` null, `owner_id` the customer's UUID; the list keeps the requester.
    expect(reply.json.records.every((r: { custid: null }) => r.custid === null)).toBe(true);
    expect(reply.json.records.map((r: { identifier: string }) => r.identifier)).toContain(
      mine.json.record.receipt.identifier,
    );
    expect(reply.json.details).toMatchObject({ type: 'list', has_items: true });
    expectOtto401(await call('/api/v2/receipt/recent'), 'AUTH_HEADER_MISSING');
    expectOtto401(await call('/api/v2/private/recent', { auth: basic('x', 'y') }), 'CREDENTIALS_INVALID');
  });
});

describe('v2 options', () => {
  it('emits strings for every number and boolean with v2Types string', async () => {
    const stringy = await startSandbox({ v2Types: 'string' });
    const other = client(stringy.url);
    try {
      const reply = await other.call('/api/v2/secret/conceal', {
        json: { secret: { secret: 'x', ttl: 300 } },
      });
      expect(reply.json.success).toBe(true);
      expect(reply.json.record.secret.secret_ttl).toBe('300');
      expect(reply.json.record.receipt.has_passphrase).toBe('false');
      expect(reply.json.record.receipt.custid).toBeNull();
    } finally {
      await other.close();
      await stringy.stop();
    }
  });

  it('honours per-host accounts: a token of one region fails on another', async () => {
    const regional = await startSandbox({
      accounts: [{ username: 'eu@example.com', token: 't', hosts: ['eu.localtest'] }],
    });
    const other = client(regional.url);
    try {
      const auth = basic('eu@example.com', 't');
      expect((await other.call('/api/v2/version', { auth, host: 'eu.localtest:7143' })).status).toBe(200);
      expect((await other.call('/api/v2/version', { auth, host: 'us.localtest' })).status).toBe(401);
      expect((await other.call('/api/v1/authcheck', { auth, host: 'us.localtest' })).json.message).toBe(
        'Not authorized',
      );
    } finally {
      await other.close();
      await regional.stop();
    }
  });
});
